package redact

import (
	"math/bits"
	"sync"
)

// gates finds, in one pass over a text, which built-in steps have a gate
// word in it (ASCII case ignored): what builtin.gate says for each step,
// without a scan of the text per gate word. A byte that cannot start a
// gate word, or whose next byte cannot follow that start, costs two table
// reads.
type gates struct {
	// first[c] and second[c] are the gate words (bits of words) whose first
	// and second byte is c in either case; a one-byte word is in second
	// for every c, and in last.
	first, second [256]uint64
	last          uint64
	all           uint64 // every word's bit
	words         []gateWord
	always        uint32 // steps without gate words
}

type gateWord struct {
	w     string // lower case
	step  uint32 // the bit of its step
	peers uint64 // the bits of its step's words
}

// newGates builds the table of bs's gate words; ok is false when there are
// more than 64 words or 32 steps (then every text is scanned per word).
func newGates(bs []builtin) (g *gates, ok bool) {
	g = &gates{}
	if len(bs) > 32 {
		return nil, false
	}
	for k, b := range bs {
		if len(b.quick) == 0 {
			g.always |= 1 << k
		}
		for _, w := range b.quick {
			if w == "" || len(g.words) == 64 {
				return nil, false
			}
			bit := uint64(1) << len(g.words)
			g.words = append(g.words, gateWord{w: w, step: 1 << k})
			g.all |= bit
			for _, c := range bothCases(w[0]) {
				g.first[c] |= bit
			}
			if len(w) == 1 {
				g.last |= bit
				for c := range g.second {
					g.second[c] |= bit
				}
				continue
			}
			for _, c := range bothCases(w[1]) {
				g.second[c] |= bit
			}
		}
	}
	for i := range g.words {
		for j, v := range g.words {
			if v.step == g.words[i].step {
				g.words[i].peers |= 1 << j
			}
		}
	}
	return g, true
}

func bothCases(c byte) []byte {
	if c >= 'a' && c <= 'z' {
		return []byte{c, c - 'a' + 'A'}
	}
	return []byte{c}
}

// scan returns the bits of the steps whose gate is open for s.
func (g *gates) scan(s string) uint32 {
	open := g.always
	wanted := g.all // the words of steps not open yet
	for i := 0; i < len(s) && wanted != 0; i++ {
		m := g.first[s[i]] & wanted
		if m == 0 {
			continue
		}
		if i+1 < len(s) {
			m &= g.second[s[i+1]]
		} else {
			m &= g.last
		}
		for m != 0 {
			k := bits.TrailingZeros64(m)
			m &^= 1 << k
			w := g.words[k]
			if wanted&(1<<k) != 0 && hasPrefixFold(s[i:], w.w) {
				open |= w.step
				wanted &^= w.peers
			}
		}
	}
	return open
}

// hasPrefixFold reports whether s starts with the lower-case word w,
// ignoring ASCII case.
func hasPrefixFold(s, w string) bool {
	if len(s) < len(w) {
		return false
	}
	for j := 0; j < len(w); j++ {
		if lower(s[j]) != w[j] {
			return false
		}
	}
	return true
}

// builtinGates is the gate table of builtins (ok false: there is none,
// gate each step on its own).
var builtinGates = sync.OnceValues(func() (*gates, bool) { return newGates(builtins()) })
