package diagnose

import (
	"container/list"
	"sort"
	"strings"
	"sync"

	"github.com/wedadiag/wedadiag/redact"
)

// Unmatched is one template of records that look like errors but that no
// rule explains: the first step to learning new codes.
type Unmatched struct {
	Template string `json:"template"`
	Count    int64  `json:"count"`
	Sample   string `json:"sample"`
	// Message is the template of the sample's message part (its error
	// message, or the text after its time and level; a JSON record's msg),
	// "" when the record has none apart from the whole line.
	Message string `json:"message,omitempty"`
}

// Unknowns groups unexplained error records into templates. It is safe for
// concurrent use and bounded: it keeps at most maxTemplates templates, and a
// new template arriving when it is full takes the place of the least
// recently seen one, whose count moves to the overflow template, so a new
// error code is never hidden behind old noise and the counts still add up to
// the records seen. Samples and templates are made from redacted text.
type Unknowns struct {
	mu     sync.Mutex
	m      map[string]*unknown
	lru    list.List // of *unknown, most recently seen first
	other  Unmatched // the overflow: counts of evicted templates
	redact *redact.Redactor
	// msgs remembers the templates of messages (redacted): unexplained
	// records repeat their message more than their line. msgBytes
	// bounds it; it starts afresh when full and with a new redactor.
	msgs     map[string]string
	msgBytes int
}

const (
	maxMsgMemo   = 512 // the longest message remembered
	msgMemoBytes = 256 << 10
)

// unknown is one kept template.
type unknown struct {
	Unmatched
	seq  int64 // the sample's order, to keep the earliest
	elem *list.Element
}

const (
	maxTemplates     = 1000
	maxTemplateBytes = 240
	overflowTemplate = "(other templates)"
)

// NewUnknowns returns an empty Unknowns that redacts with the built-in
// patterns; SetRedactor changes that.
func NewUnknowns() *Unknowns {
	return &Unknowns{m: map[string]*unknown{}, other: Unmatched{Template: overflowTemplate}, redact: redact.Default()}
}

// SetRedactor sets the redactor of templates and samples made from now on.
func (u *Unknowns) SetRedactor(r *redact.Redactor) {
	u.mu.Lock()
	u.redact = r
	u.msgs, u.msgBytes = nil, 0
	u.mu.Unlock()
}

// Add counts one unexplained record.
func (u *Unknowns) Add(text string) { u.add(text, "", 0) }

// Observe does nothing: Unknowns is a RecordSink for the records that no
// rule explains.
func (u *Unknowns) Observe(Occurrence) {}

// Record counts the record when it looks like an error that no rule
// explains.
func (u *Unknowns) Record(o *Outcome) {
	if o.Unmatched {
		msg := o.Event.ErrMessage
		if msg == "" {
			msg = o.Event.Message
		}
		u.add(o.Event.Raw, msg, o.Seq)
	}
}

// add counts one unexplained record of order seq; the sample of a
// template is its earliest record.
func (u *Unknowns) add(text, msg string, seq int64) {
	u.mu.Lock()
	r := u.redact
	mt, known := u.msgs[msg]
	u.mu.Unlock()
	line := r.Sample([]byte(firstLine(text)))
	t := Template(line)
	if msg != "" && !known {
		mt = Template(r.Sample([]byte(firstLine(msg))))
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if msg != "" && !known && len(msg) <= maxMsgMemo && u.redact == r {
		size := len(msg) + len(mt) + 64 // and the map slot
		if u.msgs == nil || u.msgBytes+size > msgMemoBytes {
			u.msgs, u.msgBytes = map[string]string{}, 0
		}
		u.msgs[strings.Clone(msg)] = mt
		u.msgBytes += size
	}
	if msg = mt; msg == t {
		msg = ""
	}
	g := u.m[t]
	if g == nil {
		if len(u.m) >= maxTemplates-1 {
			old := u.lru.Remove(u.lru.Back()).(*unknown)
			delete(u.m, old.Template)
			u.other.Count += old.Count
			if u.other.Sample == "" {
				u.other.Sample = old.Sample
			}
		}
		g = &unknown{Unmatched: Unmatched{Template: t, Sample: line, Message: msg}, seq: seq}
		g.elem = u.lru.PushFront(g)
		u.m[t] = g
	} else {
		u.lru.MoveToFront(g.elem)
		if seq < g.seq {
			g.Sample, g.Message, g.seq = line, msg, seq
		}
	}
	g.Count++
}

// Top returns the n most frequent templates.
func (u *Unknowns) Top(n int) []Unmatched {
	u.mu.Lock()
	out := make([]Unmatched, 0, len(u.m)+1)
	for _, g := range u.m {
		out = append(out, g.Unmatched)
	}
	if u.other.Count > 0 {
		out = append(out, u.other)
	}
	u.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Template < out[j].Template
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Template masks what varies between records of the same kind in the first
// line of text: quoted values become "<s>", UUIDs <uuid>, long hex and
// request ids <id>, times <time>, numbers <n>. Words stay.
func Template(text string) string {
	s := firstLine(text)
	var b strings.Builder
	b.Grow(min(len(s), maxTemplateBytes+8))
	for i := 0; i < len(s) && b.Len() < maxTemplateBytes; {
		c := s[i]
		switch {
		case c == '"' || c == '\'':
			j := i + 1
			for j < len(s) && s[j] != c {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				b.WriteString(s[i:])
				i = len(s)
				continue
			}
			body := s[i+1 : j]
			if isKeyLike(body) {
				b.WriteString(s[i : j+1])
			} else {
				b.WriteByte(c)
				b.WriteString("<s>")
				b.WriteByte(c)
			}
			i = j + 1
		case c == ':':
			// A separator before a value ("retry":3), not part of it.
			b.WriteByte(c)
			i++
		case isWordByte(c):
			j := i
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			b.WriteString(maskWord(s[i:j]))
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return strings.TrimSpace(b.String())
}

// isKeyLike reports quoted text that is structure, not data: a JSON key or
// an identifier-like value such as a level or a code.
func isKeyLike(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c == '.':
		default:
			return false
		}
	}
	return digits == 0
}

func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-' || c == '.' || c == ':'
}

// maskWord masks one run of word bytes.
func maskWord(w string) string {
	digits, hex, letters := 0, 0, 0
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F':
			hex++
		case c >= 'g' && c <= 'z' || c >= 'G' && c <= 'Z':
			letters++
		}
	}
	switch {
	case digits == 0:
		return w
	case isUUID(w):
		return "<uuid>"
	case isTimestamp(w):
		return "<time>"
	case letters == 0 && hex == 0 && (strings.Count(w, ":") >= 2 || strings.Count(w, "-") >= 2):
		return "<time>"
	case letters == 0 && hex == 0:
		return "<n>"
	case letters == 0 && len(w) >= 8:
		return "<id>"
	case digits*2 >= len(w) || len(w) >= 16:
		return "<id>"
	}
	return w
}

// isTimestamp reports a date or time such as 2024-06-21T08:00:15.115Z or
// 08:00:15.
func isTimestamp(w string) bool {
	seps, colon := 0, false
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c >= '0' && c <= '9', c == '.':
		case c == '-' || c == ':':
			seps++
			colon = colon || c == ':'
		case c == 'T' || c == 'Z':
		default:
			return false
		}
	}
	return seps >= 2 || colon
}

func isUUID(w string) bool {
	if len(w) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := w[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// WantsSample: it keeps no samples (diagnose.SampleUser).
func (*Unknowns) WantsSample(*Occurrence) bool { return false }
