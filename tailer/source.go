package tailer

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wedadiag/wedadiag/record"
)

const (
	// chunkBytes is the size of a source's read buffer.
	chunkBytes = 64 << 10
	// roundBytes is how much one file may be read in one round before the
	// source's other files get their turn.
	roundBytes = 1 << 20
	// minPrefixKeep is the shortest leading content that, unchanged after a
	// truncation, counts as "truncated to a smaller size" (keep reading
	// after it) rather than "rewritten" (read from 0).
	minPrefixKeep = 64
)

// match is a file that a source's globs match now.
type match struct {
	path    string
	id      fileID
	size    int64
	mtime   time.Time
	symlink bool
}

// runner follows one source's files. It owns all their state; only the
// streams are shared (with Ack and the saver).
type runner struct {
	t    *Tailer
	log  *slog.Logger
	name string
	m    *sourceMetrics
	ctx  context.Context

	cfgMu   sync.Mutex
	src     Source
	pending *Source // a new configuration from Update

	wakeCh  chan struct{}
	rescanF atomic.Bool

	files     map[fileID]*file
	undecided map[fileID]time.Time // new files that may be a copy in progress
	// leftFrom remembers, per path, the file that was followed there until
	// it left (rotated away): a new file at the path is read after it.
	leftFrom map[string]*file
	capped   map[fileID]bool
	matches  []match
	// baseline: the next scan starts unknown files at their end (or 0 with
	// FromStart): a source's first start, or new globs from a reload.
	baseline  bool
	stopped   bool
	pollDirs  bool
	pollFiles bool
	lastErr   map[string]string // path → last error logged, to log changes only

	buf     []byte
	headBuf []byte
	gzSeq   uint64
}

func newRunner(t *Tailer, src Source, m *sourceMetrics) *runner {
	return &runner{
		t: t, name: src.Name, m: m, src: src,
		log:       t.log.With("source", src.Name),
		wakeCh:    make(chan struct{}, 1),
		files:     map[fileID]*file{},
		undecided: map[fileID]time.Time{},
		leftFrom:  map[string]*file{},
		capped:    map[fileID]bool{},
		lastErr:   map[string]string{},
	}
}

func (r *runner) wake(rescan bool) {
	if rescan {
		r.rescanF.Store(true)
	}
	select {
	case r.wakeCh <- struct{}{}:
	default:
	}
}

// setConfig hands the runner a new configuration of its source.
func (r *runner) setConfig(s Source) {
	r.cfgMu.Lock()
	r.pending = &s
	r.cfgMu.Unlock()
	r.wake(true)
}

// run follows the source until ctx is done.
func (r *runner) run(ctx context.Context, saved []posEntry, known bool) {
	r.ctx = ctx
	r.buf = make([]byte, chunkBytes+1)
	r.headBuf = make([]byte, fpBytes)
	defer r.shutdown()
	r.log.Info("following source", "paths", r.src.Paths)

	r.initial(saved, known)
	r.m.followed.Set(float64(len(r.files)))
	r.t.sourceReady(r.name)

	ticker := time.NewTicker(r.t.cfg.PollInterval)
	defer ticker.Stop()
	// flush wakes the loop when a held record or partial line has waited
	// IdleFlush, rather than at the next poll: a lone error line on a
	// quiet file is counted IdleFlush after it was written.
	flush := time.NewTimer(time.Hour)
	flush.Stop()
	defer flush.Stop()
	scan := false
	for {
		more := r.step(time.Now(), scan)
		if r.stopped || ctx.Err() != nil {
			return
		}
		scan = false
		if more {
			continue
		}
		if d, ok := r.nextFlush(time.Now()); ok {
			flush.Reset(d)
		} else {
			flush.Stop()
		}
		select {
		case <-ctx.Done():
			return
		case <-r.wakeCh:
			scan = r.rescanF.Swap(false) || len(r.undecided) > 0
		case <-ticker.C:
			scan = true
		case <-flush.C:
		}
	}
}

