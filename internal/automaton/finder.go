package automaton

import "strings"

// Finder finds one string in texts by its rarest byte (byteRank): it looks
// for that byte with strings.IndexByte and compares the string around each
// one it finds. strings.Index starts from the first byte, which in log
// text is often one of the commonest ('t' of "tatus", ' ' of " (", 'e'
// of "eq"): every one of those is a call and a comparison.
type Finder struct {
	sub string
	k   int // the byte of sub looked for
}

// NewFinder returns a Finder of sub.
func NewFinder(sub string) Finder {
	f := Finder{sub: sub}
	for i := 1; i < len(sub); i++ {
		if finderRank(sub[i]) < finderRank(sub[f.k]) {
			f.k = i
		}
	}
	return f
}

// finderRank is byteRank, except that a UTF-8 continuation byte counts as
// rare: looked for by its value, one of 64, it is found far less often in
// Chinese text than the lead byte of its character, one of a few (over the
// error lines of the load test, 状态码 is found 2.4× faster by its second
// byte than by its first).
func finderRank(b byte) int {
	if b >= 0x80 && b < 0xc0 {
		return 3
	}
	return rankOf(b)
}

// Index returns the offset of the first sub in s, or -1: strings.Index.
func (f Finder) Index(s string) int {
	n := len(f.sub)
	if n <= 1 || len(s) < n {
		return strings.Index(s, f.sub)
	}
	c := f.sub[f.k]
	last := len(s) - n + f.k // the last place the byte may be
	for off := f.k; off <= last; {
		j := strings.IndexByte(s[off:last+1], c)
		if j < 0 {
			return -1
		}
		at := off + j - f.k
		if s[at:at+n] == f.sub {
			return at
		}
		off += j + 1
	}
	return -1
}

// Len is the length of the string found.
func (f Finder) Len() int { return len(f.sub) }

// In reports whether sub is in s.
func (f Finder) In(s string) bool { return f.Index(s) >= 0 }
