package diagnose

import (
	"bufio"
	"bytes"

	"github.com/wedadiag/wedadiag/internal/automaton"
	"github.com/wedadiag/wedadiag/record"
)

// prescan finds the rules' literals in every whole line a range reader
// holds in its buffer with one scan, not one scan per record: the
// per-call work of the scan (its setup, the ends of each text) is paid
// once per buffer, not per line. A record of one line inside the block
// then takes its share of the hits (Worker.HandleHits); any other record
// (of several lines, cut, trimmed of a CR or a BOM, read before the
// block, or whose text the parser changes) is scanned as before.
type prescan struct {
	w *Worker
	// from and to are the stream offsets of the block scanned, whole
	// lines; hits are its hits, End relative to from, grouped by line in
	// the lines' order (a hit lies inside one line: ScanBlock).
	from, to int64
	hits     []automaton.Hit
	next     int  // hits before next belong to records handled already
	off      bool // the rules' literals cannot be found by block
}

// fill scans the whole lines br holds, which start at off, the stream
// offset of its next byte, once the records read so far have used up the
// block before. It reads nothing: it looks only at what is buffered.
func (p *prescan) fill(br *bufio.Reader, off int64) {
	if p.off || off < p.to || noBlockScan {
		return
	}
	buf, _ := br.Peek(br.Buffered())
	n := bytes.LastIndexByte(buf, '\n') + 1
	p.from, p.to, p.next = off, off+int64(n), 0
	if n == 0 {
		p.hits = p.hits[:0]
		return
	}
	var ok bool
	p.hits, ok = p.w.ScanBlock(buf[:n], p.hits[:0])
	if !ok {
		p.off, p.from, p.to = true, 0, 0
	}
}

// take returns rec's share of the block's hits, the offset of its text in
// the block, and whether it has one (false: rec must be scanned by
// itself). Records must come in the order of their offsets.
func (p *prescan) take(rec *record.Record) ([]automaton.Hit, uint32, bool) {
	if rec.Offset < p.from || rec.End > p.to {
		return nil, 0, false
	}
	start, end := uint32(rec.Offset-p.from), uint32(rec.End-p.from)
	i := p.next
	for i < len(p.hits) && p.hits[i].End <= start {
		i++ // lines no record took: blank, or held in one of several lines
	}
	j := i
	for j < len(p.hits) && p.hits[j].End <= end {
		j++
	}
	p.next = j
	// The record's text must be its line's bytes from its first: at most
	// the line break or a CR at the end of the stream trimmed.
	n := int(end - start)
	if rec.Lines != 1 || rec.Cut || (len(rec.Text) != n && len(rec.Text) != n-1) {
		return nil, 0, false
	}
	return p.hits[i:j], start, true
}
