package rules

// automaton is a multi-literal matcher: an Aho-Corasick automaton compiled
// into a DFA over byte classes, with every failure transition resolved at
// build time, so scanning is one table load per byte. Unlike a
// leftmost-first matcher it reports every occurrence of every literal,
// overlapping ones included ("FailedOperation" inside
// "FailedOperation.FlexdbResourceOverdue"), which is what deciding the
// candidate rules and the whole-token codes needs.
//
// The start state has a skip table: bytes that cannot begin any literal are
// passed over in a tight loop without touching the transition table.
type automaton struct {
	classes  [256]uint8 // byte → class; class 0 is "in no literal"
	skip     [256]bool  // bytes that leave the start state at its self-loop
	alphabet uint32     // number of classes
	trans    []uint32   // state*alphabet + class → next state*alphabet, outFlag set when it has outputs
	outStart []uint32   // per state index: first entry in outs (len states+1)
	outs     []uint32   // literal ids ending at a state, failure chain included
	lens     []uint32   // literal lengths by id
}

const outFlag uint32 = 1 << 31

// newAutomaton compiles lits (non-empty, distinct) into an automaton whose
// literal ids are the indexes of lits.
func newAutomaton(lits []string) *automaton {
	a := &automaton{lens: make([]uint32, len(lits))}
	var used [256]bool
	for _, l := range lits {
		for i := 0; i < len(l); i++ {
			used[l[i]] = true
		}
	}
	n := uint32(1)
	for b := 0; b < 256; b++ {
		if used[b] {
			a.classes[b] = uint8(n)
			n++
		}
	}
	if n == 257 {
		// Every byte is in some literal: no "other" class is needed.
		for b := 0; b < 256; b++ {
			a.classes[b] = uint8(b)
		}
		n = 256
	}
	a.alphabet = n
	// Trie with dense rows over classes.
	type node struct {
		next []int32
		fail int32
		out  []uint32
	}
	newNode := func() node { return node{next: make([]int32, n)} }
	nodes := []node{newNode()}
	for id, l := range lits {
		a.lens[id] = uint32(len(l))
		s := int32(0)
		for i := 0; i < len(l); i++ {
			c := a.classes[l[i]]
			nx := nodes[s].next[c]
			if nx == 0 {
				nodes = append(nodes, newNode())
				nx = int32(len(nodes) - 1)
				nodes[s].next[c] = nx
			}
			s = nx
		}
		nodes[s].out = append(nodes[s].out, uint32(id))
	}
	// Breadth-first: failure links, outputs along the failure chain, and the
	// resolved transitions (a missing edge takes the failure state's edge).
	queue := make([]int32, 0, len(nodes))
	for c := uint32(0); c < n; c++ {
		if nx := nodes[0].next[c]; nx != 0 {
			nodes[nx].fail = 0
			queue = append(queue, nx)
		}
	}
	for qi := 0; qi < len(queue); qi++ {
		s := queue[qi]
		f := nodes[s].fail
		nodes[s].out = append(nodes[s].out, nodes[f].out...)
		for c := uint32(0); c < n; c++ {
			nx := nodes[s].next[c]
			if nx == 0 {
				nodes[s].next[c] = nodes[f].next[c]
				continue
			}
			nodes[nx].fail = nodes[f].next[c]
			queue = append(queue, nx)
		}
	}
	a.trans = make([]uint32, len(nodes)*int(n))
	a.outStart = make([]uint32, len(nodes)+1)
	for s := range nodes {
		for c := uint32(0); c < n; c++ {
			nx := nodes[s].next[c]
			v := uint32(nx) * n
			if len(nodes[nx].out) > 0 {
				v |= outFlag
			}
			a.trans[uint32(s)*n+c] = v
		}
		a.outStart[s] = uint32(len(a.outs))
		a.outs = append(a.outs, nodes[s].out...)
	}
	a.outStart[len(nodes)] = uint32(len(a.outs))
	for b := 0; b < 256; b++ {
		a.skip[b] = nodes[0].next[a.classes[b]] == 0
	}
	return a
}

// hit is one occurrence of a literal: it ends just before end.
type hit struct {
	lit uint32
	end uint32
}

// scan appends to hits every occurrence of every literal in text, in order
// of their end offsets, and returns the extended slice. It allocates only
// when hits must grow.
func (a *automaton) scan(text []byte, hits []hit) []hit {
	trans := a.trans
	classes := &a.classes
	skip := &a.skip
	s := uint32(0)
	n := len(text)
	for i := 0; i < n; i++ {
		if s == 0 {
			for skip[text[i]] {
				i++
				if i == n {
					return hits
				}
			}
		}
		s = trans[s+uint32(classes[text[i]])]
		if s&outFlag != 0 {
			s &^= outFlag
			idx := s / a.alphabet
			for _, id := range a.outs[a.outStart[idx]:a.outStart[idx+1]] {
				hits = append(hits, hit{lit: id, end: uint32(i + 1)})
			}
		}
	}
	return hits
}
