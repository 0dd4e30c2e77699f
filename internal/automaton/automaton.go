package automaton

import (
	"encoding/binary"
	"slices"
	"strings"
)

// Automaton is a multi-literal matcher that reports every occurrence of
// every literal, overlapping ones included ("FailedOperation" inside
// "FailedOperation.FlexdbResourceOverdue"), which is what deciding the
// candidate rules and the whole-token codes needs.
//
// Each literal is anchored at its rarest byte in log text (anchor.go); its
// key is at most maxKey bytes from the anchor ("xception" of "Exception"),
// and a key found is verified by comparing the prefix before it and the
// rest after it. The scan passes over the bytes in a tight loop (skip, or
// the vector loop of teddy.go) to the positions where a key may start:
// where the byte and the next begin some key and the four bytes from
// there may begin one (startFilter: the 'c' of "code", not that of
// "count" or "cost"; the "us" of `us":5`, not that of "user"). There it
// compares the keys that begin with those two bytes,
// eight bytes at a time, and goes on from the next position. An
// Aho-Corasick DFA did this part before: it walked every key prefix byte
// by byte, a dependent table load each, through "level" of every JSON line
// and "HTTP/1.1" of every access line, to fail a few bytes later.
type Automaton struct {
	starts *startFilter
	// teddy builds on first use the tables that find the candidates of
	// startFilter 16 positions at a time (none when the keys do not suit
	// them), for the vector loop where the CPU has it (haveTeddy).
	teddy *lazyTeddy
	keys  []key // grouped by their first two bytes, the keys of one byte apart
	// slots is an open-addressed table of the first two bytes of keys
	// (pairHash): the keys that begin with them.
	slots []pairSlot
	bits  uint32      // len(slots) is 1<<bits
	one   [256]uint16 // by byte: 1 + the index of the key of that one byte, 0 for none
	// shortKeys has, by byte, bit l-1 set when a key of l bytes, l at
	// most teddyWidth-1, begins with it: the keys that can start in the
	// last bytes of a text, where the vector loop cannot look.
	shortKeys [256]uint8
	lens      []uint32 // literal lengths by literal id
}

// key is one key and the literals anchored at it.
type key struct {
	word, mask uint64 // the key's bytes, little-endian, and the mask of them
	text       string
	refs       []litRef
}

type pairSlot struct {
	pair uint16
	used bool
	keys []key // the keys that begin with pair, a part of Automaton.keys
}

// startFilter holds bit sets over pairs of bytes, b0|b1<<8, and over
// the first four bytes of keys (quadBit). A key can start at text[i] only
// when first holds text[i:i+2] and either short holds it too or four
// holds text[i:i+4].
type startFilter struct {
	first [1 << 10]uint64 // the first two bytes of a key (of a key of one byte b0: b0 and any byte)
	short [1 << 10]uint64 // the same, of the keys of one to three bytes
	four  [1 << 10]uint64 // the first four bytes of a key of four or more, hashed
}

// quadBit hashes four bytes, little-endian, to a bit of startFilter.four;
// quads that share a bit only let more positions through to the table.
func quadBit(q uint32) uint32 {
	return uint32(uint64(q) * 0x9e3779b97f4a7c15 >> 48)
}

func setPair(set *[1 << 10]uint64, b0, b1 byte) {
	x := uint32(b0) | uint32(b1)<<8
	set[x>>6] |= 1 << (x & 63)
}

func hasPair(set *[1 << 10]uint64, b0, b1 byte) bool {
	x := uint32(b0) | uint32(b1)<<8
	return set[x>>6]&(1<<(x&63)) != 0
}

// may reports whether a key may start at text[i], whose pair first holds.
func (f *startFilter) may(text []byte, i int) bool {
	if i+4 > len(text) {
		return true
	}
	return f.mayQuad(binary.LittleEndian.Uint32(text[i:]))
}

// mayQuad is may of the four bytes q, little-endian, whose first two
// first holds: small enough to be inlined in the candidate loops.
func (f *startFilter) mayQuad(q uint32) bool {
	x, y := q&0xffff, quadBit(q)
	return f.short[x>>6]&(1<<(x&63)) != 0 || f.four[y>>6]&(1<<(y&63)) != 0
}

type litRef struct {
	id     uint32
	len    uint32 // the literal's
	prefix string
	rest   string
	// exact: the literal is its key ("code", "["), found once the key is:
	// nothing before or after it to compare.
	exact bool
}

