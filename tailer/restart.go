package tailer

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// initial is a source's first scan. Every saved position is resolved to the
// file that holds it now (same device+inode with the same fingerprint,
// wherever it was renamed; else a copy or a .gz copy with the fingerprint)
// and resumed there. Files without a position appeared while the daemon was
// down and are read from 0 — unless this is the source's first start (or its
// globs changed), when the files that exist start at their end, or at 0 with
// FromStart.
func (r *runner) initial(saved []posEntry, known bool) {
	now := time.Now()
	ms := r.glob()
	r.watchDirs()
	ms = r.capMatches(ms)
	r.matches = ms
	byID := map[fileID]match{}
	for _, m := range ms {
		byID[m.id] = m
	}
	type claim struct {
		m    match
		off  int64
		from posEntry
		kind string // rotation kind when the position was found elsewhere
	}
	claims := map[fileID]*claim{}
	add := func(m match, e posEntry, off int64, kind string) {
		if c := claims[m.id]; c != nil {
			// Several positions lead to one file: resume at the lowest,
			// so that nothing is skipped (at least once).
			if off < c.off {
				c.off, c.from, c.kind = off, e, kind
			}
			return
		}
		claims[m.id] = &claim{m: m, off: off, from: e, kind: kind}
	}
	type gzClaim struct {
		path string
		e    posEntry
		f    *file
	}
	var gzs []*gzClaim
	results := make([]resolved, len(saved))
	gzOf := map[int]*gzClaim{}
	for i, e := range saved {
		r.log.Debug("saved position", "path", e.Path, "ino", e.Ino, "offset", e.Offset, "fp_len", e.FPLen)
		res := r.resolve(e, byID)
		results[i] = res
		switch {
		case res.gz:
			g := &gzClaim{path: res.m.path, e: e}
			gzOf[i] = g
			gzs = append(gzs, g)
		case res.found:
			off := e.Offset
			if res.m.size < off {
				// Cut to a smaller size while we were down. If the kept
				// start is long enough to be sure it is the same content,
				// resume at the new end; else read it again.
				off = 0
				if e.FPLen >= minPrefixKeep && res.m.size >= int64(e.FPLen) {
					off = res.m.size
				}
				r.m.rotations[KindTruncate].Inc()
				r.log.Info("rotation detected", "path", res.m.path, "kind", KindTruncate, "resume_offset", off)
			}
			add(res.m, e, off, res.kind)
		case res.replaced:
			r.m.rotations[KindTruncate].Inc()
			r.log.Warn("file truncated or replaced while stopped and no copy of its rest found; reading it from the start",
				"path", e.Path, "saved_offset", e.Offset)
		default:
			r.log.Warn("file of a saved position not found; its unread rest, if any, is lost",
				"path", e.Path, "offset", e.Offset)
		}
	}
	for _, c := range claims {
		_, live := byID[c.m.id]
		f := r.open(c.m, c.off, live, nil)
		if f == nil {
			continue
		}
		attrs := []any{"path", c.m.path, "offset", c.off}
		if c.kind != "" {
			f.rotationCounted = true
			r.m.rotations[c.kind].Inc()
			attrs = append(attrs, "saved_path", c.from.Path, "kind", c.kind)
			r.log.Info("rotation detected while stopped; resuming the rotated file", attrs...)
		} else {
			r.log.Info("resuming file", attrs...)
		}
		if c.m.path != c.from.Path || !live {
			// The file left the saved path: a new file there comes after it.
			r.leftFrom[c.from.Path] = f
		}
	}
	for _, g := range gzs {
		f := r.openGz(g.path, g.e.Offset, fileID{dev: g.e.Dev, ino: g.e.Ino}, g.e.FP, g.e.FPLen)
		if f == nil {
			continue
		}
		g.f = f
		f.rotationCounted = true
		r.m.rotations[KindGzip].Inc()
		r.log.Info("rotation detected while stopped; resuming in the compressed copy",
			"path", g.path, "saved_path", g.e.Path, "offset", g.e.Offset, "kind", KindGzip)
		if _, ok := r.leftFrom[g.e.Path]; !ok {
			r.leftFrom[g.e.Path] = f
		}
	}
	// A file rotated away while stopped may have been followed by other
	// generations, rotated away too (two rotations while down): they hold
	// lines never read. Read them after it, oldest first.
	taken := func(g generation) bool {
		if _, ok := byID[g.m.id]; ok && !g.gz {
			return true // a glob matches it: reconcile reads it
		}
		for _, f := range r.files {
			if f.path == g.m.path || !g.gz && f.id == g.m.id {
				return true
			}
		}
		return false
	}
	for i, e := range saved {
		if !r.liveName(e.Path) {
			continue // a rotated file being finished, not a followed name
		}
		res := results[i]
		var from *file
		switch {
		case res.gz:
			if g := gzOf[i]; g != nil {
				from = g.f
			}
		case res.found:
			if res.kind == "" {
				continue // still where it was: nothing rotated
			}
			from = r.files[res.m.id]
		}
		r.readGenerations(e, from, taken)
	}
	r.baseline = !known
	r.starting = true // the generations were looked for above
	r.reconcile(ms, now)
	r.starting = false
}

