package diagnose

import (
	"bytes"
	"io"
	"unicode/utf8"
)

// cleanReader reads a stream through r and checks what it reads in bulk,
// one read at a time (a bufio.Reader's whole buffer): it notes the spans
// that hold a NUL byte or bytes that are not valid UTF-8, so that the
// lines read from it are told clean (record.Line.Clean) without a look of
// their own. A character cut between two reads is put together first. A
// check of 256 KiB at once runs several times faster than one per record
// (parse.Text's, which a clean record is spared).
type cleanReader struct {
	r     io.Reader
	off   int64   // the stream offset of the next byte read
	tail  [4]byte // the start of a character the last read cut short
	ntail int
	// dirty are the spans that are not clean, in order; they may overlap
	// a little (each reaches back over a cut character).
	dirty [][2]int64
	next  int // dirty[next:] may still meet the lines asked about
	// passThrough: reads go unchecked (a compressed stream, whose
	// lines are read, and checked, from what it decompresses to).
	passThrough bool
}

func newCleanReader(r io.Reader, off int64) *cleanReader {
	return &cleanReader{r: r, off: off}
}

func (c *cleanReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.passThrough {
		return n, err
	}
	if n > 0 {
		c.check(p[:n])
	}
	if err != nil && c.ntail > 0 {
		// The stream ended inside a character.
		c.dirty = append(c.dirty, [2]int64{c.off - int64(c.ntail), c.off})
		c.ntail = 0
	}
	return n, err
}

// check notes whether b, the bytes read at c.off, are clean.
func (c *cleanReader) check(b []byte) {
	start := c.off
	c.off += int64(len(b))
	bad := bytes.IndexByte(b, 0) >= 0
	head := 0
	if c.ntail > 0 {
		// The character the last read cut short: its continuation bytes.
		k := c.ntail
		for head < len(b) && k < utf8.UTFMax && b[head]&0xc0 == 0x80 && !utf8.FullRune(c.tail[:k]) {
			c.tail[k] = b[head]
			k, head = k+1, head+1
		}
		switch {
		case utf8.FullRune(c.tail[:k]):
			if r, size := utf8.DecodeRune(c.tail[:k]); r == utf8.RuneError && size <= 1 || size != k {
				bad = true
			}
			c.ntail = 0
		case head == len(b):
			c.ntail = k // still cut short: the next read goes on with it
			if bad {
				c.dirty = append(c.dirty, [2]int64{start - utf8.UTFMax, c.off})
			}
			return
		default:
			bad = true // cut short by a byte that continues nothing
			c.ntail = 0
		}
	}
	// A character this read cuts short is checked with the next.
	end := len(b)
	for i := len(b) - 1; i >= head && i >= len(b)-utf8.UTFMax+1; i-- {
		if b[i]&0xc0 != 0x80 {
			if !utf8.FullRune(b[i:]) {
				end = i
			}
			break
		}
	}
	if !utf8.Valid(b[head:end]) {
		bad = true
	}
	c.ntail = copy(c.tail[:], b[end:])
	if bad {
		c.dirty = append(c.dirty, [2]int64{start - utf8.UTFMax, c.off})
	}
}

// clean reports whether the bytes [from, to), read already, are clean.
// Spans are asked about in the order of the stream.
func (c *cleanReader) clean(from, to int64) bool {
	for c.next < len(c.dirty) && c.dirty[c.next][1] <= from {
		c.next++
	}
	if c.next > 64 && c.next > len(c.dirty)/2 {
		c.dirty = c.dirty[:copy(c.dirty, c.dirty[c.next:])]
		c.next = 0
	}
	for i := c.next; i < len(c.dirty) && c.dirty[i][0] < to; i++ {
		if c.dirty[i][1] > from {
			return false
		}
	}
	return true
}
