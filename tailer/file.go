package tailer

import (
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/wedadiag/wedadiag/record"
)

// readerAtCloser is what a file is read through: an *os.File, or a
// *gzReader for the rest of a compressed copy.
type readerAtCloser interface {
	io.ReaderAt
	io.Closer
}

// A file is one open file of a source, known by its identity (device and
// inode), not by its name: a rename does not make it another file, and a new
// file at the same name is a new file.
type file struct {
	id   fileID
	path string // where it was last seen (or the .gz it is read from)
	src  readerAtCloser
	osf  *os.File // nil for a compressed rest
	gz   bool

	// live: a glob matches the file now. A file that is not live (rotated
	// away, deleted, or a copy holding the rest of a truncated file) is read
	// to its end and released once it has been quiet for ReleaseAfter.
	live bool
	// shadowOf is set for a file that looks like a copy of that live file
	// (copytruncate in progress): it is not read unless the original is
	// truncated, when it supplies the unread rest.
	shadowOf    *file
	shadowSince time.Time
	// pred must be read to its end before this file is read: the old file
	// a rotation replaced, or the copy holding a truncated file's rest.
	pred *file
	// eof: the file was read to its end since it became someone's pred.
	eof      bool
	released bool
	// rotationCounted: the rotation that replaced this file was counted.
	rotationCounted bool

	st   *stream
	sp   record.LineSplitter
	fr   *record.Framer
	head []byte // first fpBytes bytes (fewer while the file is shorter)

	size     int64     // size at the last fstat
	mtime    time.Time // modification time at the last fstat
	lastData time.Time // when data was last read or the file last grew
	leftAt   time.Time // when it left its glob (zero while live)
	bigRec   bool      // the framer's buffer grew for a large record

	hinted string // path whose inotify hint this file holds
	// symlink: the path it is followed under is a symlink, so writes to it
	// are not seen by a watch of the path's directory.
	symlink bool

	// dirty: something may have been written since the file was last read
	// (an inotify event, a new file, more than one round could read). A
	// round that is not a poll reads only dirty files, without fstat. Set
	// by the event goroutines, cleared by the runner.
	dirty atomic.Bool
	// waiting: the file was due but its predecessor was not read to its end
	// yet: it is read in every round until it was.
	waiting bool

	push func(record.Line)    // feeds a line to the framer
	emit func(*record.Record) // sends a framed record on
}

// predDone reports whether the file may be read: its predecessor, if any,
// has been read to its end.
func (f *file) predDone() bool {
	if f.pred == nil {
		return true
	}
	if f.pred.released || f.pred.eof {
		f.pred = nil
		return true
	}
	return false
}

// safeOffset is the offset below which everything read was framed and
// emitted (or produced no record): nothing held in the splitter or framer.
func (f *file) safeOffset() int64 {
	off := f.sp.LineOff()
	if p := f.fr.PendingOffset(); p >= 0 && p < off {
		off = p
	}
	return off
}

// later returns the later of two times.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
