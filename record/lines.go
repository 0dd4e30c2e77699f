package record

import (
	"bytes"
	"unicode/utf8"
)

// splitterChunk is the size of a read: a held line that grows past it is
// grown once to the limit rather than by doubling.
const splitterChunk = 64 << 10

// LineSplitter turns the bytes of one file, fed in chunks as they are read,
// into Lines with exact offsets. It holds at most maxLine bytes of an
// unfinished line: a longer line is cut at maxLine and the rest of it, up to
// its newline, is skipped as it is read, never kept. It checks the whole
// lines of each chunk for NUL and invalid UTF-8 at once and tells them
// Clean when there is none, so that the parser need not look again line by
// line.
type LineSplitter struct {
	maxLine int
	// off is the offset of the next byte to feed (the read position).
	off int64
	// lineOff is the offset of the first byte of the unfinished line, equal
	// to off when none is held: everything before it was pushed as lines.
	lineOff int64
	partial []byte // the unfinished line's first bytes (≤ maxLine)
	cut     bool   // the unfinished line is longer than maxLine
	// nlBefore reports that the byte before off is known to be '\n' (or that
	// off is 0): the next chunk can be checked to start on a line boundary.
	nlBefore bool
}

// NewLineSplitter starts splitting a file at off (0: its beginning),
// holding at most maxLine bytes of a line.
func NewLineSplitter(maxLine int, off int64) LineSplitter {
	return LineSplitter{maxLine: maxLine, off: off, lineOff: off, nlBefore: off == 0}
}

// Reset drops any unfinished line and positions the splitter at off.
func (s *LineSplitter) Reset(off int64) {
	s.off, s.lineOff = off, off
	s.partial = s.partial[:0]
	s.cut = false
	s.nlBefore = off == 0
	s.shrink()
}

// Holding reports whether an unfinished line is held.
func (s *LineSplitter) Holding() bool { return s.lineOff < s.off }

// Feed splits chunk, the bytes at s.off, pushing each complete line. The
// Line's Text aliases chunk or the splitter's buffer: valid during push only.
// It returns the number of lines pushed.
func (s *LineSplitter) Feed(chunk []byte, push func(Line)) (lines int) {
	base := s.off
	clean := wholeLinesClean(chunk, s.Holding())
	i := 0
	for i < len(chunk) {
		j := bytes.IndexByte(chunk[i:], '\n')
		if j < 0 {
			s.hold(chunk[i:])
			break
		}
		end := base + int64(i+j+1)
		var l Line
		if !s.Holding() {
			text := chunk[i : i+j]
			l = Line{Text: text, Offset: base + int64(i), End: end, Clean: clean}
			if len(text) > s.maxLine {
				l.Text, l.Cut, l.Clean = text[:s.maxLine], true, false
			}
		} else {
			s.hold(chunk[i : i+j])
			l = Line{Text: s.partial, Offset: s.lineOff, End: end, Cut: s.cut}
		}
		push(l)
		lines++
		s.partial = s.partial[:0]
		s.cut = false
		i += j + 1
		s.lineOff = base + int64(i)
	}
	s.off = base + int64(len(chunk))
	if len(chunk) > 0 {
		s.nlBefore = chunk[len(chunk)-1] == '\n'
	}
	if !s.Holding() {
		s.shrink()
	}
	return lines
}

// wholeLinesClean reports whether the lines that start and end inside
// chunk hold no NUL and are valid UTF-8, checked at once (Line.Clean):
// from the chunk's start (after the held line's end, when one is held) to
// its last newline.
func wholeLinesClean(chunk []byte, holding bool) bool {
	from := 0
	if holding {
		from = bytes.IndexByte(chunk, '\n') + 1
	}
	to := bytes.LastIndexByte(chunk, '\n') + 1
	if from <= 0 && holding || to <= from {
		return false
	}
	region := chunk[from:to]
	return bytes.IndexByte(region, 0) < 0 && utf8.Valid(region)
}

// hold keeps the start of an unfinished line, up to maxLine bytes.
func (s *LineSplitter) hold(b []byte) {
	room := s.maxLine - len(s.partial)
	if len(b) > room {
		b = b[:max(room, 0)]
		s.cut = true
	}
	if need := len(s.partial) + len(b); need > cap(s.partial) && need > splitterChunk {
		// A long line: grow once to the limit rather than by doubling.
		p := make([]byte, len(s.partial), s.maxLine)
		copy(p, s.partial)
		s.partial = p
	}
	s.partial = append(s.partial, b...)
}

// Flush pushes the unfinished line, if any, as a line of its own: a last
// line without a newline that has waited long enough. It reports whether a
// line was pushed.
func (s *LineSplitter) Flush(push func(Line)) bool {
	if !s.Holding() {
		return false
	}
	l := Line{Text: s.partial, Offset: s.lineOff, End: s.off, Cut: s.cut}
	push(l)
	s.partial = s.partial[:0]
	s.cut = false
	s.lineOff = s.off
	s.nlBefore = false
	s.shrink()
	return true
}

// shrink lets a buffer grown by a long line go once the line is done.
func (s *LineSplitter) shrink() {
	if cap(s.partial) > 64<<10 {
		s.partial = nil
	}
}

// Off is the offset of the next byte to feed: where reading stopped.
func (s *LineSplitter) Off() int64 { return s.off }

// LineOff is the offset of the first byte of the unfinished line, equal to
// Off when none is held: every byte before it was pushed as a line.
func (s *LineSplitter) LineOff() int64 { return s.lineOff }

// NLBefore reports that the byte before Off is known to be a newline (or
// that Off is 0): the next chunk can be checked to start on a line
// boundary.
func (s *LineSplitter) NLBefore() bool { return s.nlBefore }
