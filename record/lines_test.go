package record

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplitterHoldsAtMostTheLimit(t *testing.T) {
	const limit = 200_000
	s := NewLineSplitter(limit, 0)
	chunk := bytes.Repeat([]byte("y"), 4096)
	var got []Line
	for range 1000 {
		s.Feed(chunk, func(l Line) { got = append(got, l) })
		if cap(s.partial) > limit {
			t.Fatalf("holding %d bytes of a line, limit %d", cap(s.partial), limit)
		}
	}
	s.Feed([]byte("\nz\n"), func(l Line) {
		l.Text = append([]byte(nil), l.Text...)
		got = append(got, l)
	})
	if len(got) != 2 || len(got[0].Text) != limit || !got[0].Cut || got[0].End != 4096*1000+1 || string(got[1].Text) != "z" {
		t.Fatalf("lines %+v", got)
	}
}

// FuzzLineSplitter checks that however the bytes are chunked, the lines
// cover the input exactly: each line's text is the input between its
// Offset and its newline (cut at the limit), and Ends chain.
func FuzzLineSplitter(f *testing.F) {
	f.Add([]byte("a\nbb\n\nccc"), uint8(3), uint8(4))
	f.Add([]byte("0123456789\nx\n"), uint8(1), uint8(5))
	f.Add([]byte("好的\n\xe5\xa5\n\x00a\nok\n"), uint8(15), uint8(19))
	f.Fuzz(func(t *testing.T, in []byte, chunk, maxLine uint8) {
		c := int(chunk)%16 + 1
		m := int(maxLine)%20 + 1
		s := NewLineSplitter(m, 0)
		var lines []Line
		push := func(l Line) {
			l.Text = append([]byte(nil), l.Text...)
			lines = append(lines, l)
		}
		for i := 0; i < len(in); i += c {
			s.Feed(in[i:min(i+c, len(in))], push)
		}
		s.Flush(push)
		var off int64
		for _, l := range lines {
			if l.Offset != off {
				t.Fatalf("line at %d, want %d", l.Offset, off)
			}
			rest := string(in[l.Offset:])
			full, _, nl := strings.Cut(rest, "\n")
			end := l.Offset + int64(len(full))
			if nl {
				end++
			}
			if l.End != end {
				t.Fatalf("line %d..%d, want end %d", l.Offset, l.End, end)
			}
			want := full
			if len(want) > m {
				want = want[:m]
			}
			if string(l.Text) != want || l.Cut != (len(full) > m) {
				t.Fatalf("line %q cut=%v, want %q", l.Text, l.Cut, want)
			}
			if l.Clean && (!utf8.Valid(l.Text) || bytes.IndexByte(l.Text, 0) >= 0 || l.Cut) {
				t.Fatalf("line %q is told clean", l.Text)
			}
			off = l.End
		}
		if off != int64(len(in)) {
			t.Fatalf("lines end at %d, input is %d bytes", off, len(in))
		}
	})
}

// Lines that start and end inside a chunk are told Clean when the chunk's
// whole lines hold no NUL and are valid UTF-8, and not otherwise; a line
// that spans two chunks or is cut is not told so.
func TestSplitterTellsCleanLines(t *testing.T) {
	for _, c := range []struct {
		chunks []string
		clean  []bool
	}{
		{[]string{"ab\n好\n"}, []bool{true, true}},
		{[]string{"ab\n\xff\n"}, []bool{false, false}},
		{[]string{"ab\n\x00\n"}, []bool{false, false}},
		{[]string{"ab", "c\nde\n"}, []bool{false, true}},
		{[]string{"ab\n\xe5\xa5", "\xbd\nx\n"}, []bool{true, false, true}},
		{[]string{"0123456789abc\nok\n"}, []bool{false, true}},
	} {
		s := NewLineSplitter(10, 0)
		var got []bool
		for _, ch := range c.chunks {
			s.Feed([]byte(ch), func(l Line) { got = append(got, l.Clean) })
		}
		if fmt.Sprint(got) != fmt.Sprint(c.clean) {
			t.Errorf("%q: clean %v, want %v", c.chunks, got, c.clean)
		}
	}
}