// maxKey bounds the bytes of a literal its key holds (eight: one word to
// compare); the rest is compared on a hit.
const maxKey = 8

// New compiles lits (non-empty, distinct) into an automaton whose
// literal ids are the indexes of lits.
func New(lits []string) *Automaton {
	a := &Automaton{lens: make([]uint32, len(lits))}
	var texts []string
	var refs [][]litRef // by key: the literals anchored at it
	keyID := map[string]int{}
	for id, l := range lits {
		a.lens[id] = uint32(len(l))
		k := anchor(l)
		t := keyOf(l, k)
		kid, ok := keyID[t]
		if !ok {
			kid = len(texts)
			keyID[t] = kid
			texts = append(texts, t)
			refs = append(refs, nil)
		}
		refs[kid] = append(refs[kid], litRef{id: uint32(id), len: uint32(len(l)), prefix: l[:k], rest: l[k+len(t):], exact: len(t) == len(l)})
	}

	f := new(startFilter)
	a.starts = f
	for _, t := range texts {
		switch {
		case len(t) == 1:
			for b := 0; b < 256; b++ {
				setPair(&f.first, t[0], byte(b))
				setPair(&f.short, t[0], byte(b))
			}
		case len(t) < 4:
			setPair(&f.first, t[0], t[1])
			setPair(&f.short, t[0], t[1])
		default:
			setPair(&f.first, t[0], t[1])
			x := quadBit(binary.LittleEndian.Uint32([]byte(t)))
			f.four[x>>6] |= 1 << (x & 63)
		}
	}
	a.teddy = &lazyTeddy{keys: texts}

	// The keys, those of two bytes or more grouped by their first two,
	// in the order of lits within a group.
	order := make([]int, len(texts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmpFirstTwo(texts[x], texts[y]) })
	groups := 0
	for j, kid := range order {
		t := texts[kid]
		var word, mask uint64
		for b := 0; b < len(t); b++ {
			word |= uint64(t[b]) << (8 * b)
			mask |= 0xff << (8 * b)
		}
		a.keys = append(a.keys, key{word: word, mask: mask, text: t, refs: refs[kid]})
		if len(t) < teddyWidth {
			a.shortKeys[t[0]] |= 1 << (len(t) - 1)
		}
		if len(t) == 1 {
			a.one[t[0]] = uint16(j + 1)
		} else if j == 0 || len(texts[order[j-1]]) == 1 || cmpFirstTwo(texts[order[j-1]], t) != 0 {
			groups++
		}
	}
	a.bits = 1
	for 1<<a.bits < 2*groups {
		a.bits++
	}
	a.slots = make([]pairSlot, 1<<a.bits)
	for j := 0; j < len(a.keys); {
		t := a.keys[j].text
		if len(t) == 1 {
			j++
			continue
		}
		end := j + 1
		for end < len(a.keys) && len(a.keys[end].text) > 1 && cmpFirstTwo(a.keys[end].text, t) == 0 {
			end++
		}
		p := uint16(t[0]) | uint16(t[1])<<8
		h := a.pairHash(p)
		for a.slots[h].used {
			h = (h + 1) & (1<<a.bits - 1)
		}
		a.slots[h] = pairSlot{pair: p, used: true, keys: a.keys[j:end:end]}
		j = end
	}
	return a
}

// cmpFirstTwo orders keys by their first two bytes, a key of one byte
// first.
func cmpFirstTwo(x, y string) int {
	return strings.Compare(x[:min(2, len(x))], y[:min(2, len(y))])
}

// keyOf is the key of lit anchored at k: at most maxKey bytes from k.
func keyOf(lit string, k int) string {
	return lit[k:min(len(lit), k+maxKey)]
}

func (a *Automaton) pairHash(p uint16) uint32 {
	return uint32(p) * 0x9e3779b1 >> (32 - a.bits)
}

// Hit is one occurrence of a literal.
type Hit struct {
	Lit uint32 // the literal id, its index in New's list
	End uint32 // the offset just after it
}

// Scan appends to hits every occurrence of every literal in text, in order
// of the offsets of their keys (so a literal with a prefix before its key
// may come after one that starts later), and returns the extended slice.
// It allocates only when hits must grow.
func (a *Automaton) Scan(text []byte, hits []Hit) []Hit {
	if haveTeddy && a.teddy != nil && len(text) >= teddyBlock+teddyWidth-1 {
		if t := a.teddy.tables(); t != nil {
			return a.scanTeddy(t, text, hits)
		}
	}
	n := len(text)
	for i := 0; i < n; i++ {
		i = skip(a.starts, text, i)
		if i+1 == n {
			return a.last(text, hits)
		}
		hits = a.at(text, i, hits)
	}
	return hits
}

