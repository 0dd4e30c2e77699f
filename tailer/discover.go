package tailer

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/wedadiag/wedadiag/record"
)

// match is a file that a source's globs match now.
type match struct {
	path    string
	id      fileID
	size    int64
	mtime   time.Time
	symlink bool
}

// glob evaluates the source's patterns: regular files only, compressed
// files never, one entry per file identity.
func (r *runner) glob() []match {
	var out []match
	seen := map[fileID]int{}
	roots := r.roots()
	links := make(map[string]linkVerdict, len(r.links))
	defer func() { r.links = links }()
	for _, pat := range r.src.Paths {
		// Below a wildcard directory a match may lead anywhere through a
		// symlinked directory: check where every match really is.
		checkAll := hasMeta(filepath.Dir(pat))
		paths, _ := filepath.Glob(pat) // patterns were checked by New
		for _, p := range paths {
			if isCompressed(p) || r.src.excluded(p) {
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
			if r.src.IgnoreOlder > 0 && r.files[m.id] == nil && time.Since(m.mtime) > r.src.IgnoreOlder {
				continue // found already old (ignore_older)
			}
			if (symlink || checkAll) && !r.allowed(p, idOf(lfi), m.id, roots, links) {
				continue
			}
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

// linkVerdict caches whether a path leads inside the allowed roots, for
// as long as the link and its target stay the same files.
type linkVerdict struct {
	link, target fileID
	ok           bool
}

// roots are the directories the source's files may be in: each glob's
// directory up to its first wildcard, and AllowRoots; symlinks resolved.
func (r *runner) roots() []string {
	var out []string
	add := func(dir string) {
		if d, err := filepath.EvalSymlinks(dir); err == nil {
			dir = d
		}
		out = append(out, filepath.Clean(dir))
	}
	for _, pat := range r.src.Paths {
		dir := filepath.Dir(pat)
		for hasMeta(dir) {
			dir = filepath.Dir(dir)
		}
		add(dir)
	}
	for _, dir := range r.t.cfg.AllowRoots {
		add(dir)
	}
	return out
}

// allowed reports whether p (link: the identity of its own directory
// entry, target: of the file it leads to) is inside one of roots once every
// symlink on its way is resolved. A refusal is counted and logged when it is
// new.
func (r *runner) allowed(p string, link, target fileID, roots []string, links map[string]linkVerdict) bool {
	if v, ok := r.links[p]; ok && v.link == link && v.target == target {
		links[p] = v
		return v.ok
	}
	real, err := filepath.EvalSymlinks(p)
	ok := err == nil && within(real, roots)
	links[p] = linkVerdict{link: link, target: target, ok: ok}
	if !ok {
		r.m.symlinks.Inc()
		r.log.Warn("not following a symlink that leads outside the source's directories (add its directory to allow_roots to follow it)",
			"path", p, "target", real, "roots", roots)
	}
	return ok
}

// within reports whether path is one of dirs or below one.
func within(path string, dirs []string) bool {
	for _, d := range dirs {
		if path == d || strings.HasPrefix(path, d+string(filepath.Separator)) || d == string(filepath.Separator) {
			return true
		}
	}
	return false
}

// capMatches keeps the MaxFilesPerSource most recently modified matches.
func (r *runner) capMatches(ms []match) []match {
	max := r.t.cfg.MaxFilesPerSource
	if len(ms) <= max {
		clear(r.capped)
		return ms
	}
	// Newest first; equal times by name, so that the choice is the same
	// at every scan.
	slices.SortFunc(ms, func(a, b match) int {
		if c := b.mtime.Compare(a.mtime); c != 0 {
			return c
		}
		return strings.Compare(a.path, b.path)
	})
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
	r.scanCost = time.Since(now)
	r.backoff(ms, now)
	ms = r.capMatches(ms)
	r.matches = ms
	r.reconcile(ms, now)
	r.scanWanted = len(r.undecided) > 0 // a copy in progress: look again
	r.pathsStale = true
}

// backoff sets when the next scan is due without an event: soon when this
// one found other files than the last, later and later while it finds the
// same ones.
func (r *runner) backoff(ms []match, now time.Time) {
	sig := [2]uint64{uint64(len(ms))}
	for _, m := range ms {
		sig[1] += (m.id.dev*0x9e3779b97f4a7c15 ^ m.id.ino) * 0xbf58476d1ce4e5b9
	}
	maxEvery := maxScanBackoff * r.t.cfg.PollInterval
	if r.pollDirs {
		// Nothing tells about new files: keep looking often.
		maxEvery = maxScanBackoffPolling * r.t.cfg.PollInterval
	}
	if sig != r.scanSig || r.scanEvery == 0 {
		r.scanEvery = r.t.cfg.PollInterval
	} else {
		r.scanEvery = min(2*r.scanEvery, maxEvery)
	}
	// However many files: unprompted scans take at most 2% of a core.
	r.scanEvery = max(r.scanEvery, 50*r.scanCost)
	r.scanSig, r.lastScan = sig, now
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
	// Which files need a watch of their own may have changed.
	for _, f := range r.files {
		if f.hinted != "" && !r.needsHint(f) {
			r.t.hints.remove(f.hinted, f)
			f.hinted = ""
		} else if f.live {
			r.hint(f)
		}
	}
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
			if r.capped[f.id] {
				r.dropCapped(f)
			} else {
				r.leave(f)
			}
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
		if o, ok := r.cappedOff[m.id]; ok {
			// Back from the cap: go on where it was dropped.
			off = min(o, m.size)
			delete(r.cappedOff, m.id)
			r.log.Info("file back within the file cap; following it again", "path", m.path, "offset", off)
		} else if r.baseline {
			off = r.baselineOffset(m)
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
		if prev != nil && !r.baseline && !r.starting && !prev.live && !prev.gz && !prev.mtime.IsZero() {
			prev = r.missedGenerations(m.path, prev, seen)
		}
		f := r.open(m, off, true, prev)
		if f != nil {
			delete(r.leftFrom, m.path)
		}
		if f != nil && !r.baseline {
			r.log.Info("following new file", "path", m.path)
		}
	}
	for id := range r.cappedOff {
		if !r.capped[id] && !seen[id] {
			delete(r.cappedOff, id) // gone
		}
	}
	r.baseline = false
	r.lost = false
}

// baselineOffset is where a file that exists at a source's first start (or
// when its globs changed) starts: at its end, or at 0 with FromStart. When
// the positions were lost, StartAtUnknown decides.
func (r *runner) baselineOffset(m match) int64 {
	if !r.lost {
		if r.t.cfg.FromStart {
			return 0
		}
		return m.size
	}
	switch r.t.cfg.StartAtUnknown {
	case StartBeginning:
		return 0
	case StartEnd:
		return m.size
	}
	if r.t.lostAt.IsZero() || m.mtime.After(r.t.lostAt) {
		return 0 // written after the last save: may hold unread lines
	}
	return m.size
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
		size: fi.Size(), lastData: time.Now(), symlink: m.symlink}
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
	if r.log.Enabled(context.Background(), slog.LevelDebug) {
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
	f.sp = record.NewLineSplitter(r.t.cfg.MaxLineBytes, off)
	if f.fr == nil {
		f.fr = r.newFramer(f.path)
	}
	f.push = r.pusher(f)
	f.emit = func(rec *record.Record) { r.emit(f, rec) }
	f.st = r.t.newStream(r.name, f, off)
	f.dirty.Store(true) // read it in the next round
	r.pathsStale = true
}

// pusher returns the function that counts a line and hands it to f's
// framer.
func (r *runner) pusher(f *file) func(record.Line) {
	return func(l record.Line) {
		r.lines++
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
	r.pathsStale = true
	if f.live {
		r.hint(f)
	}
}

// needsHint reports whether f needs an inotify watch of its own (through
// hpcloud/tail's tracker): a write to a file in a directory the source
// watches is an event of that directory's watch already, so only files
// reached through a symlink, or in a directory that could not be watched,
// need one.
func (r *runner) needsHint(f *file) bool {
	return f.live && !f.gz && (f.symlink || !r.t.dirs.watching(r, filepath.Dir(f.path)))
}

func (r *runner) hint(f *file) {
	if f.hinted != "" || !r.needsHint(f) {
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

// dropCapped stops following a live file that the per-source file cap
// (MaxFilesPerSource) left out: newer files took its place. What was read
// so far was sent on; where it stopped is remembered, in case the file comes
// back among the newest.
func (r *runner) dropCapped(f *file) {
	f.live = false
	if f.hinted != "" {
		r.t.hints.remove(f.hinted, f)
		f.hinted = ""
	}
	r.settleShadows(f)
	// A partial line or held record is not sent: it is read again from
	// here if the file comes back.
	r.barrier(f)
	r.cappedOff[f.id] = f.safeOffset()
	r.release(f)
	r.log.Warn("file dropped by the per-source file cap (max_files): newer files are followed instead",
		"path", f.path, "max_files", r.t.cfg.MaxFilesPerSource)
}

// leave handles a live file that no glob matches any more: it is finished
// (read to its end) and released once quiet. A copy waiting for it to be
// truncated becomes a file of its own, read from the beginning.
func (r *runner) leave(f *file) {
	f.live = false
	f.leftAt = time.Now()
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
