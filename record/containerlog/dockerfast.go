package containerlog

import (
	"bytes"
	"unicode/utf8"

	"github.com/wedadiag/wedadiag/internal/textutil"
)

// dockerFast reads a line of docker's json-file driver as the driver
// writes it — {"log":"…","stream":"stdout"|"stderr","time":"…Z"}, no
// space, those keys in that order, the log valid UTF-8 whose escapes are
// \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX outside the surrogates, the time in
// the runtime's UTC form — without encoding/json's reflection (about 3 µs
// and 10 allocations a line). sure is false for any other line: the
// caller decodes it with encoding/json, so nothing differs. The Text is
// in st's buffer (valid until the next line) or, without st, new.
func dockerFast(b []byte, st *unwrapState) (l Line, ok, sure bool) {
	const head = `{"log":"`
	if !bytes.HasPrefix(b, []byte(head)) {
		return Line{}, false, false
	}
	var text []byte
	if st != nil {
		text = st.text[:0]
	}
	i := len(head)
	for {
		j := i
		for j < len(b) && b[j] != '"' && b[j] != '\\' && b[j] >= 0x20 {
			j++
		}
		if j == len(b) || b[j] < 0x20 {
			return Line{}, false, false
		}
		run := b[i:j]
		if !utf8.Valid(run) {
			return Line{}, false, false // json replaces invalid bytes: let it
		}
		text = append(text, run...)
		if b[j] == '"' {
			i = j + 1
			break
		}
		// An escape.
		if j+1 >= len(b) {
			return Line{}, false, false
		}
		switch c := b[j+1]; c {
		case '"', '\\', '/':
			text = append(text, c)
		case 'b':
			text = append(text, '\b')
		case 'f':
			text = append(text, '\f')
		case 'n':
			text = append(text, '\n')
		case 'r':
			text = append(text, '\r')
		case 't':
			text = append(text, '\t')
		case 'u':
			if j+6 > len(b) {
				return Line{}, false, false
			}
			v, okHex := textutil.Hex(b[j+2 : j+6])
			r := rune(v)
			if !okHex || r >= 0xd800 && r < 0xe000 {
				return Line{}, false, false // surrogates: let json pair them
			}
			text = utf8.AppendRune(text, r)
			i = j + 6
			continue
		default:
			return Line{}, false, false
		}
		i = j + 2
	}
	rest := b[i:]
	var stream string
	switch {
	case bytes.HasPrefix(rest, []byte(`,"stream":"stdout","time":"`)):
		stream = "stdout"
	case bytes.HasPrefix(rest, []byte(`,"stream":"stderr","time":"`)):
		stream = "stderr"
	default:
		return Line{}, false, false
	}
	rest = rest[len(`,"stream":"stdout","time":"`):]
	if len(rest) < 2 || string(rest[len(rest)-2:]) != `"}` {
		return Line{}, false, false
	}
	var ts *lastSecond
	if st != nil {
		ts = &st.second
	}
	t, utc := ts.fast(rest[:len(rest)-2])
	if !utc {
		return Line{}, false, false // another form: json's time parsing decides
	}
	if t.IsZero() {
		return Line{}, false, true
	}
	if st != nil && cap(text) <= maxKeptText {
		st.text = text // kept for the next line; a huge one's is let go
	} else if text == nil {
		text = []byte{}
	}
	partial := true
	if n := len(text); n > 0 && text[n-1] == '\n' {
		text, partial = text[:n-1], false
		if n := len(text); n > 0 && text[n-1] == '\r' {
			text = text[:n-1]
		}
	}
	return Line{Stream: stream, Time: t, Text: text, Partial: partial}, true, true
}

// maxKeptText is the largest text buffer a source keeps from one docker
// line to the next (the driver splits lines at 16 KiB).
const maxKeptText = 64 << 10