// nextFlush returns how long until the first file holding a record or a
// partial line has been quiet for IdleFlush, and false when none holds one.
func (r *runner) nextFlush(now time.Time) (time.Duration, bool) {
	var next time.Duration
	found := false
	for _, f := range r.files {
		if f.shadowOf != nil || !f.fr.Pending() && !f.sp.holding() {
			continue
		}
		d := max(f.lastData.Add(r.t.cfg.IdleFlush).Sub(now), time.Millisecond)
		if !found || d < next {
			next, found = d, true
		}
	}
	return next, found
}

// step runs one round: maybe evaluate the globs, read every file that has
// data, flush what waited long enough, release what is finished. It reports
// whether a file has more to read right away.
func (r *runner) step(now time.Time, scan bool) (more bool) {
	r.applyConfig()
	if scan {
		r.scan(now)
	}
	for _, f := range r.readOrder() {
		if r.stopped {
			return false
		}
		if r.readFile(f, now) {
			more = true
		}
	}
	r.idle(now)
	r.m.followed.Set(float64(len(r.files)))
	r.m.pollFallback.Set(b2f(r.pollDirs || r.pollFiles))
	return more
}

func (r *runner) applyConfig() {
	r.cfgMu.Lock()
	p := r.pending
	r.pending = nil
	r.cfgMu.Unlock()
	if p == nil {
		return
	}
	old := r.src
	r.src = *p
	if !samePaths(old.Paths, p.Paths) {
		r.log.Info("source paths changed", "paths", p.Paths)
		r.baseline = true
	}
	if old.Multiline != p.Multiline {
		for _, f := range r.files {
			f.fr.Flush(f.emit)
			f.fr = r.newFramer(f.path)
			r.barrier(f)
		}
	}
}

