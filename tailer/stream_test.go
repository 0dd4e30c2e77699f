package tailer

import (
	"strings"
	"testing"

	"github.com/wedadiag/wedadiag/record"
)

func TestStreamCommitsAckedPrefixOnly(t *testing.T) {
	s := &stream{committed: 0}
	for _, end := range []int64{10, 20, 30, 40} {
		s.push(end, false)
	}
	s.push(45, true) // blank lines after the last record
	s.ack(20)
	s.ack(40)
	if c := s.committedOffset(); c != 0 {
		t.Fatalf("committed %d with the first record unacknowledged", c)
	}
	s.ack(10)
	if c := s.committedOffset(); c != 20 {
		t.Fatalf("committed %d, want 20", c)
	}
	s.ack(30)
	if c := s.committedOffset(); c != 45 {
		t.Fatalf("committed %d, want 45", c)
	}
	s.ack(30) // twice: ignored
	s.push(50, false)
	s.unpush(50) // could not be sent
	s.push(50, true)
	if c := s.committedOffset(); c != 50 {
		t.Fatalf("committed %d, want 50", c)
	}
}

func TestStreamManyInFlight(t *testing.T) {
	s := &stream{}
	for i := int64(1); i <= 5000; i++ {
		s.push(i, false)
	}
	for i := int64(5000); i >= 1; i-- {
		s.ack(i)
	}
	if c := s.committedOffset(); c != 5000 {
		t.Fatalf("committed %d", c)
	}
	if len(s.pending) != 0 {
		t.Fatalf("%d pending left", len(s.pending))
	}
}

// FuzzLineSplitter checks that however the bytes are chunked, the lines
// cover the input exactly: each line's text is the input between its
// Offset and its newline (cut at the limit), and Ends chain.
func FuzzLineSplitter(f *testing.F) {
	f.Add([]byte("a\nbb\n\nccc"), uint8(3), uint8(4))
	f.Add([]byte("0123456789\nx\n"), uint8(1), uint8(5))
	f.Fuzz(func(t *testing.T, in []byte, chunk, maxLine uint8) {
		c := int(chunk)%16 + 1
		m := int(maxLine)%20 + 1
		s := newLineSplitter(m, 0)
		var lines []record.Line
		push := func(l record.Line) {
			l.Text = append([]byte(nil), l.Text...)
			lines = append(lines, l)
		}
		for i := 0; i < len(in); i += c {
			s.feed(in[i:min(i+c, len(in))], push)
		}
		s.flush(push)
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
			off = l.End
		}
		if off != int64(len(in)) {
			t.Fatalf("lines end at %d, input is %d bytes", off, len(in))
		}
	})
}

// ackAll commits like ack one by one: only the acknowledged prefix, and
// unknown or repeated Ends are ignored.
func TestStreamAckAll(t *testing.T) {
	s := &stream{}
	for _, end := range []int64{10, 20, 30, 40} {
		s.push(end, false)
	}
	ends := func(e ...int64) []record.Record {
		var out []record.Record
		for _, x := range e {
			out = append(out, record.Record{End: x})
		}
		return out
	}
	s.ackAll(ends(20, 40, 99))
	if c := s.committedOffset(); c != 0 {
		t.Fatalf("committed %d with the first record unacknowledged", c)
	}
	s.ackAll(ends(10))
	if c := s.committedOffset(); c != 20 {
		t.Fatalf("committed %d, want 20", c)
	}
	s.ackAll(ends(20, 30))
	if c := s.committedOffset(); c != 40 {
		t.Fatalf("committed %d, want 40", c)
	}
}
