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
}

// compileTemplate splits a message at its placeholders and checks that they
// are well formed: {N} with N counting up from 0 without gaps.
func compileTemplate(msg string) (template, error) {
	var t template
	var lit strings.Builder
	maxIndex, seen := -1, map[int]bool{}
	flush := func() {
		if s := normalize(lit.String()); s != "" {
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
			i += 2
		case c == 'x' && strings.HasPrefix(msg[i:], "xxxx") && (i == 0 || !isASCIIAlnum(msg[i-1])):
			flush()
			for i < len(msg) && msg[i] == 'x' {
				i++
			}
		default:
			lit.WriteByte(c)
			i++
		}
	}
	flush()
	for n := 0; n <= maxIndex; n++ {
		if !seen[n] {
			return t, fmt.Errorf("placeholders skip {%d}", n)
		}
	}
	return t, nil
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
// every literal segment appears in order (placeholders match any run of
// text), partial when the first segment, long enough to be telling, does.
// score is the number of literal bytes matched.
func (t template) match(text string) (score int, full bool) {
	if len(t.segments) == 0 {
		return 0, false
	}
	pos := 0
	for i, seg := range t.segments {
		j := strings.Index(text[pos:], seg)
		if j < 0 {
			if i == 0 {
				return 0, false
			}
			return score, false
		}
		score += len(seg)
		pos += j + len(seg)
	}
	return score, true
}

// normalize prepares text for matching: whitespace removed, full-width
// punctuation folded to ASCII, ASCII letters lower-cased. The FAQ's PDF
// text and real log messages differ in exactly these ways.
func normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		if f, ok := fold[r]; ok {
			r = f
		} else if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		} else if r >= 0xFF01 && r <= 0xFF5E {
			// Other full-width ASCII forms.
			r -= 0xFEE0
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
		}
		if r == utf8.RuneError {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var fold = map[rune]rune{
	'，': ',', '。': '.', '：': ':', '；': ';', '（': '(', '）': ')',
	'！': '!', '？': '?', '“': '"', '”': '"', '‘': '\'', '’': '\'',
	'、': ',', '【': '[', '】': ']', '《': '<', '》': '>', '　': ' ',
}
