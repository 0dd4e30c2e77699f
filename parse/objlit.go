package parse

import (
	"strings"
	"unicode/utf8"

	"github.com/wedadiag/wedadiag/internal/textutil"
)

// Limits of the object reader: a record of megabytes is read in linear time
// and bounded memory, whatever it holds.
const (
	maxDepth     = 32   // nesting below which values are skipped
	maxFields    = 512  // fields kept per record
	maxKeyBytes  = 256  // longer flattened keys are skipped
	maxObjTries  = 4    // '{' positions tried in one record
	maxObjects   = 8    // objects read from one record
	maxValueScan = 1024 // bytes a bare (unquoted) value may span
)

// objReader reads JSON, and JavaScript object literals as Node's
// util.inspect prints them (unquoted keys, single quotes, 'a' + 'b'
// concatenation, [Function], [Object], undefined), flattening leaves into
// fields with dotted keys. It never fails: on bad input it stops and reports
// broken, keeping what it read.
type objReader struct {
	s      string
	i      int
	fields *table
	arena  *[]byte // where unescaped strings and nested keys are kept
	key    []byte  // the flattened key being built
	top    string  // the key of the top-level member being read, as the text has it
	broken bool
	quoted bool // a key or string used double quotes: JSON rather than JS
}

// readObject reads the object or array that starts at r.s[r.i] and
// reports whether it was read to its closing bracket.
func (r *objReader) readObject() bool {
	r.value(0)
	return !r.broken
}

func (r *objReader) set(v string) {
	if len(r.key) == 0 || len(r.key) > maxKeyBytes {
		return
	}
	if len(r.key) == len(r.top) && bytesView(r.key) == r.top {
		r.fields.add(r.top, v) // a top-level key: a substring of the text
		return
	}
	r.fields.addBytes(r.key, v, r.arena) // the first writer wins
}

