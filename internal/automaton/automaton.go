package automaton

// Automaton is a multi-literal matcher that reports every occurrence of
// every literal, overlapping ones included ("FailedOperation" inside
// "FailedOperation.FlexdbResourceOverdue"), which is what deciding the
// candidate rules and the whole-token codes needs.
//
// It is an Aho-Corasick automaton compiled into a DFA over byte classes,
// every failure transition resolved at build time: one table load per byte.
// Many bytes never reach the table. Each literal is anchored at its rarest
// byte in log text (anchor.go): the DFA is built over the literals' keys,
// at most maxKey bytes from the anchor ("xception" of "Exception"), and a
// key hit is verified by comparing the prefix before it and the rest after
// it. So fewer and less common bytes leave the start state, the table stays
// small, and in the start state the scan passes over the other bytes in a
// tight loop without touching the table: a byte leaves the start state
// only when it and the next begin some key and the byte after can follow
// them (startFilter: the 'c' of "code", not that of "count" or "cost"), so
// the loop is left, and its branch mispredicted, far less often.
type Automaton struct {
	classes [256]uint8 // byte → class
	start   [256]uint8 // 1 for bytes that leave the start state
	// starts tells, in the start state, the bytes that begin no
	// occurrence, which are passed over without the table.
	starts   *startFilter
	alphabet uint32   // number of classes
	perClass uint64   // ⌈2³²/alphabet⌉: s*perClass>>32 is s/alphabet for a state s
	trans    []uint32 // state*alphabet + class → next state*alphabet, outFlag set when it has outputs
	outStart []uint32 // per state index: first entry in outRefs (len states+1)
	// outRefs are, state after state, the literals whose keys end at the
	// state (its failure chain's included), in the order of their keys.
	outRefs []litRef
	lens    []uint32 // literal lengths by literal id
}

// litRef is a literal whose key (the bytes from its anchor, at most
// maxKey of them) the DFA matches: a hit counts when the literal's prefix
// precedes the key and its rest follows it.
// startFilter holds bit sets over pairs of bytes, b0|b1<<8, and over
// triples (tripleBit). A key can start at text[i] only when first holds
// text[i:i+2] and either short holds it too or three holds text[i:i+3].
type startFilter struct {
	first [1 << 10]uint64 // the first two bytes of a key (of a key of one byte b0: b0 and any byte)
	short [1 << 10]uint64 // the same, of the keys of one or two bytes
	three [1 << 10]uint64 // the first three bytes of a key of three or more, hashed
}

// tripleBit hashes three bytes to a bit of startFilter.three; triples
// that share a bit only let more bytes through to the table.
func tripleBit(b0, b1, b2 byte) uint32 {
	return (uint32(b0)*0x9e5 ^ uint32(b1) ^ uint32(b2)<<8) & 0xffff
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
	if i+2 >= len(text) || hasPair(&f.short, text[i], text[i+1]) {
		return true
	}
	x := tripleBit(text[i], text[i+1], text[i+2])
	return f.three[x>>6]&(1<<(x&63)) != 0
}

type litRef struct {
	id     uint32
	len    uint32 // the literal's
	prefix string
	rest   string
}

// maxKey bounds the bytes of a literal the DFA holds; the rest is compared
// on a hit. Long literals (the catalog's messages) would otherwise add a
// state per byte, and a table that outgrows the caches costs every byte of
// every record.
const maxKey = 8

const outFlag uint32 = 1 << 31