// last appends the hit of a key of one byte that is text's last byte.
func (a *Automaton) last(text []byte, hits []Hit) []Hit {
	i := len(text) - 1
	if k := a.one[text[i]]; k != 0 {
		hits = a.report(text, &a.keys[k-1], i, hits)
	}
	return hits
}

// at appends the hits of the keys that start at text[i], i before the last
// byte.
func (a *Automaton) at(text []byte, i int, hits []Hit) []Hit {
	if k := a.one[text[i]]; k != 0 {
		hits = a.report(text, &a.keys[k-1], i, hits)
	}
	p := uint16(text[i]) | uint16(text[i+1])<<8
	h := a.pairHash(p)
	for {
		s := &a.slots[h]
		if !s.used {
			return hits
		}
		if s.pair == p {
			break
		}
		h = (h + 1) & (1<<a.bits - 1)
	}
	keys := a.slots[h].keys
	if i+8 <= len(text) {
		w := binary.LittleEndian.Uint64(text[i:])
		for j := range keys {
			if k := &keys[j]; (w^k.word)&k.mask == 0 {
				hits = a.report(text, k, i, hits)
			}
		}
		return hits
	}
	for j := range keys {
		if k := &keys[j]; hasAt(text, i, k.text) {
			hits = a.report(text, k, i, hits)
		}
	}
	return hits
}

// skip returns the first offset from i on where a key may start (the
// startFilter), or the offset of the last byte. Four pairs a step, in a
// function of its own: the loop keeps its values in registers and
// branches once a byte, each branch seldom taken.
func skip(f *startFilter, text []byte, i int) int {
	first := &f.first
	t := text[i:]
	for len(t) >= 5 {
		if x := uint32(t[0]) | uint32(t[1])<<8; first[x>>6]&(1<<(x&63)) != 0 && f.may(text, len(text)-len(t)) {
			return len(text) - len(t)
		}
		if x := uint32(t[1]) | uint32(t[2])<<8; first[x>>6]&(1<<(x&63)) != 0 && f.may(text, len(text)-len(t)+1) {
			return len(text) - len(t) + 1
		}
		if x := uint32(t[2]) | uint32(t[3])<<8; first[x>>6]&(1<<(x&63)) != 0 && f.may(text, len(text)-len(t)+2) {
			return len(text) - len(t) + 2
		}
		if x := uint32(t[3]) | uint32(t[4])<<8; first[x>>6]&(1<<(x&63)) != 0 && f.may(text, len(text)-len(t)+3) {
			return len(text) - len(t) + 3
		}
		t = t[4:]
	}
	for len(t) >= 2 {
		if x := uint32(t[0]) | uint32(t[1])<<8; first[x>>6]&(1<<(x&63)) != 0 && f.may(text, len(text)-len(t)) {
			break
		}
		t = t[1:]
	}
	return len(text) - len(t)
}

// report appends the literals anchored at key k, found at text[i], their
// prefixes and rests verified.
func (a *Automaton) report(text []byte, k *key, i int, hits []Hit) []Hit {
	keyEnd := i + len(k.text)
	for j := range k.refs {
		r := &k.refs[j]
		if r.exact {
			hits = append(hits, Hit{Lit: r.id, End: uint32(keyEnd)})
			continue
		}
		end := keyEnd + len(r.rest)
		begin := end - int(r.len)
		if begin < 0 || end > len(text) || !hasAt(text, begin, r.prefix) || !hasAt(text, keyEnd, r.rest) {
			continue
		}
		hits = append(hits, Hit{Lit: r.id, End: uint32(end)})
	}
	return hits
}

// hasAt reports whether text holds lit at at, where there is room for it:
// short literals (most prefixes) byte by byte, without a call.
func hasAt(text []byte, at int, lit string) bool {
	if len(lit) > 8 {
		return len(text)-at >= len(lit) && string(text[at:at+len(lit)]) == lit
	}
	t := text[at:]
	if len(t) < len(lit) {
		return false
	}
	for i := 0; i < len(lit); i++ {
		if t[i] != lit[i] {
			return false
		}
	}
	return true
}

// Len returns the length in bytes of literal id: a Hit's literal starts at
// End - Len(Lit).
func (a *Automaton) Len(id uint32) uint32 { return a.lens[id] }