// readOrder lists the files to read this round: files that left their glob
// (rotated away, rests of copies) first, then live ones; shadows never.
func (r *runner) readOrder() []*file {
	out := make([]*file, 0, len(r.files))
	for _, f := range r.files {
		if f.shadowOf == nil {
			out = append(out, f)
		}
	}
	slices.SortFunc(out, func(a, b *file) int {
		if a.live != b.live {
			if !a.live {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.st.id, b.st.id)
	})
	return out
}

// glob evaluates the source's patterns: regular files only, compressed
// files never, one entry per file identity.
func (r *runner) glob() []match {
	var out []match
	seen := map[fileID]int{}
	for _, pat := range r.src.Paths {
		paths, _ := filepath.Glob(pat) // patterns were checked by New
		for _, p := range paths {
			if isCompressed(p) {
				continue
			}
			lfi, err := os.Lstat(p)
			if err != nil {
				continue
			}
			fi := lfi
			symlink := lfi.Mode()&os.ModeSymlink != 0
			if symlink {
				if fi, err = os.Stat(p); err != nil {
					continue
				}
			}
			if !fi.Mode().IsRegular() {
				continue
			}
			m := match{path: p, id: idOf(fi), size: fi.Size(), mtime: fi.ModTime(), symlink: symlink}
			if i, ok := seen[m.id]; ok {
				// The same file under two names: keep the name it has
				// been followed under.
				if f := r.files[m.id]; f != nil && f.path == p {
					out[i] = m
				}
				continue
			}
			seen[m.id] = len(out)
			out = append(out, m)
		}
	}
	return out
}

// capMatches keeps the MaxFilesPerSource most recently modified matches.
func (r *runner) capMatches(ms []match) []match {
	max := r.t.cfg.MaxFilesPerSource
	if len(ms) <= max {
		clear(r.capped)
		return ms
	}
	slices.SortStableFunc(ms, func(a, b match) int { return b.mtime.Compare(a.mtime) })
	over := map[fileID]bool{}
	for _, m := range ms[max:] {
		over[m.id] = true
		if !r.capped[m.id] {
			r.m.capped.Inc()
		}
	}
	if len(r.capped) == 0 {
		r.log.Warn("too many files; following the most recently modified", "matched", len(ms), "max_files", max)
	}
	r.capped = over
	return ms[:max]
}

// scan evaluates the globs and reconciles the followed files with them.
func (r *runner) scan(now time.Time) {
	ms := r.glob()
	r.watchDirs()
	ms = r.capMatches(ms)
	r.matches = ms
	r.reconcile(ms, now)
}

func (r *runner) watchDirs() {
	var dirs []string
	for _, p := range r.src.Paths {
		dirs = append(dirs, watchDirs(p)...)
	}
	dirs = dedup(dirs)
	failed, err := r.t.dirs.set(r, dirs)
	poll := len(failed) > 0
	if poll && !r.pollDirs && !r.t.cfg.Poll {
		r.log.Warn("cannot watch directories with inotify; finding new files by polling", "dirs", failed, "err", err)
	}
	r.pollDirs = poll
}

// reconcile brings the followed files in line with what the globs match.
func (r *runner) reconcile(ms []match, now time.Time) {
	before := map[string]*file{} // path → live file there before this scan
	for _, f := range r.files {
		if f.live {
			before[f.path] = f
		}
	}
	seen := map[fileID]bool{}
	var fresh []match
	for _, m := range ms {
		seen[m.id] = true
		f := r.files[m.id]
		if f == nil {
			fresh = append(fresh, m)
			continue
		}
		if f.path != m.path {
			r.log.Info("file renamed", "path", m.path, "from", f.path)
			r.leftFrom[f.path] = f
			f.live = true
			r.setPath(f, m.path)
		} else if !f.live {
			f.live = true
			r.hint(f)
		}
	}
	// Files no longer matched: rotated away, deleted, or out of the cap.
	for _, f := range r.files {
		if f.live && !seen[f.id] {
			r.leave(f)
		}
	}
	for id := range r.undecided {
		if !seen[id] {
			delete(r.undecided, id)
		}
	}
	for _, m := range fresh {
		prev := before[m.path]
		if prev == nil || prev.id == m.id {
			prev = r.leftFrom[m.path]
		}
		if prev != nil && (prev.id == m.id || prev.released) {
			prev = nil
		}
		var off int64
		if r.baseline {
			if !r.t.cfg.FromStart {
				off = m.size
			}
			delete(r.undecided, m.id)
		} else {
			switch kind, of := r.classify(m, now); kind {
			case classUndecided:
				continue
			case classShadow:
				if f := r.open(m, 0, true, nil); f != nil {
					f.shadowOf, f.shadowSince = of, now
					f.st.setPersist(false)
					r.log.Info("new file looks like a copy of a followed file; holding it", "path", m.path, "copy_of", of.path)
				}
				continue
			}
		}
		if prev != nil && !prev.rotationCounted {
			prev.rotationCounted = true
			kind := KindRename
			if m.symlink {
				kind = KindSymlink
			}
			r.m.rotations[kind].Inc()
			r.log.Info("rotation detected", "path", m.path, "kind", kind)
		}
		f := r.open(m, off, true, prev)
		if f != nil {
			delete(r.leftFrom, m.path)
		}
		if f != nil && !r.baseline {
			r.log.Info("following new file", "path", m.path)
		}
	}
	r.baseline = false
}

type class int

const (
	classNew class = iota
	classUndecided
	classShadow
)

// classify decides what a file that appeared is: a new file (read from its
// beginning), a copy of a followed file (copytruncate: its content starts
// with that file's first bytes), or undecided (empty, or so far only a
// prefix of a followed file's first bytes: a copy may be in progress).
func (r *runner) classify(m match, now time.Time) (class, *file) {
	fh, err := os.Open(m.path)
	if err != nil {
		return classUndecided, nil
	}
	head, err := readHead(fh, r.headBuf, fpBytes)
	fh.Close()
	if err != nil {
		return classUndecided, nil
	}
	if _, ok := r.undecided[m.id]; !ok {
		r.undecided[m.id] = now
	}
	if len(head) == 0 {
		return classUndecided, nil
	}
	prefix := false
	for _, g := range r.files {
		if !g.live || g.shadowOf != nil || len(g.head) == 0 {
			continue
		}
		if len(head) >= len(g.head) && bytes.Equal(head[:len(g.head)], g.head) {
			delete(r.undecided, m.id)
			return classShadow, g
		}
		if len(head) < len(g.head) && bytes.Equal(head, g.head[:len(head)]) {
			prefix = true
		}
	}
	if prefix && now.Sub(r.undecided[m.id]) < r.t.cfg.ReleaseAfter {
		return classUndecided, nil
	}
	delete(r.undecided, m.id)
	return classNew, nil
}

// open starts following the file of m from off. pred, if not nil, must be
// read to its end first.
func (r *runner) open(m match, off int64, live bool, pred *file) *file {
	fh, err := os.Open(m.path)
	if err != nil {
		r.fileError(m.path, "open", err)
		return nil
	}
	fi, err := fh.Stat()
	if err != nil || idOf(fi) != m.id {
		// Replaced between the glob and the open: the next scan sees it.
		fh.Close()
		r.wake(true)
		return nil
	}
	head, err := readHead(fh, nil, fpBytes)
	if err != nil {
		fh.Close()
		r.fileError(m.path, "read", err)
		return nil
	}
	if off > fi.Size() {
		off = fi.Size()
	}
	f := &file{id: m.id, path: m.path, src: fh, osf: fh, live: live, head: head,
		size: fi.Size(), lastData: time.Now()}
	r.initFile(f, off)
	if pred != nil && !pred.released {
		f.pred = pred
		pred.eof = false
	}
	if old := r.files[m.id]; old != nil {
		// Cannot happen: callers open only identities not followed yet.
		r.log.Error("internal error: file opened twice; please report", "path", m.path, "old_path", old.path)
		r.release(old)
	}
	r.files[m.id] = f
	if live {
		r.hint(f)
	}
	delete(r.undecided, m.id)
	if r.log.Enabled(r.ctx, slog.LevelDebug) {
		pp := ""
		if f.pred != nil {
			pp = f.pred.path
		}
		r.log.Debug("file opened", "path", m.path, "offset", off, "size", fi.Size(), "live", live, "pred", pp, "head", len(head), "stream", f.st.id)
	}
	return f
}

// initFile sets up reading of f from off with a new stream.
func (r *runner) initFile(f *file, off int64) {
	f.sp = newLineSplitter(r.t.cfg.MaxLineBytes, off)
	if f.fr == nil {
		f.fr = r.newFramer(f.path)
	}
	f.push = r.pusher(f)
	f.emit = func(rec *record.Record) { r.emit(f, rec) }
	f.st = r.t.newStream(r.name, f, off)
}

// pusher returns the function that counts a line and hands it to f's
// framer.
func (r *runner) pusher(f *file) func(record.Line) {
	return func(l record.Line) {
		r.m.lines.Inc()
		if l.Cut {
			r.m.cut.Inc()
		}
		f.fr.Push(l, f.emit)
	}
}

func (r *runner) newFramer(path string) *record.Framer {
	return record.NewFramer(r.name, path, r.src.Multiline, r.t.cfg.MaxLineBytes, 0)
}

func (r *runner) setPath(f *file, path string) {
	if f.hinted != "" {
		r.t.hints.remove(f.hinted, f)
		f.hinted = ""
	}
	f.path = path
	f.st.setIdentity(path, fingerprint(f.head), len(f.head))
	if f.live {
		r.hint(f)
	}
}

func (r *runner) hint(f *file) {
	if f.hinted != "" || f.gz {
		return
	}
	ok, err := r.t.hints.add(f.path, f, r)
	if ok {
		f.hinted = f.path
		return
	}
	if err != nil && !r.pollFiles {
		r.log.Warn("cannot watch file with inotify; polling it", "path", f.path, "err", err)
		r.pollFiles = true
	}
}

// leave handles a live file that no glob matches any more: it is finished
// (read to its end) and released once quiet. A copy waiting for it to be
// truncated becomes a file of its own, read from the beginning.
func (r *runner) leave(f *file) {
	f.live = false
	r.leftFrom[f.path] = f
	if f.hinted != "" {
		r.t.hints.remove(f.hinted, f)
		f.hinted = ""
	}
	if f.shadowOf != nil {
		r.release(f)
		return
	}
	r.settleShadows(f)
	r.log.Info("file left its glob; finishing it", "path", f.path)
}

// readFile reads f from where it stands, up to roundBytes. It reports
// whether there is more to read at once.
func (r *runner) readFile(f *file, now time.Time) bool {
	if !f.predDone() {
		if r.log.Enabled(r.ctx, slog.LevelDebug) {
			r.log.Debug("waiting for the file before it", "path", f.path, "pred", f.pred.path, "pred_offset", f.pred.sp.off)
		}
		return false
	}
	if !f.gz {
		fi, err := f.osf.Stat()
		if err != nil {
			r.fileError(f.path, "stat", err)
			r.release(f)
			return false
		}
		size := fi.Size()
		if size != f.size {
			f.lastData = now
		}
		if size < f.sp.off {
			// Live or rotated away: a file can be truncated (and written
			// again) before it is renamed, and that content is due too.
			r.truncated(f, size, "size")
			if !f.predDone() {
				return false
			}
		}
		changed := size != f.size || !fi.ModTime().Equal(f.mtime)
		f.size, f.mtime = size, fi.ModTime()
		if size == f.sp.off {
			if changed && !r.sameContent(f) {
				// Rewritten to exactly our offset: nothing new to read
				// would tell.
				r.truncated(f, -1, "content")
				return true
			}
			f.eof = true
			return false
		}
	}
	budget := roundBytes
	for budget > 0 && !r.stopped {
		start := f.sp.off
		check := !f.gz && f.sp.nlBefore && start > 0
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
				return true
			}
			data = data[1:]
		}
		if len(data) > 0 && !f.gz && !r.headOK(f) {
			r.truncated(f, -1, "content")
			return true
		}
		if len(data) > 0 {
			f.lastData = now
			r.m.bytes.Add(float64(len(data)))
			f.sp.feed(data, f.push)
			budget -= len(data)
		}
		if errors.Is(err, io.EOF) || (err == nil && len(data) == 0) {
			f.eof = true
			break
		}
		if err != nil {
			r.fileError(f.path, "read", err)
			r.release(f)
			return false
		}
	}
	r.barrier(f)
	if f.bigRec && !f.fr.Pending() {
		f.fr, f.bigRec = r.newFramer(f.path), false
	}
	if !f.gz && f.sp.off > f.size {
		f.size = f.sp.off
	}
	return budget <= 0
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
	if f.sp.nlBefore && f.sp.off > 0 {
		var b [1]byte
		if n, _ := f.osf.ReadAt(b[:], f.sp.off-1); n == 1 && b[0] != '\n' {
			return false
		}
	}
	return true
}

