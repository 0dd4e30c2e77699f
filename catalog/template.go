package catalog

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// template is a FAQ message compiled for placeholder-aware matching: the
// literal segments between its placeholders ({0}, {1}, %s, xxxx), in order,
// normalised like the text they are matched against.
type template struct {
	segments []string
	literal  int      // normalised bytes of literal text
	raw      []string // the literal segments as the message writes them
	// holes counts the placeholders; lead and trail report one before
	// the first segment or after the last.
	holes       int
	lead, trail bool
}

// compileTemplate splits a message at its placeholders and checks that they
// are well formed: {N} with N counting up from 0 without gaps.
func compileTemplate(msg string) (template, error) {
	var t template
	var lit strings.Builder
	maxIndex, seen := -1, map[int]bool{}
	flush := func() {
		if s := normalize(lit.String()); s != "" {
			t.trail = false
			t.segments = append(t.segments, s)
			t.literal += len(s)
			t.raw = append(t.raw, lit.String())
		}
		lit.Reset()
	}
	for i := 0; i < len(msg); {
		c := msg[i]
		switch {
		case c == '{' && (i == 0 || msg[i-1] != '$') && !strings.HasPrefix(msg[i:], "{{"):
			j := strings.IndexByte(msg[i:], '}')
			if j < 0 {
				return t, fmt.Errorf("placeholder %q is not closed", snippet(msg[i:]))
			}
			inner := msg[i+1 : i+j]
			n, ok := atoiStrict(inner)
			if !ok {
				return t, fmt.Errorf("placeholder %q: want {0}, {1}, …", msg[i:i+j+1])
			}
			seen[n] = true
			maxIndex = max(maxIndex, n)
			flush()
			t.hole()
			i += j + 1
		case c == '{' && strings.HasPrefix(msg[i:], "{{"):
			// A literal {{params.AAA}} in advice text: keep it whole.
			j := strings.Index(msg[i:], "}}")
			if j < 0 {
				return t, fmt.Errorf("%q at byte %d is not closed", "{{", i)
			}
			lit.WriteString(msg[i : i+j+2])
			i += j + 2
		case c == '%' && i+1 < len(msg) && (msg[i+1] == 's' || msg[i+1] == 'd'):
			flush()
			t.hole()
			i += 2
		case c == 'x' && strings.HasPrefix(msg[i:], "xxxx") && (i == 0 || !isASCIIAlnum(msg[i-1])):
			flush()
			t.hole()
			for i < len(msg) && msg[i] == 'x' {
				i++
			}
		default:
			lit.WriteByte(c)
			i++
		}
	}
	flush()
	if t.holes > 0 && t.trail && len(t.segments) == 0 {
		t.lead = true
	}
	for n := 0; n <= maxIndex; n++ {
		if !seen[n] {
			return t, fmt.Errorf("placeholders skip {%d}", n)
		}
	}
	return t, nil
}

// hole records a placeholder at the current end of the template.
func (t *template) hole() {
	t.holes++
	if len(t.segments) == 0 {
		t.lead = true
	}
	t.trail = true
}

// snippet returns the start of s, a few runes long.
func snippet(s string) string {
	r := []rune(s)
	if len(r) > 6 {
		return string(r[:6]) + "…"
	}
	return s
}

func atoiStrict(s string) (int, bool) {
	if s == "" || len(s) > 2 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func isASCIIAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// match reports how well normalised text carries the template: full when
// every literal segment appears in order and every placeholder between,
// before or after them stands for at least one character ("参数 {0} 无效"
// does not match "参数无效"); partial when only a prefix of the segments
// does. score is the number of literal bytes matched.
func (t template) match(text string) (score int, full bool) {
	if len(t.segments) == 0 {
		return 0, false
	}
	pos := 0
	if t.lead {
		pos = 1 // at least one character before the first segment
	}
	for i, seg := range t.segments {
		if i > 0 {
			pos++ // the placeholder between two segments
		}
		if pos > len(text) {
			return score, false
		}
		j := strings.Index(text[pos:], seg)
		if j < 0 {
			return score, false
		}
		score += len(seg)
		pos += j + len(seg)
	}
	if t.trail && pos >= len(text) {
		return score, false
	}
	return score, true
}

// normalize prepares text for matching: whitespace removed, full-width
// punctuation folded to ASCII, ASCII letters lower-cased. The FAQ's PDF
// text and real log messages differ in exactly these ways. Text that is
// already normal (lower-case, no spaces, no full-width forms) comes back
// as it is, without a copy: a record's error message often is.
func normalize(s string) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiKeep[c] != c {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if f, ok := foldRune(r); !ok || f != r {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if k := asciiKeep[c]; k != 0 || c == 0 {
				b.WriteByte(k)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if f, ok := foldRune(r); ok {
			b.WriteRune(f)
		}
	}
	return b.String()
}

// asciiKeep is what normalize writes for an ASCII byte: the byte itself,
// a lower-case letter for an upper-case one, 0 for white space (dropped).
var asciiKeep = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		switch {
		case unicode.IsSpace(rune(c)):
		case c >= 'A' && c <= 'Z':
			t[c] = byte(c) + 'a' - 'A'
		default:
			t[c] = byte(c)
		}
	}
	return t // NUL is kept too: normalize tells it from a dropped byte
}()

// foldRune is normalize for one rune at or above utf8.RuneSelf: what it
// becomes, and false when it is dropped (white space, an invalid byte).
func foldRune(r rune) (rune, bool) {
	if unicode.IsSpace(r) {
		return 0, false
	}
	switch r {
	case '，', '、':
		return ',', true
	case '。':
		return '.', true
	case '：':
		return ':', true
	case '；':
		return ';', true
	case '（':
		return '(', true
	case '）':
		return ')', true
	case '！':
		return '!', true
	case '？':
		return '?', true
	case '“', '”':
		return '"', true
	case '‘', '’':
		return '\'', true
	case '【':
		return '[', true
	case '】':
		return ']', true
	case '《':
		return '<', true
	case '》':
		return '>', true
	}
	if r >= 0xFF01 && r <= 0xFF5E {
		// Other full-width ASCII forms.
		r -= 0xFEE0
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
	}
	if r == utf8.RuneError {
		return 0, false
	}
	return r, true
}

// cellSeparators split a 错误信息 cell that names several messages.
const cellSeparators = "；;\n"

// checkMessages checks a row's messages against its cell: a cell that
// lists several messages (joined by "；" or line breaks) must name each in
// messages, and each must be the cell's own text (or, for a cell that
// refers to the rows above, their message), at least two of them or one
// that differs from the cell.
func checkMessages(cell string, msgs []string) []string {
	var p []string
	if len(msgs) == 0 {
		if strings.ContainsAny(cell, cellSeparators) {
			p = append(p, "message lists several messages (joined by ；): name each in messages")
		}
		return p
	}
	if len(msgs) == 1 && msgs[0] == cell {
		p = append(p, "messages repeats the cell: leave it out")
	}
	seen := map[string]bool{}
	for i, m := range msgs {
		switch {
		case strings.TrimSpace(m) == "":
			p = append(p, fmt.Sprintf("messages %d is empty", i+1))
		case strings.ContainsAny(m, cellSeparators):
			p = append(p, fmt.Sprintf("messages %d %q still lists several", i+1, m))
		case seen[m]:
			p = append(p, fmt.Sprintf("messages %d %q is a duplicate", i+1, m))
		}
		seen[m] = true
	}
	return p
}