// liveName reports whether one of the source's globs matches path.
func (r *runner) liveName(path string) bool {
	for _, p := range r.src.Paths {
		if ok, _ := filepath.Match(p, path); ok {
			return true
		}
	}
	return false
}

type resolved struct {
	m     match
	found bool
	gz    bool
	kind  string
	// replaced: the file is still there but holds other content (truncated
	// or rewritten; or its inode was reused), and no copy was found.
	replaced bool
}

// resolve finds the file that holds saved position e now: the same file
// (device+inode and fingerprint) at its path, under another name among the
// matches or in its directory (renamed); else a copy of it with the same
// fingerprint (copytruncate while down), else a .gz copy.
func (r *runner) resolve(e posEntry, byID map[fileID]match) resolved {
	id := fileID{dev: e.Dev, ino: e.Ino}
	m, sameID := byID[id]
	if sameID && r.fpMatches(m.path, e) {
		return resolved{m: m, found: true}
	}
	if e.FPLen < minPrefixKeep {
		// Too few known bytes to recognise the file by content elsewhere:
		// only its identity counts. (It had fewer than 64 bytes when last
		// read, so little can be missing.)
		return r.resolveByID(e, id, sameID)
	}
	var copyM, gzM *match
	var copyCtime, gzCtime time.Time
	dir := filepath.Dir(e.Path)
	stem := filepath.Base(e.Path)
	if i := strings.IndexByte(stem, '.'); i > 0 {
		stem = stem[:i]
	}
	var paths []string
	paths = append(paths, e.Path)
	if ents, err := os.ReadDir(dir); err == nil {
		for _, d := range ents {
			if strings.HasPrefix(d.Name(), stem) {
				paths = append(paths, filepath.Join(dir, d.Name()))
			}
		}
	}
	for _, m := range r.matches {
		paths = append(paths, m.path)
	}
	seen := map[string]bool{}
	for _, p := range paths {
		if seen[p] {
			continue
		}
		seen[p] = true
		fi, err := os.Stat(p)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		m := match{path: p, id: idOf(fi), size: fi.Size(), mtime: fi.ModTime()}
		if isCompressed(p) {
			if !strings.HasSuffix(p, ".gz") {
				continue
			}
			head, err := gzHead(p, e.FPLen)
			if err == nil && len(head) == e.FPLen && fingerprint(head) == e.FP &&
				(gzM == nil || ctimeOf(fi).After(gzCtime)) {
				gzM, gzCtime = &m, ctimeOf(fi)
			}
			continue
		}
		if !r.fpMatches(p, e) {
			continue
		}
		if m.id == id {
			kind := ""
			if p != e.Path {
				kind = KindRename
			}
			return resolved{m: m, found: true, kind: kind}
		}
		if copyM == nil || ctimeOf(fi).After(copyCtime) {
			copyM, copyCtime = &m, ctimeOf(fi)
		}
	}
	if copyM != nil {
		return resolved{m: *copyM, found: true, kind: KindCopyTruncate}
	}
	if gzM != nil {
		return resolved{m: *gzM, gz: true, kind: KindGzip}
	}
	return resolved{replaced: sameID}
}

// resolveByID looks for the file of e by identity only: at its path or
// renamed in its directory.
func (r *runner) resolveByID(e posEntry, id fileID, sameID bool) resolved {
	dir := filepath.Dir(e.Path)
	ents, _ := os.ReadDir(dir)
	for _, d := range ents {
		p := filepath.Join(dir, d.Name())
		fi, err := os.Stat(p)
		if err != nil || !fi.Mode().IsRegular() || idOf(fi) != id || isCompressed(p) || !r.fpMatches(p, e) {
			continue
		}
		kind := ""
		if p != e.Path {
			kind = KindRename
		}
		return resolved{m: match{path: p, id: id, size: fi.Size(), mtime: fi.ModTime()}, found: true, kind: kind}
	}
	return resolved{replaced: sameID}
}

// fpMatches reports whether the file at path starts with the bytes whose
// fingerprint e holds.
func (r *runner) fpMatches(path string, e posEntry) bool {
	fh, err := os.Open(path)
	if err != nil {
		return false
	}
	defer fh.Close()
	head, err := readHead(fh, r.headBuf, e.FPLen)
	return err == nil && len(head) == e.FPLen && fingerprint(head) == e.FP
}