// truncated handles a file that shrank below our position (size ≥ 0)
// or whose content was replaced (size < 0): the unread rest is looked for in
// a copy (copytruncate), then reading restarts at 0, or after the kept
// start when the file was cut to a smaller size.
func (r *runner) truncated(f *file, size int64, why string) {
	oldOff := f.sp.lineOff
	known := max(f.size, f.sp.off)
	// Complete lines already framed belong to the old content: send them.
	// An unfinished line is dropped: the copy, if any, has all of it.
	f.fr.Flush(f.emit)
	r.barrier(f)
	f.st.finish()
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
			s.sp.reset(min(off, s.size))
			s.st.finish()
			s.st = r.t.newStream(r.name, s, s.sp.off)
			s.fr = r.newFramer(s.path)
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
	s.st.setPersist(true)
	var off int64
	si, err1 := s.osf.Stat()
	gi, err2 := g.osf.Stat()
	if err1 == nil && err2 == nil && si.Size() <= gi.Size() && sameSamples(s.osf, g.osf, si.Size()) {
		off = si.Size()
	}
	if off > 0 {
		s.st.finish()
		s.sp.reset(off)
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

// idle flushes a last line without newline, and a held multi-line record,
// once the file was quiet for IdleFlush; and releases files that left their
// glob once read to their end and quiet for ReleaseAfter.
func (r *runner) idle(now time.Time) {
	for _, f := range r.files {
		if f.shadowOf != nil && now.Sub(f.shadowSince) >= r.t.cfg.ReleaseAfter {
			r.settle(f)
		}
		if f.shadowOf != nil || r.stopped {
			continue
		}
		quiet := now.Sub(f.lastData)
		if quiet >= r.t.cfg.IdleFlush && (f.eof || f.gz) {
			f.sp.flush(f.push)
			f.fr.Flush(f.emit)
			r.barrier(f)
		}
		if !f.live && f.eof && (f.gz || quiet >= r.t.cfg.ReleaseAfter) {
			f.sp.flush(f.push)
			f.fr.Flush(f.emit)
			r.barrier(f)
			r.release(f)
		}
	}
}

// release closes f and forgets it; its position is forgotten once the
// pipeline has acknowledged its records.
func (r *runner) release(f *file) {
	if f.released {
		return
	}
	f.released = true
	if f.hinted != "" {
		r.t.hints.remove(f.hinted, f)
		f.hinted = ""
	}
	r.settleShadows(f)
	f.st.finish()
	f.src.Close()
	delete(r.files, f.id)
	for p, g := range r.leftFrom {
		if g == f {
			delete(r.leftFrom, p)
		}
	}
	r.log.Debug("file released", "path", f.path, "offset", f.sp.off, "eof", f.eof, "live", f.live, "stream", f.st.id)
}

// emit sends a framed record on, blocking while the pipeline is busy.
func (r *runner) emit(f *file, rec *record.Record) {
	if r.stopped {
		return
	}
	out := *rec
	out.Text = bytes.Clone(rec.Text)
	out.Source = r.name
	out.Path = f.path
	out.Stream = f.st.id
	if len(rec.Text) > 256<<10 {
		f.bigRec = true
	}
	f.st.push(out.End, false)
	select {
	case r.t.records <- out:
	case <-r.ctx.Done():
		f.st.unpush(out.End)
		r.stopped = true
	}
}

func (r *runner) fileError(path, op string, err error) {
	r.m.readErrors.Inc()
	msg := op + ": " + err.Error()
	if r.lastErr[path] == msg {
		return
	}
	r.lastErr[path] = msg
	if len(r.lastErr) > 1000 {
		clear(r.lastErr)
	}
	r.log.Warn("cannot "+op+" file", "path", path, "err", err)
}

// shutdown closes every file without flushing: what is held was not sent,
// so it is not acknowledged and is read again after a restart. The streams
// stay, so that their positions are saved once the pipeline has drained.
func (r *runner) shutdown() {
	for _, f := range r.files {
		if f.hinted != "" {
			r.t.hints.remove(f.hinted, f)
			f.hinted = ""
		}
		f.src.Close()
		f.released = true
	}
	clear(r.files)
	r.t.dirs.set(r, nil)
	r.m.followed.Set(0)
}

// barrier persists progress that produced no record to wait for. Not after
// a stop: lines framed then were not sent.
func (r *runner) barrier(f *file) {
	if !r.stopped {
		f.st.push(f.safeOffset(), true)
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
