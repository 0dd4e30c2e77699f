package diagnose

import (
	"strings"
	"sync"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/parse"
	"github.com/wedadiag/wedadiag/rules"
)

// Resolver maps what rules found to catalog entries, and ranks the text of
// error-like records that no rule explains against the catalog.
type Resolver struct {
	cat *catalog.Catalog
	byQ map[string]*catalog.Entry
	// TextThreshold is the score from which the text matcher diagnoses
	// (catalog.TextThreshold by default); a negative value turns the text
	// matcher off.
	TextThreshold float64

	// texts remembers the text matcher's answers by query and level: a
	// log repeats its unexplained errors, and ranking costs.
	textMu    sync.RWMutex
	texts     map[textKey]textAnswer
	textBytes int
}

type textKey struct{ query, level string }

type textAnswer struct {
	threshold float64
	hit       catalog.TextMatch // shared: not to be changed
	ok        bool
}

const (
	// maxTextMemoQuery is the longest query remembered; textMemoBytes
	// bounds the queries remembered (it starts afresh when full).
	maxTextMemoQuery = 512
	textMemoBytes    = 256 << 10
	// textMemoEntryBytes is what an answer costs besides its texts.
	textMemoEntryBytes = 160
)

// matchText is catalog.MatchTextLevel with r's threshold, remembered.
func (r *Resolver) matchText(q, level string) (catalog.TextMatch, bool) {
	if len(q) > maxTextMemoQuery {
		return r.cat.MatchTextLevel(q, level, r.TextThreshold)
	}
	k := textKey{q, level}
	r.textMu.RLock()
	a, ok := r.texts[k]
	r.textMu.RUnlock()
	if ok && a.threshold == r.TextThreshold {
		return a.hit, a.ok
	}
	hit, found := r.cat.MatchTextLevel(q, level, r.TextThreshold)
	k = textKey{strings.Clone(q), strings.Clone(level)}
	size := len(k.query) + len(k.level) + textMemoEntryBytes + 8*len(hit.Alternatives)
	for _, t := range hit.Terms {
		size += len(t) + 16
	}
	r.textMu.Lock()
	if r.texts == nil || r.textBytes+size > textMemoBytes {
		r.texts, r.textBytes = map[textKey]textAnswer{}, 0
	}
	r.texts[k] = textAnswer{r.TextThreshold, hit, found}
	r.textBytes += size
	r.textMu.Unlock()
	return hit, found
}

// NewResolver returns a Resolver over a catalog.
func NewResolver(cat *catalog.Catalog) *Resolver {
	r := &Resolver{cat: cat, byQ: map[string]*catalog.Entry{}, TextThreshold: catalog.TextThreshold}
	for _, e := range cat.Entries() {
		if e.Question != "" {
			r.byQ[e.Question] = e
		}
	}
	return r
}

// maxResolveText bounds how much of a record is searched for a message.
const maxResolveText = 8 << 10

// Resolve returns the entry a match names, or nil: by id; by code and
// message (the match's message first, then the record's text); by FAQ
// question; by a telling message alone.
func (r *Resolver) Resolve(m rules.Match) *catalog.Entry {
	return r.ResolveMatch(m).Entry
}

// ResolveMatch is Resolve with the other rows the record fits as well
// (catalog.Resolution).
func (r *Resolver) ResolveMatch(m rules.Match) catalog.Resolution {
	if m.ID != "" {
		return catalog.Resolution{Entry: r.cat.ByID(m.ID), Full: true}
	}
	raw := ""
	if m.Event != nil {
		raw = m.Event.Raw
		if len(raw) > maxResolveText {
			raw = raw[:maxResolveText]
		}
	}
	if m.Code != "" {
		res := r.cat.ResolveCode(m.Code, m.Message, raw)
		if res.Entry != nil && res.Entry.Source == catalog.SourcePlatform && m.Event != nil {
			// The FAQ tier answers first: a wrapper's platform code
			// (errCode -504002 around an API's FailedOperation) gives way
			// to a table code of the same record whose message it carries.
			for _, code := range m.Event.Codes {
				if code == m.Code {
					continue
				}
				if faq := r.cat.ResolveCode(code, m.Message, raw); faq.Full && faq.Entry.Source != catalog.SourcePlatform {
					return faq
				}
			}
		}
		return res
	}
	if m.Question != "" {
		return catalog.Resolution{Entry: r.byQ[m.Question], Full: true}
	}
	if m.Message != "" {
		return r.cat.ResolveMessageIn(m.Message, raw)
	}
	return catalog.Resolution{}
}

// TextRule names the matches the text matcher makes.
const TextRule = "text-matcher"

// MatchText is the last step for an error-like record that no rule
// explained: a telling message of the error tables that the record
// carries whole (an exact match, Kind MatchRule), else the ranked text
// matcher (catalog.MatchText, Kind MatchText). It fills m with the match
// and returns what it found.
func (r *Resolver) MatchText(ev *parse.Event, m *rules.Match) (Found, bool) {
	if ev == nil {
		return Found{}, false
	}
	q := textQuery(ev)
	// A telling message of the error tables, printed without its code, is
	// an exact match whatever the rules' prefilter let through.
	if res := r.cat.ResolveMessageIn(q, ev.Raw); res.Entry != nil {
		*m = rules.Match{Rule: TextRule, Message: q, Event: ev}
		return Found{Entry: res.Entry, Match: m, Kind: MatchRule, Full: true, Alternatives: res.Alternatives}, true
	}
	if r.TextThreshold < 0 || r.cat.TextIndex() == nil {
		return Found{}, false
	}
	hit, ok := r.matchText(q, ev.Level)
	if !ok {
		return Found{}, false
	}
	*m = rules.Match{Rule: TextRule, ID: hit.Entry.ID, Event: ev}
	return Found{Entry: hit.Entry, Match: m, Kind: MatchText, Score: hit.Score, Alternatives: hit.Alternatives}, true
}

