package diagnose

import (
	"bufio"
	"bytes"
	"io"
	"testing"
	"unicode/utf8"
)

// chunkReader returns its bytes in reads of the sizes given, in turn, so
// that characters are cut between reads.
type chunkReader struct {
	b     []byte
	sizes []byte
	i     int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := 1
	if len(r.sizes) > 0 {
		n = 1 + int(r.sizes[r.i%len(r.sizes)])%64
		r.i++
	}
	n = copy(p[:min(n, len(p))], r.b)
	r.b = r.b[n:]
	return n, nil
}

// checkClean reads in through a cleanReader in reads of the given sizes
// and a lineReader over it, as Scan does, and checks every line: one told
// clean holds no NUL and is valid UTF-8 (never wrongly clean); and when
// the whole input is clean, so is every line (the check spares them).
func checkClean(t *testing.T, in []byte, sizes []byte) {
	t.Helper()
	cr := newCleanReader(&chunkReader{b: in, sizes: sizes}, 0)
	lr := lineReader{br: bufio.NewReaderSize(cr, 16), max: 1 << 20, check: cr}
	all := bytes.IndexByte(in, 0) < 0 && utf8.Valid(in)
	for {
		start := lr.off
		_, _, err := lr.next()
		if lr.off > start {
			raw := in[start:lr.off]
			ok := bytes.IndexByte(raw, 0) < 0 && utf8.Valid(raw)
			if c := lr.clean(start); c && !ok {
				t.Fatalf("%q read in %v: line %q at %d told clean", in, sizes, raw, start)
			} else if !c && all {
				t.Fatalf("%q read in %v: line %q at %d of a clean input not told clean", in, sizes, raw, start)
			}
		}
		if err != nil {
			return
		}
	}
}

var cleanSeeds = []string{
	"", "a\n", "数据库\n资源\n", "ok\x00\nok\n", "\xe6\x95\n\xb0\n", "abc\xe6\x95", "\xff\xfe\n", "错误码：100009\n\xe6\x95\xb0据\n",
	"\xed\xa0\x80\n", "\xf0\x9f\x98\x80 emoji\n", "\xc3\x28\n", "GBK \xb4\xed\xce\xf3\n",
}

func TestCleanReader(t *testing.T) {
	for _, s := range cleanSeeds {
		for _, sizes := range [][]byte{nil, {0}, {1}, {2}, {0, 1, 2}, {5, 0, 3}, {63}} {
			checkClean(t, []byte(s), sizes)
		}
	}
}

func FuzzCleanReader(f *testing.F) {
	for _, s := range cleanSeeds {
		f.Add([]byte(s), []byte{0, 1, 2})
	}
	f.Fuzz(func(t *testing.T, in, sizes []byte) { checkClean(t, in, sizes) })
}
