package automaton

import (
	"math/bits"
	"sync"
)

// The vector prefilter ("Teddy", after the packed searcher of Hyperscan
// and Rust's aho-corasick) tells, for 16 positions at a time, which may
// start a key: it looks the low and the high nibble of each of the four
// bytes from a position up in tables of 16 buckets of keys, and a position
// is a candidate when, for some bucket, all eight lookups hold it. A key
// of fewer than four bytes leaves the lookups past its end open. The test
// is a superset of startFilter's: each candidate is checked by it before
// its keys are compared, so the hits are those of the scalar scan, found with
// far fewer instructions a byte. It runs where the CPU has AVX2
// (teddy_amd64.s); elsewhere, and for short texts, skip does the work.

// teddyWidth is the bytes of a key the buckets test.
const teddyWidth = 4

// teddyBuckets is how many buckets the keys are spread over: eight in each
// 128-bit lane of an AVX2 register.
const teddyBuckets = 16

// teddyBlock is the positions one step of the vector loop decides; a step
// reads teddyBlock+teddyWidth-1 bytes.
const teddyBlock = 16

// teddyTables are the lookups, position after position: for position k,
// [2k] by the low nibble, [2k+1] by the high one; bytes 0-15 of each hold
// the bits of buckets 0-7, bytes 16-31 those of buckets 8-15, so that one
// byte shuffle of a register that holds the same 16 text bytes in both
// lanes looks up all 16 buckets.
type teddyTables [2 * teddyWidth][32]byte

// teddyMaxPass bounds the share of positions the buckets may let through,
// estimated over log text (teddyCost): above it the candidates' checks
// would cost more than the vector loop saves, and the scalar skip is used.
const teddyMaxPass = 0.12

// nibbleSets are a bucket's nibbles at each position: bit v of lo[k] is
// set when some key of the bucket has a byte of low nibble v at k; odds[k]
// is nibblePass of lo[k] and hi[k].
type nibbleSets struct {
	lo, hi [teddyWidth]uint16
	odds   [teddyWidth]float64
	n      int // keys in the bucket
}

// with returns the bucket with key added to it, its odds brought up to
// date by the nibbles that are new.
func (b nibbleSets) with(key string) nibbleSets {
	for k := range teddyWidth {
		if k >= len(key) {
			b.lo[k], b.hi[k], b.odds[k] = 0xffff, 0xffff, 1 // any byte
			continue
		}
		lo, hi := b.lo[k]|1<<(key[k]&15), b.hi[k]|1<<(key[k]>>4)
		if lo == b.lo[k] && hi == b.hi[k] {
			continue // nothing new at k
		}
		if b.n == 0 {
			b.odds[k] = 0
		}
		// The new cells: the new high nibble's row over the low
		// nibbles, the new low nibble's column over the old high ones.
		b.odds[k] += nibblePass(lo, hi&^b.hi[k]) + nibblePass(lo&^b.lo[k], b.hi[k])
		b.lo[k], b.hi[k] = lo, hi
	}
	b.n++
	return b
}

// nibbleOdds is, for each high and low nibble, how likely a byte of log
// text is hi<<4|lo: its share in logByteFreq (measured over 44 log
// formats), plus a floor of one in 10,000 so that no byte is taken for
// free. What the buckets are weighed by. byteRank's ten coarse ranks, which
// anchor uses, did this before: they let through 1.9 and 1.6 times the
// positions on the success and mixed bench corpora and 1.3 times on the
// accuracy corpus (docs/speed.md).
// It is worked out on first use, not at package init: every process
// imports this package, few build tables.
var nibbleOdds = sync.OnceValue(func() *[16][16]float64 {
	const floor = 10 // per 100,000, as logByteFreq
	var p [16][16]float64
	total := 0.0
	for b := range 256 {
		w := float64(logByteFreq[b]) + floor
		p[b>>4][b&15] = w
		total += w
	}
	for h := range 16 {
		for l := range 16 {
			p[h][l] /= total
		}
	}
	return &p
})

// pass estimates the share of positions in log text the bucket lets
// through, the positions taken as independent.
func (b *nibbleSets) pass() float64 {
	if b.n == 0 {
		return 0
	}
	odds := 1.0
	for _, o := range b.odds {
		odds *= o
	}
	return odds
}

// nibblePass is the odds of a byte whose low nibble is in lo and high one
// in hi.
func nibblePass(lo, hi uint16) float64 {
	s := 0.0
	odds := nibbleOdds()
	for h := hi; h != 0; h &= h - 1 {
		row := &odds[bits.TrailingZeros16(h)]
		for l := lo; l != 0; l &= l - 1 {
			s += row[bits.TrailingZeros16(l)]
		}
	}
	return s
}

// newTeddy spreads keys over the buckets, each key into the bucket whose
// estimated pass grows least, the keys of fewer than teddyWidth bytes
// first (they open whole positions, so they had best share a bucket), and
// returns the tables, or nil when the buckets would let through more than
// maxPass (teddyMaxPass) of log text or there is no key.
func newTeddy(keys []string, maxPass float64) *teddyTables {
	if len(keys) == 0 {
		return nil
	}
	order := make([]string, 0, len(keys))
	for _, k := range keys {
		if len(k) < teddyWidth {
			order = append(order, k)
		}
	}
	for _, k := range keys {
		if len(k) >= teddyWidth {
			order = append(order, k)
		}
	}
	var buckets [teddyBuckets]nibbleSets
	var cost [teddyBuckets]float64
	for _, key := range order {
		best, bestGrowth := 0, 2.0
		for i := range buckets {
			b := buckets[i].with(key)
			if g := b.pass() - cost[i]; g < bestGrowth {
				best, bestGrowth = i, g
			}
			if buckets[i].n == 0 {
				break // the empty buckets are alike: try one
			}
		}
		buckets[best] = buckets[best].with(key)
		cost[best] = buckets[best].pass()
	}
	total := 0.0
	for _, c := range cost {
		total += c
	}
	if total > maxPass {
		return nil
	}
	t := new(teddyTables)
	for i, b := range buckets {
		if b.n == 0 {
			continue
		}
		lane, bit := (i/8)*16, byte(1)<<(i%8)
		for k := range teddyWidth {
			for v := range 16 {
				if b.lo[k]&(1<<v) != 0 {
					t[2*k][lane+v] |= bit
				}
				if b.hi[k]&(1<<v) != 0 {
					t[2*k+1][lane+v] |= bit
				}
			}
		}
	}
	return t
}

// candidate reports whether the tables let position i of text through, i
// at least teddyWidth bytes before its end: the scalar form of one bit of
// the vector loop, for tests and the text's last positions.
func (t *teddyTables) candidate(text []byte, i int) bool {
	var lo, hi uint16 = 0xffff, 0xffff
	for k := range teddyWidth {
		c := text[i+k]
		lo &= uint16(t[2*k][c&15]) | uint16(t[2*k][16+c&15])<<8
		hi &= uint16(t[2*k+1][c>>4]) | uint16(t[2*k+1][16+c>>4])<<8
	}
	return lo&hi != 0
}
