package automaton

import (
	"encoding/binary"
	"math/bits"
	"sync"
	"unsafe"
)

// teddySegment is the positions whose candidates scanTeddy decides at a
// time, in a bit set on the stack: most records fit in one.
const teddySegment = 1024

type candidates [teddySegment / 64]uint64

// lazyTeddy builds an automaton's tables on its first text long enough
// for them: the greedy spread of keys over buckets takes about a
// millisecond, which a run that matches nothing (an empty file) need not
// spend.
type lazyTeddy struct {
	once sync.Once
	keys []string
	t    *teddyTables
}

func (l *lazyTeddy) tables() *teddyTables {
	l.once.Do(func() {
		l.t = newTeddy(l.keys, teddyMaxPass)
		l.keys = nil
	})
	return l.t
}

// builtTeddy is a lazyTeddy of tables already built.
func builtTeddy(t *teddyTables) *lazyTeddy {
	l := &lazyTeddy{t: t}
	l.once.Do(func() {})
	return l
}

// scanTeddy is Scan with the vector prefilter: it goes from candidate to
// candidate (fillCandidates) and compares the keys at those startFilter
// keeps. text has at least one block's bytes.
func (a *Automaton) scanTeddy(t *teddyTables, text []byte, hits []Hit) []Hit {
	var cand candidates
	f := a.starts
	n := len(text)
	for from := 0; from < n; from += teddySegment {
		end := a.fillCandidates(t, text, from, &cand)
		for wi, w := range cand[:(end-from+63)/64] {
			for w != 0 {
				i := from + wi*64 + bits.TrailingZeros64(w)
				w &= w - 1
				if i+4 <= n {
					// The first two bytes of q are the pair.
					q := binary.LittleEndian.Uint32(text[i:])
					if x := q & 0xffff; f.first[x>>6]&(1<<(x&63)) != 0 && f.mayQuad(q) {
						hits = a.at(text, i, hits)
					}
					continue
				}
				if i+1 == n {
					return a.last(text, hits)
				}
				if hasPair(&f.first, text[i], text[i+1]) {
					hits = a.at(text, i, hits) // too near the end for a key of four
				}
			}
		}
	}
	return hits
}

// fillCandidates sets in cand, bit q for position from+q, the candidates
// among the positions from on, at most teddySegment of them, and returns
// the end of those positions. Of the last teddyWidth-1 positions of text,
// which the tables cannot decide, those where a key that short begins are
// candidates.
func (a *Automaton) fillCandidates(t *teddyTables, text []byte, from int, cand *candidates) int {
	n := len(text)
	end := min(n, from+teddySegment)
	clear(cand[:(end-from+63)/64])
	decidable := max(min(end, n-teddyWidth+1)-from, 0)
	if blocks := decidable / teddyBlock; blocks > 0 {
		// The whole blocks, and one more that ends at the last
		// decidable position when they leave some.
		tail := 0
		if decidable%teddyBlock != 0 {
			tail = decidable - teddyBlock
		}
		last := teddyFill(t, &text[from], blocks, (*uint16)(unsafe.Pointer(&cand[0])), tail)
		if tail != 0 {
			setBits(cand, tail, last)
		}
	} else {
		for q := 0; q < decidable; q++ {
			if t.candidate(text, from+q) {
				setBits(cand, q, 1)
			}
		}
	}
	for q := decidable; q < end-from; q++ {
		// Fewer than teddyWidth bytes left: only a shorter key fits.
		if left := n - from - q; a.shortKeys[text[from+q]]&(1<<left-1) != 0 {
			setBits(cand, q, 1)
		}
	}
	return end
}

// setBits ORs the bits of v into cand from bit q on.
func setBits(cand *candidates, q int, v uint64) {
	cand[q>>6] |= v << (q & 63)
	if sh := q & 63; sh != 0 && q>>6+1 < len(cand) {
		cand[q>>6+1] |= v >> (64 - sh)
	}
}