// textQuery is what of a record the text matcher ranks: its message and
// error message, or its text when it has neither.
func textQuery(ev *parse.Event) string {
	q := ev.Message
	if ev.ErrMessage != "" && !strings.Contains(q, ev.ErrMessage) {
		q += " " + ev.ErrMessage
	}
	if strings.TrimSpace(q) == "" {
		q = ev.Raw
	}
	if len(q) > maxResolveText {
		q = q[:maxResolveText]
	}
	return q
}

// ResolveID is Resolve's id, or "" when nothing resolves: the form
// `wedadiag rules test` compares with a rule example's expectation.
func (r *Resolver) ResolveID(m rules.Match) string {
	if e := r.Resolve(m); e != nil {
		return e.ID
	}
	return ""
}

// ResolveAll resolves every match of one record into distinct entries. A
// FAQ entry that an error-code entry of the same record already links to
// (its answer is about that code) is folded into it: the code's diagnosis
// lists it as related instead of counting the record twice.
func (r *Resolver) ResolveAll(ms []rules.Match, dst []Found) []Found {
	if len(ms) == 0 {
		return dst // most records: no rule matched
	}
	start := len(dst)
	codeFound := false
	for i := range ms {
		// A message alone is the fallback for records whose code did not
		// resolve (or that print none): skip the lookup when a code did.
		if codeFound && ms[i].ID == "" && ms[i].Code == "" && ms[i].Question == "" {
			continue
		}
		res := r.ResolveMatch(ms[i])
		e := res.Entry
		if e == nil {
			continue
		}
		// A platform-tier code (ResourceNotFound inside a FAQ message) does
		// not stop the message lookup: the FAQ tier comes first.
		if e.Kind == catalog.KindErrorCode && ms[i].Code != "" && e.Source != catalog.SourcePlatform {
			codeFound = true
		}
		dup := -1
		for j, f := range dst[start:] {
			if f.Entry == e {
				dup = start + j
				break
			}
		}
		switch {
		case dup < 0:
			dst = append(dst, Found{Entry: e, Match: &ms[i], Kind: MatchRule, Alternatives: res.Alternatives,
				Generic: res.Generic, Full: res.Full && ms[i].ID == ""})
		case len(dst[dup].Alternatives) > 0 && len(res.Alternatives) == 0:
			// A second match that pins the row down wins.
			dst[dup].Alternatives, dst[dup].Generic = nil, false
		}
	}
	// One diagnosis per record: a row whose message the record carries
	// whole is the most precise, then what rules name (FAQ entries,
	// codes without their message), then a generic row (a code whose
	// message fits none of its rows). Only the best class stays.
	best := 3
	for _, f := range dst[start:] {
		best = min(best, precision(f))
	}
	// Of equally precise findings, the FAQ's (and the user's own) come
	// before the platform tier's.
	faqAtBest := false
	for _, f := range dst[start:] {
		if precision(f) == best && f.Entry.Source != catalog.SourcePlatform {
			faqAtBest = true
		}
	}
	out := dst[:start]
	for _, f := range dst[start:] {
		if precision(f) > best || (faqAtBest && f.Entry.Source == catalog.SourcePlatform) {
			continue
		}
		if f.Entry.Kind == catalog.KindSymptom && relatedTo(dst[start:], f.Entry.ID) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// precision ranks a found entry: 0 a row found by its whole message, 1
// any other rule finding, 2 a generic row.
func precision(f Found) int {
	switch {
	case f.Generic:
		return 2
	case f.Full && f.Entry.Kind == catalog.KindErrorCode:
		return 0
	}
	return 1
}

func relatedTo(found []Found, faqID string) bool {
	for _, f := range found {
		if f.Entry.Kind != catalog.KindErrorCode {
			continue
		}
		for _, id := range f.Entry.Related {
			if id == faqID {
				return true
			}
		}
	}
	return false
}

// Found is one entry a record revealed, with the match that revealed it.
type Found struct {
	Entry *catalog.Entry
	Match *rules.Match
	// Kind is how it was found: MatchRule (a rule and the catalog's exact
	// lookup) or MatchText (the ranked text matcher).
	Kind string
	// Score is the text matcher's score (MatchText only).
	Score float64
	// Alternatives are the other entries the record fits as well.
	Alternatives []*catalog.Entry
	// Generic reports a code diagnosed on its generic row because its
	// message fits none of its rows.
	Generic bool
	// Full reports an error-table row found by its whole message.
	Full bool
}

// How a diagnosis was found.
const (
	MatchRule = "rule" // a rule, and an exact lookup in the catalog
	MatchText = "text" // the ranked text matcher
)

// CompileRules is Compile's rule set: what the rules of files, with
// their custom entries added to cat, find.
func CompileRules(cat *catalog.Catalog, files ...rules.File) (*rules.Set, error) {
	k, err := Compile(cat, files...)
	if err != nil {
		return nil, err
	}
	return k.Set, nil
}

// LoadRules is Load's rule set.
func LoadRules(cat *catalog.Catalog, paths []string) (*rules.Set, error) {
	k, err := Load(cat, paths)
	if err != nil {
		return nil, err
	}
	return k.Set, nil
}
