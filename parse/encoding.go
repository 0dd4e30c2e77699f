package parse

import (
	"bytes"
	"encoding/binary"
	"unicode/utf8"

	"github.com/wedadiag/wedadiag/internal/textutil"
)

// scanBytes reports whether text holds a NUL byte and whether it is valid
// UTF-8. Most records are ASCII: 32 bytes at a time are checked for a byte
// that is not, and utf8.Valid reads on from the first block that has one.
func scanBytes(text []byte) (nul, valid bool) {
	const hi = 0x8080808080808080
	nul = bytes.IndexByte(text, 0) >= 0
	p := text
	for len(p) >= 32 {
		w := binary.LittleEndian.Uint64(p) | binary.LittleEndian.Uint64(p[8:]) |
			binary.LittleEndian.Uint64(p[16:]) | binary.LittleEndian.Uint64(p[24:])
		if w&hi != 0 {
			break
		}
		p = p[32:]
	}
	return nul, utf8.Valid(p)
}

// looksBrokenJSON is the check every record gets, parsed or not, in O(1):
// a record that opens an object ('{' first) but does not close one ('}'
// last) broke off. With strict (a source of JSON records) a record that
// does not open one is broken too. Finer faults are found by the parse.
func looksBrokenJSON(text []byte, strict bool) bool {
	if n := len(text); n > 0 {
		// Most records: a whole JSON line, or one that starts with
		// neither a blank, a byte order mark nor a brace.
		switch c := text[0]; {
		case c == '{' && text[n-1] == '}':
			return false
		case c != '{' && c != ' ' && c != '\t' && c != '\r' && c != 0xef:
			return strict
		}
	}
	return brokenJSONFull(text, strict)
}

// brokenJSONFull is looksBrokenJSON without its early answers: past the
// blanks at either end and a byte order mark.
func brokenJSONFull(text []byte, strict bool) bool {
	i, j := 0, len(text)
	for i < j && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	for j > i && (text[j-1] == ' ' || text[j-1] == '\t' || text[j-1] == '\r') {
		j--
	}
	if bytes.HasPrefix(text[i:j], []byte("\xef\xbb\xbf")) {
		i += 3
	}
	if i == j {
		return false
	}
	if text[i] != '{' {
		return strict
	}
	return text[j-1] != '}'
}

// toUTF8 turns a record that is not valid UTF-8 into UTF-8: GBK-decoded when
// it does not look like damaged UTF-8 and decodes without error, else with
// invalid bytes replaced (a bad record).
func (p *Parser) toUTF8(text []byte) []byte {
	if !damagedUTF8(text) {
		// A byte of GBK can become three of UTF-8 (0x80 is the euro sign
		// in the decoder's code page): a smaller buffer made the decoding
		// fail for want of room the first time and succeed the next, so a
		// record parsed twice gave two texts.
		if need := len(text)*3 + 4; cap(p.decoded) < need {
			p.decoded = make([]byte, need)
		}
		p.gbk.Reset()
		n, _, err := p.gbk.Transform(p.decoded[:cap(p.decoded)], text, true)
		if out := p.decoded[:n]; err == nil && utf8.Valid(out) && !bytes.ContainsRune(out, utf8.RuneError) {
			return out
		}
	}
	p.bad = append(p.bad, BadInvalidUTF8)
	p.decoded = appendValidUTF8(p.decoded[:0], text)
	return p.decoded
}

// damagedUTF8 reports whether text, not valid UTF-8, is rather UTF-8 with
// some damage than another encoding: more of its bytes form valid UTF-8
// sequences of three or four bytes (as Chinese does in UTF-8; GBK's byte
// pairs rarely do) than are invalid.
func damagedUTF8(text []byte) bool {
	long, invalid := 0, 0
	for i := 0; i < len(text); {
		if text[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(text[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			invalid++
		case n >= 3:
			long += n
		}
		i += n
	}
	return long > invalid
}

func appendValidUTF8(dst, text []byte) []byte {
	for i := 0; i < len(text); {
		if text[i] < utf8.RuneSelf {
			dst = append(dst, text[i])
			i++
			continue
		}
		r, n := utf8.DecodeRune(text[i:])
		if r == utf8.RuneError && n == 1 {
			dst = utf8.AppendRune(dst, utf8.RuneError)
		} else {
			dst = append(dst, text[i:i+n]...)
		}
		i += n
	}
	return dst
}

func appendWithout(dst, text []byte, c byte) []byte {
	for {
		i := bytes.IndexByte(text, c)
		if i < 0 {
			return append(dst, text...)
		}
		dst = append(dst, text[:i]...)
		text = text[i+1:]
	}
}

// unescapeJSON decodes the \uXXXX escapes of text (others are kept), so
// literals in Chinese are found in JSON written with ensure_ascii.
func unescapeJSON(dst, text []byte) []byte {
	for {
		i := bytes.Index(text, []byte(`\u`))
		if i < 0 {
			return append(dst, text...)
		}
		dst = append(dst, text[:i]...)
		r, n := unescapeU(text[i:min(len(text), i+12)])
		if n == 0 {
			dst = append(dst, '\\', 'u')
			text = text[i+2:]
			continue
		}
		dst = utf8.AppendRune(dst, r)
		text = text[i+n:]
	}
}

// unescapeU decodes a \uXXXX escape (a surrogate pair as one rune) at the
// start of s and returns the rune and the bytes it spans, or 0 bytes when s
// holds none.
func unescapeU[T string | []byte](s T) (rune, int) {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return 0, 0
	}
	v, ok := textutil.Hex(s[2:6])
	if !ok {
		return 0, 0
	}
	if v >= 0xD800 && v < 0xDC00 && len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
		if lo, ok := textutil.Hex(s[8:12]); ok && lo >= 0xDC00 && lo < 0xE000 {
			return rune((v-0xD800)<<10|(lo-0xDC00)) + 0x10000, 12
		}
	}
	if v >= 0xD800 && v < 0xE000 {
		return utf8.RuneError, 6
	}
	return rune(v), 6
}
