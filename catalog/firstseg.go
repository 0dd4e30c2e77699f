package catalog

import "github.com/wedadiag/wedadiag/internal/automaton"

// firstSegs lets bestRows skip, for a code of many rows (FailedOperation
// has over a hundred), every message template whose first literal segment
// the text does not hold: such a template scores nothing (template.match
// finds its segments in order, from the first), so its row's rank is the
// same without it whenever that rank identifies the row (msgRank.ok). One
// scan of the text for all first segments replaces a strings.Index per
// template.
type firstSegs struct {
	auto *automaton.Automaton
	// seg[i][k] is the first segment of template k of row i, an index
	// into the automaton's literals; -1 for a template without segments.
	seg   [][]int32
	nsegs int
}

// minFilteredTemplates is the fewest templates a code's rows must have
// for firstSegs to pay for its scan.
const minFilteredTemplates = 16

// newFirstSegs indexes the first segments of rows' templates; nil when
// they are too few to be worth it.
func newFirstSegs(rows []*Entry) *firstSegs {
	n := 0
	for _, e := range rows {
		n += len(e.tmpls)
	}
	if n < minFilteredTemplates {
		return nil
	}
	fs := &firstSegs{seg: make([][]int32, len(rows))}
	ids := map[string]int32{}
	var lits []string
	for i, e := range rows {
		fs.seg[i] = make([]int32, len(e.tmpls))
		for k, t := range e.tmpls {
			fs.seg[i][k] = -1
			if len(t.segments) == 0 {
				continue
			}
			first := t.segments[0]
			id, ok := ids[first]
			if !ok {
				id = int32(len(lits))
				ids[first] = id
				lits = append(lits, first)
			}
			fs.seg[i][k] = id
		}
	}
	fs.auto, fs.nsegs = automaton.New(lits), len(lits)
	return fs
}

// present returns which first segments norm holds, by id.
func (fs *firstSegs) present(norm string) []bool {
	in := make([]bool, fs.nsegs)
	for _, h := range fs.auto.Scan([]byte(norm), nil) {
		in[h.Lit] = true
	}
	return in
}

// rowRank is e.rank(norm) over the templates of row i whose first segment
// norm holds (in, from present).
func (fs *firstSegs) rowRank(i int, e *Entry, norm string, in []bool) msgRank {
	var best msgRank
	for k, t := range e.tmpls {
		if id := fs.seg[i][k]; id < 0 || !in[id] {
			continue
		}
		if r := t.rank(norm); r.better(best) {
			best = r
		}
	}
	return best
}
