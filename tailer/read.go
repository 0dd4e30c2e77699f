package tailer

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"time"
)

// readFile reads f from where it stands, up to roundBytes. It reports
// whether there is more to read at once. With check (a poll), fstat first
// looks for truncation and growth; otherwise (an event) the file is read
// without it, and fstat runs only when an event brought nothing to read:
// then the file may have been truncated.
func (r *runner) readFile(f *file, now time.Time, check bool) bool {
	if !f.predDone() {
		if r.log.Enabled(context.Background(), slog.LevelDebug) {
			r.log.Debug("waiting for the file before it", "path", f.path, "pred", f.pred.path, "pred_offset", f.pred.sp.Off())
		}
		f.waiting = true
		return false
	}
	f.waiting = false
	if check && !f.gz {
		if done, more := r.statFile(f, now); done {
			return more
		}
	}
	more := false
	for {
		got, stop, again := r.readChunks(f, now)
		if stop {
			return again
		}
		more = got >= roundBytes
		if got > 0 || check || f.gz {
			break
		}
		// Woken for nothing new: look whether it shrank.
		check = true
		if done, more := r.statFile(f, now); done {
			return more
		}
	}
	r.barrier(f)
	if f.bigRec && !f.fr.Pending() {
		f.fr, f.bigRec = r.newFramer(f.path), false
	}
	if !f.gz && f.sp.Off() > f.size {
		f.size = f.sp.Off()
	}
	return more && !f.eof
}

// statFile compares f's size and modification time with what was read: a
// smaller size is a truncation, a change without growth is checked for
// rewritten content. done: the round is over for f (more: read it again
// at once); otherwise there is data to read.
func (r *runner) statFile(f *file, now time.Time) (done, more bool) {
	fi, err := f.osf.Stat()
	if err != nil {
		r.fileError(f.path, "stat", err)
		r.release(f)
		return true, false
	}
	size := fi.Size()
	if size != f.size {
		f.lastData = now
	}
	if size < f.sp.Off() {
		// Live or rotated away: a file can be truncated (and written
		// again) before it is renamed, and that content is due too.
		r.truncated(f, size, "size")
		if !f.predDone() {
			return true, false
		}
	}
	changed := size != f.size || !fi.ModTime().Equal(f.mtime)
	f.size, f.mtime = size, fi.ModTime()
	if size == f.sp.Off() {
		if changed && !r.sameContent(f) {
			// Rewritten to exactly our offset: nothing new to read
			// would tell.
			r.truncated(f, -1, "content")
			return true, true
		}
		f.eof = true
		return true, false
	}
	return false, false
}

// readChunks reads f from its offset into the source's buffer until the
// end of the file or of the round's budget (roundBytes), and feeds what
// it read to the splitter. got is the number of bytes read; stop: the
// round is over for f (truncation found, error, stopped), with more
// telling whether to read it again at once.
func (r *runner) readChunks(f *file, now time.Time) (got int, stop, more bool) {
	for got < roundBytes && !r.stopped {
		start := f.sp.Off()
		check := !f.gz && f.sp.NLBefore() && start > 0
		rd := start
		buf := r.buf[:chunkBytes]
		if check {
			rd, buf = start-1, r.buf[:chunkBytes+1]
		}
		n, err := f.src.ReadAt(buf, rd)
		data := buf[:n]
		if check && n > 0 {
			if data[0] != '\n' {
				// The byte before our position is no longer the end of a
				// line: the file was rewritten under us.
				r.truncated(f, -1, "content")
				return got, true, true
			}
			data = data[1:]
		}
		if len(data) > 0 && !f.gz && !r.headOK(f) {
			r.truncated(f, -1, "content")
			return got, true, true
		}
		if len(data) > 0 {
			f.lastData = now
			r.m.bytes.Add(float64(len(data)))
			f.sp.Feed(data, f.push)
			r.countLines()
			r.flushFull()
			got += len(data)
		}
		if errors.Is(err, io.EOF) || (err == nil && len(data) == 0) {
			f.eof = true
			break
		}
		if err != nil {
			r.fileError(f.path, "read", err)
			r.release(f)
			return got, true, false
		}
	}
	return got, false, false
}

// headOK re-reads the file's first bytes: they must start with what was
// seen before (else the file was truncated and rewritten past our
// position). While the file is shorter than fpBytes its head grows.
func (r *runner) headOK(f *file) bool {
	h, err := readHead(f.osf, r.headBuf, fpBytes)
	if err != nil {
		return true // a read error shows up in the read itself
	}
	if len(h) < len(f.head) || !bytes.Equal(h[:len(f.head)], f.head) {
		return false
	}
	if len(h) > len(f.head) {
		f.head = append(f.head[:0], h...)
		f.st.setIdentity(f.path, fingerprint(f.head), len(f.head))
	}
	return true
}

// sameContent checks, without reading anything new, that the file still
// holds what was read: the same first bytes, and a line end just before our
// position when there was one.
func (r *runner) sameContent(f *file) bool {
	if !r.headOK(f) {
		return false
	}
	if f.sp.NLBefore() && f.sp.Off() > 0 {
		var b [1]byte
		if n, _ := f.osf.ReadAt(b[:], f.sp.Off()-1); n == 1 && b[0] != '\n' {
			return false
		}
	}
	return true
}
