package tailer

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// truncated handles a file that shrank below our position (size ≥ 0)
// or whose content was replaced (size < 0): the unread rest is looked for in
// a copy (copytruncate), then reading restarts at 0, or after the kept
// start when the file was cut to a smaller size.
func (r *runner) truncated(f *file, size int64, why string) {
	oldOff := f.sp.LineOff()
	known := max(f.size, f.sp.Off())
	// Complete lines already framed belong to the old content: send them.
	// An unfinished line is dropped: the copy, if any, has all of it.
	f.fr.Flush(f.emit)
	r.barrier(f)
	r.finish(f.st)
	oldHead := f.head

	kind := KindTruncate
	cp := r.findCopy(f, oldOff)
	if cp != nil {
		kind = KindCopyTruncate
		if cp.gz {
			kind = KindGzip
		}
	} else if known > oldOff {
		r.m.lost.Add(float64(known - oldOff))
		r.log.Warn("file truncated before it was read to its end; no copy of the rest found",
			"path", f.path, "lost_bytes", known-oldOff)
	}

	cur, _ := readHead(f.osf, nil, fpBytes)
	var off int64
	if why == "size" && size > 0 && cp == nil {
		off = keptPrefix(cur, oldHead, size)
	}
	f.head = cur
	f.fr = r.newFramer(f.path)
	r.initFile(f, off)
	f.size = max(size, 0)
	f.eof = false
	f.pred = nil
	if cp != nil {
		f.pred = cp
	}
	f.dirty.Store(true)
	r.m.rotations[kind].Inc()
	attrs := []any{"path", f.path, "kind", kind, "resume_offset", off}
	if cp != nil {
		attrs = append(attrs, "rest_from", cp.path, "rest_offset", oldOff)
	}
	r.log.Info("rotation detected", attrs...)
}

// keptPrefix decides where to go on in a file that was cut to a smaller
// size (size, its first bytes now cur, before oldHead): after the part of
// its old start that it kept, which was read already. The kept part is the
// longest common prefix of cur and oldHead, back to a line end (lines
// appended after the cut may begin like the old ones did); when the whole
// old head is kept, the cut was past it and the file's size is the best
// guess. Less than minPrefixKeep bytes is not proof of the same content:
// read from 0 (a few lines again rather than some lost).
func keptPrefix(cur, oldHead []byte, size int64) int64 {
	n := 0
	for n < len(cur) && n < len(oldHead) && cur[n] == oldHead[n] {
		n++
	}
	if n == len(oldHead) && len(oldHead) == fpBytes {
		return size
	}
	n = bytes.LastIndexByte(cur[:n], '\n') + 1
	if n < minPrefixKeep {
		return 0
	}
	return int64(n)
}

// findCopy looks for a copy of f's content (the same first bytes, at least
// as far as off) among the files of f's directory and the source's matches,
// and sets it up to be read from off. A held shadow of f is preferred, then
// the newest uncompressed copy, then the newest .gz.
func (r *runner) findCopy(f *file, off int64) *file {
	if off == 0 || int64(len(f.head)) < min(minPrefixKeep, off) {
		// Nothing read, or too little known of the file to recognise a
		// copy by it.
		return nil
	}
	for _, s := range r.files {
		if s.shadowOf == f {
			s.shadowOf = nil
			if fi, err := s.osf.Stat(); err == nil {
				s.size = fi.Size()
			}
			s.sp.Reset(min(off, s.size))
			r.finish(s.st)
			s.st = r.t.newStream(r.name, s, s.sp.Off())
			s.fr = r.newFramer(s.path)
			s.dirty.Store(true)
			r.pathsStale = true
			return s
		}
	}
	type cand struct {
		path  string
		id    fileID
		ctime time.Time
		gz    bool
	}
	var best, bestGz *cand
	dir := filepath.Dir(f.path)
	stem := filepath.Base(f.path)
	if i := strings.IndexByte(stem, '.'); i > 0 {
		stem = stem[:i]
	}
	var paths []string
	if ents, err := os.ReadDir(dir); err == nil {
		for _, e := range ents {
			if strings.HasPrefix(e.Name(), stem) {
				paths = append(paths, filepath.Join(dir, e.Name()))
			}
		}
	}
	for _, m := range r.matches {
		paths = append(paths, m.path)
	}
	seen := map[string]bool{}
	for _, p := range paths {
		if p == f.path || seen[p] {
			continue
		}
		seen[p] = true
		fi, err := os.Stat(p)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		id := idOf(fi)
		if id == f.id || r.files[id] != nil {
			continue
		}
		c := &cand{path: p, id: id, ctime: ctimeOf(fi)}
		var head []byte
		if isCompressed(p) {
			if !strings.HasSuffix(p, ".gz") {
				continue
			}
			c.gz = true
			head, err = gzHead(p, len(f.head))
		} else {
			var fh *os.File
			if fh, err = os.Open(p); err == nil {
				head, err = readHead(fh, nil, len(f.head))
				fh.Close()
			}
		}
		if err != nil || len(head) < len(f.head) || !bytes.Equal(head, f.head) {
			continue
		}
		if c.gz {
			if bestGz == nil || c.ctime.After(bestGz.ctime) {
				bestGz = c
			}
		} else if best == nil || c.ctime.After(best.ctime) {
			best = c
		}
	}
	if best != nil {
		fi, err := os.Stat(best.path)
		if err != nil {
			return nil
		}
		cp := r.open(match{path: best.path, id: best.id, size: fi.Size()}, min(off, fi.Size()), false, nil)
		if cp != nil {
			cp.st.setIdentity(cp.path, fingerprint(cp.head), len(cp.head))
		}
		return cp
	}
	if bestGz != nil {
		return r.openGz(bestGz.path, off, f.id, fingerprint(f.head), len(f.head))
	}
	return nil
}