func (r *objReader) ws() {
	for r.i < len(r.s) {
		switch r.s[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// value reads one value and sets it (leaves only) under the current key.
func (r *objReader) value(depth int) {
	r.ws()
	if r.i >= len(r.s) {
		r.broken = true
		return
	}
	if depth > maxDepth {
		r.skipValue()
		return
	}
	switch c := r.s[r.i]; c {
	case '{':
		r.i++
		r.object(depth + 1)
	case '[':
		if r.isBracketWord() {
			r.set(r.bare())
			return
		}
		r.i++
		r.array(depth + 1)
	case '"', '\'', '`':
		v, ok := r.str()
		if !ok {
			r.broken = true
			return
		}
		// 'abc' +\n 'def': util.inspect splits long strings.
		for {
			save := r.i
			r.ws()
			if r.i < len(r.s) && r.s[r.i] == '+' {
				r.i++
				r.ws()
				if r.i < len(r.s) && (r.s[r.i] == '\'' || r.s[r.i] == '"' || r.s[r.i] == '`') {
					w, ok := r.str()
					if !ok {
						r.broken = true
						break
					}
					v = r.concat(v, w)
					continue
				}
			}
			r.i = save
			break
		}
		r.set(v)
	default:
		v := r.bare()
		if v == "" {
			r.broken = true
			return
		}
		r.set(v)
	}
}

// isBracketWord reports whether a '[' opens util.inspect's [Function: f],
// [Object], [Array], [Circular *1] rather than an array.
func (r *objReader) isBracketWord() bool {
	return r.i+1 < len(r.s) && r.s[r.i+1] >= 'A' && r.s[r.i+1] <= 'Z'
}

func (r *objReader) object(depth int) {
	base := len(r.key)
	defer func() { r.key = r.key[:base] }()
	for {
		r.ws()
		if r.i >= len(r.s) {
			r.broken = true
			return
		}
		if r.s[r.i] == '}' {
			r.i++
			return
		}
		k, ok := r.objKey()
		if !ok {
			r.broken = true
			return
		}
		r.ws()
		if r.i >= len(r.s) || (r.s[r.i] != ':' && r.s[r.i] != '=') {
			r.broken = true
			return
		}
		r.i++
		r.key = r.key[:base]
		if base > 0 {
			r.key = append(r.key, '.')
		} else {
			r.top = k
		}
		r.key = append(r.key, k...)
		r.value(depth)
		if r.broken {
			return
		}
		r.ws()
		if r.i >= len(r.s) {
			r.broken = true
			return
		}
		switch r.s[r.i] {
		case ',', ';':
			r.i++
		case '}':
			r.i++
			return
		default:
			r.broken = true
			return
		}
	}
}

func (r *objReader) array(depth int) {
	base := len(r.key)
	defer func() { r.key = r.key[:base] }()
	for n := 0; ; n++ {
		r.ws()
		if r.i >= len(r.s) {
			r.broken = true
			return
		}
		if r.s[r.i] == ']' {
			r.i++
			return
		}
		r.key = r.key[:base]
		if base > 0 {
			r.key = append(r.key, '.')
		}
		r.key = appendInt(r.key, n)
		r.value(depth)
		if r.broken {
			return
		}
		r.ws()
		if r.i >= len(r.s) {
			r.broken = true
			return
		}
		switch r.s[r.i] {
		case ',':
			r.i++
		case ']':
			r.i++
			return
		default:
			r.broken = true
			return
		}
	}
}

func appendInt(b []byte, n int) []byte {
	if n >= 10 {
		b = appendInt(b, n/10)
	}
	return append(b, byte('0'+n%10))
}

// objKey reads a quoted key or a JavaScript identifier key.
func (r *objReader) objKey() (string, bool) {
	c := r.s[r.i]
	if c == '"' || c == '\'' {
		return r.str()
	}
	start := r.i
	for r.i < len(r.s) {
		c := r.s[r.i]
		if c == '_' || c == '$' || c == '-' || c == '@' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 {
			r.i++
			continue
		}
		break
	}
	if r.i == start {
		return "", false
	}
	return r.s[start:r.i], true
}

// str reads a quoted string starting at r.s[r.i] and returns its value,
// unescaped; a value without escapes is a substring of the input.
func (r *objReader) str() (string, bool) {
	q := r.s[r.i]
	if q == '"' {
		r.quoted = true
	}
	r.i++
	start := r.i
	// Fast path: the closing quote with no escape or newline before it.
	if j := strings.IndexByte(r.s[start:], q); j >= 0 {
		v := r.s[start : start+j]
		if strings.IndexByte(v, '\\') < 0 && (q == '`' || strings.IndexByte(v, '\n') < 0) {
			r.i = start + j + 1
			return v, true
		}
	}
	for r.i < len(r.s) {
		c := r.s[r.i]
		if c == q {
			v := r.s[start:r.i]
			r.i++
			return v, true
		}
		if c == '\\' {
			return r.strEscaped(q, start)
		}
		if c == '\n' && q != '`' {
			return "", false
		}
		r.i++
	}
	return "", false
}

// concat returns a + b, kept in the arena.
func (r *objReader) concat(a, b string) string {
	start := len(*r.arena)
	*r.arena = append(append(*r.arena, a...), b...)
	return bytesView((*r.arena)[start:])
}

// strEscaped reads the rest of a string with escapes, unescaped into the
// arena.
func (r *objReader) strEscaped(q byte, start int) (string, bool) {
	from := len(*r.arena)
	b := append(*r.arena, r.s[start:r.i]...)
	for r.i < len(r.s) {
		c := r.s[r.i]
		switch {
		case c == q:
			r.i++
			*r.arena = b
			return bytesView(b[from:]), true
		case c == '\n' && q != '`':
			return "", false
		case c != '\\':
			b = append(b, c)
			r.i++
			continue
		}
		r.i++
		if r.i >= len(r.s) {
			return "", false
		}
		e := r.s[r.i]
		r.i++
		switch e {
		case 'n':
			b = append(b, '\n')
		case 't':
			b = append(b, '\t')
		case 'r':
			b = append(b, '\r')
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'u':
			rn, n := unescapeU(r.s[r.i-2:])
			if n == 0 {
				b = append(b, '\\', 'u')
				continue
			}
			b = utf8.AppendRune(b, rn)
			r.i += n - 2
		case 'x':
			if r.i+2 <= len(r.s) {
				if v, ok := textutil.Hex(r.s[r.i : r.i+2]); ok {
					b = utf8.AppendRune(b, rune(v))
					r.i += 2
					continue
				}
			}
			b = append(b, 'x')
		default:
			b = append(b, e)
		}
	}
	return "", false
}

// bare reads an unquoted value: a number, true, false, null, undefined, or
// util.inspect's [Function: f], <ref *1>, 2024-06-21T08:00:00.000Z: up to a
// ',', '}' or ']' outside brackets, or the end of the line.
func (r *objReader) bare() string {
	start := r.i
	depth := 0
	for r.i < len(r.s) && r.i-start < maxValueScan {
		c := r.s[r.i]
		switch c {
		case '[', '(', '<':
			depth++
		case ')', '>':
			if depth > 0 {
				depth--
			}
		case ']':
			if depth == 0 {
				return strings.TrimSpace(r.s[start:r.i])
			}
			depth--
		case ',', '}', '\n':
			if depth == 0 {
				return strings.TrimSpace(r.s[start:r.i])
			}
		}
		r.i++
	}
	return strings.TrimSpace(r.s[start:r.i])
}

// skipValue passes over a value nested too deep, balancing brackets.
func (r *objReader) skipValue() {
	depth := 0
	for r.i < len(r.s) {
		switch c := r.s[r.i]; c {
		case '"', '\'', '`':
			if _, ok := r.str(); !ok {
				r.broken = true
				return
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return
			}
			depth--
			if depth == 0 {
				r.i++
				return
			}
		case ',':
			if depth == 0 {
				return
			}
		}
		r.i++
	}
	r.broken = true
}

// isCloudBase is the shape of an @cloudbase SDK error, as JSON or as the
// object literal console.error prints: {code, message, requestId}.
func isCloudBase(f *table, _ string) bool {
	return hasKey(f, "code") && (hasKey(f, "message") || hasKey(f, "msg"))
}