// New compiles lits (non-empty, distinct) into an automaton whose
// literal ids are the indexes of lits.
func New(lits []string) *Automaton {
	a := &Automaton{lens: make([]uint32, len(lits))}
	var suffixes []string
	var refs [][]litRef // by suffix id: the literals that end with it
	suffixID := map[string]int{}
	for id, l := range lits {
		a.lens[id] = uint32(len(l))
		k := anchor(l)
		suf := l[k:]
		rest := ""
		if len(suf) > maxKey {
			suf, rest = suf[:maxKey], suf[maxKey:]
		}
		sid, ok := suffixID[suf]
		if !ok {
			sid = len(suffixes)
			suffixID[suf] = sid
			suffixes = append(suffixes, suf)
			refs = append(refs, nil)
		}
		refs[sid] = append(refs[sid], litRef{id: uint32(id), len: uint32(len(l)), prefix: l[:k], rest: rest})
	}

	a.starts = new(startFilter)
	for _, l := range suffixes {
		f := a.starts
		switch {
		case len(l) == 1:
			for b := 0; b < 256; b++ {
				setPair(&f.first, l[0], byte(b))
				setPair(&f.short, l[0], byte(b))
			}
		case len(l) == 2:
			setPair(&f.first, l[0], l[1])
			setPair(&f.short, l[0], l[1])
		default:
			setPair(&f.first, l[0], l[1])
			x := tripleBit(l[0], l[1], l[2])
			f.three[x>>6] |= 1 << (x & 63)
		}
	}
	var used [256]bool
	for _, l := range suffixes {
		for i := 0; i < len(l); i++ {
			used[l[i]] = true
		}
	}
	n := uint32(1) // class 0: bytes in no suffix
	for b := 0; b < 256; b++ {
		if used[b] {
			a.classes[b] = uint8(n)
			n++
		}
	}
	if n == 257 {
		// Every byte is in some suffix: no "other" class is needed.
		for b := 0; b < 256; b++ {
			a.classes[b] = uint8(b)
		}
		n = 256
	}
	a.alphabet = n
	a.perClass = divider(n)

	// The trie, its edges in lists (child, sibling): the rows of the DFA
	// are written once, into a.trans, not first as a dense row per trie
	// node (twice the memory, every page of it faulted in at start-up).
	child := []int32{-1}   // first child of each node, -1 for none
	sibling := []int32{-1} // next child of the node's parent
	label := []uint8{0}    // the class of the edge into the node
	out := [][]uint32{nil} // suffix ids whose keys end at the node
	find := func(s int32, c uint8) int32 {
		for x := child[s]; x >= 0; x = sibling[x] {
			if label[x] == c {
				return x
			}
		}
		return -1
	}
	for sid, l := range suffixes {
		s := int32(0)
		for i := 0; i < len(l); i++ {
			c := a.classes[l[i]]
			nx := find(s, c)
			if nx < 0 {
				nx = int32(len(child))
				child, label, out = append(child, -1), append(label, c), append(out, nil)
				sibling = append(sibling, child[s])
				child[s] = nx
			}
			s = nx
		}
		out[s] = append(out[s], uint32(sid))
	}
	// Breadth-first, so that a node's failure state and every state its
	// row points to are final before it: a node's row is its failure
	// state's row with its own edges over it; a child's failure state is
	// where the parent's failure state goes on the child's class; a
	// node's outputs are its own and its failure state's.
	states := len(child)
	a.trans = make([]uint32, states*int(n))
	fail := make([]int32, states)
	edge := func(x int32) uint32 {
		v := uint32(x) * n
		if len(out[x]) > 0 {
			v |= outFlag
		}
		return v
	}
	queue := make([]int32, 0, states)
	for x := child[0]; x >= 0; x = sibling[x] {
		a.trans[label[x]] = edge(x)
		queue = append(queue, x)
	}
	for qi := 0; qi < len(queue); qi++ {
		s := queue[qi]
		row := a.trans[uint32(s)*n : uint32(s+1)*n]
		frow := a.trans[uint32(fail[s])*n : uint32(fail[s]+1)*n]
		copy(row, frow)
		for x := child[s]; x >= 0; x = sibling[x] {
			f := int32((frow[label[x]] &^ outFlag) / n)
			fail[x] = f
			if len(out[f]) > 0 {
				out[x] = append(out[x], out[f]...)
			}
			row[label[x]] = edge(x)
			queue = append(queue, x)
		}
	}
	a.outStart = make([]uint32, states+1)
	for s := range states {
		a.outStart[s] = uint32(len(a.outRefs))
		for _, sid := range out[s] {
			a.outRefs = append(a.outRefs, refs[sid]...)
		}
	}
	a.outStart[states] = uint32(len(a.outRefs))
	for b := 0; b < 256; b++ {
		if a.trans[a.classes[b]] != 0 {
			a.start[b] = 1
		}
	}
	return a
}

// divider returns ⌈2³²/n⌉: for a multiple s of n below 2³², s*divider(n)>>32
// is s/n: the product exceeds s/n by less than s/2³², which is below 1.
func divider(n uint32) uint64 { return (1<<32 + uint64(n) - 1) / uint64(n) }

// Hit is one occurrence of a literal.
type Hit struct {
	Lit uint32 // the literal id, its index in New's list
	End uint32 // the offset just after it
}

// Scan appends to hits every occurrence of every literal in text, in order
// of the end offsets of their keys (so a long literal may come after a short
// one that ends later), and returns the extended slice. It allocates only when hits must
// grow.
func (a *Automaton) Scan(text []byte, hits []Hit) []Hit {
	trans := a.trans
	classes := &a.classes
	start := &a.start
	starts := a.starts
	s := uint32(0)
	n := len(text)
	i := 0
	for i < n {
		if s == 0 {
			// No occurrence is under way: pass over the bytes that, with
			// the next, begin no key.
			i = skip(starts, text, i)
			// The last byte begins an occurrence only as a key of one
			// byte.
			if i+1 == n && start[text[i]] == 0 {
				return hits
			}
		}
		s = trans[s+uint32(classes[text[i]])]
		i++
		if s&outFlag != 0 {
			s &^= outFlag
			hits = a.report(text, s, i, hits)
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

// report appends the literals whose keys end at keyEnd in state s, their
// prefixes and rests verified.
func (a *Automaton) report(text []byte, s uint32, keyEnd int, hits []Hit) []Hit {
	idx := uint32(uint64(s) * a.perClass >> 32) // s / a.alphabet: s is a multiple of it
	refs := a.outRefs[a.outStart[idx]:a.outStart[idx+1]]
	for j := range refs {
		r := &refs[j]
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
		return string(text[at:at+len(lit)]) == lit
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