// openGz starts reading the decompressed content of a .gz copy from off.
// Its position is persisted under the identity of the file it is a copy of,
// so that a restart finds the .gz again by that file's fingerprint.
func (r *runner) openGz(path string, off int64, orig fileID, fp string, fpLen int) *file {
	g, err := openGz(path, off)
	if err != nil {
		r.fileError(path, "gzip", err)
		return nil
	}
	r.gzSeq++
	f := &file{id: fileID{dev: ^uint64(0), ino: r.gzSeq}, path: path, src: g, gz: true, lastData: time.Now()}
	r.initFile(f, off)
	f.st.mu.Lock()
	f.st.dev, f.st.ino, f.st.fp, f.st.fpLen = orig.dev, orig.ino, fp, fpLen
	f.st.mu.Unlock()
	r.files[f.id] = f
	return f
}

// settleShadows settles the held copies of f, which will not be truncated
// while followed any more.
func (r *runner) settleShadows(f *file) {
	for _, s := range r.files {
		if s.shadowOf == f {
			r.settle(s)
		}
	}
}

// settle decides about a held copy whose original was not truncated (within
// ReleaseAfter, or before it went away). If it really is a copy — no longer
// than the original and the same bytes where sampled — its content was read
// in the original: it is followed from its end (logrotate's copy, cp). Else
// it only began like the original (a fixed banner): read from 0.
func (r *runner) settle(s *file) {
	g := s.shadowOf
	s.shadowOf = nil
	s.dirty.Store(true)
	r.pathsStale = true
	s.st.setPersist(true)
	var off int64
	si, err1 := s.osf.Stat()
	gi, err2 := g.osf.Stat()
	if err1 == nil && err2 == nil && si.Size() <= gi.Size() && sameSamples(s.osf, g.osf, si.Size()) {
		off = si.Size()
	}
	if off > 0 {
		r.finish(s.st)
		s.sp.Reset(off)
		s.st = r.t.newStream(r.name, s, off)
		r.log.Info("held file is a copy of a followed file; following it from its end", "path", s.path, "copy_of", g.path)
	} else {
		r.log.Info("held file is not a copy after all; reading it", "path", s.path, "like", g.path)
	}
}

// sameSamples compares a and b in up to 16 windows spread over [0, n),
// the last one ending at n.
func sameSamples(a, b io.ReaderAt, n int64) bool {
	const w, k = 256, 16
	var ba, bb [w]byte
	for i := int64(0); i < k; i++ {
		off := max(0, n*i/(k-1)-w)
		m := min(int64(w), n-off)
		if m <= 0 {
			continue
		}
		na, _ := a.ReadAt(ba[:m], off)
		nb, _ := b.ReadAt(bb[:m], off)
		if int64(na) != m || int64(nb) != m || ba != bb {
			return false
		}
	}
	return true
}
