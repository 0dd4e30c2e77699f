package tailer

import (
	"bytes"
	"cmp"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A generation is a rotated-away copy of a followed file, named after it:
// app.log.1, app.log.2.gz, app.log-20240621, app.log-20240621-1718900000.gz.
type generation struct {
	m    match
	gz   bool
	num  int    // app.log.N: N (higher is older); -1 otherwise
	date string // app.log-DATE, app.log.DATE: DATE (later is newer)
}

// newerThan reports whether g was rotated after o (is a later generation).
func (g generation) newerThan(o generation) bool {
	switch {
	case g.num >= 0 && o.num >= 0:
		return g.num < o.num
	case g.num < 0 && o.num < 0:
		return g.date > o.date
	}
	return g.m.mtime.After(o.m.mtime)
}

// unread reports whether generation g holds lines written after since,
// when the file it follows in the chain is ref (nil: unknown). Names are not
// always logrotate's (an app may number its files upwards), so a plain
// file's modification time decides. A compressed file's time is when it
// was compressed (maybe after its lines were read): it must also be newer
// than ref by logrotate's naming when the two names compare.
func unread(g generation, ref *generation, since time.Time) bool {
	if !g.m.mtime.After(since) {
		return false
	}
	if !g.gz || ref == nil {
		return true
	}
	comparable := g.num >= 0 && ref.num >= 0 || g.num < 0 && ref.num < 0
	return !comparable || g.newerThan(*ref)
}

// compareAge orders generations oldest first.
func compareAge(a, b generation) int {
	switch {
	case a.newerThan(b):
		return 1
	case b.newerThan(a):
		return -1
	}
	return cmp.Compare(a.m.path, b.m.path)
}

// generations lists the rotated generations of the file named live that
// exist in its directory, in no particular order.
func generations(live string) []generation {
	dir, base := filepath.Split(live)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []generation
	for _, e := range ents {
		name := e.Name()
		rest, ok := strings.CutPrefix(name, base)
		if !ok || len(rest) < 2 || !strings.ContainsRune(".-_", rune(rest[0])) {
			continue
		}
		g := generation{num: -1}
		if isCompressed(name) {
			if !strings.HasSuffix(name, ".gz") {
				continue // only .gz can be read
			}
			g.gz = true
			rest = strings.TrimSuffix(rest, ".gz")
		}
		if n, err := strconv.Atoi(rest[1:]); err == nil && rest[0] == '.' && n >= 0 {
			g.num = n
		} else {
			g.date = rest[1:]
		}
		p := filepath.Join(dir, name)
		fi, err := os.Lstat(p) // a symlink is no generation: it may lead anywhere
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		g.m = match{path: p, id: idOf(fi), size: fi.Size(), mtime: fi.ModTime()}
		out = append(out, g)
	}
	return out
}

// readGenerations finds the generations of a followed file that were
// rotated away while the daemon was down after the one holding its saved
// position (from, which may be nil when that one is gone) and sets them up
// to be read from 0, oldest first, after from; the file that now has the
// name comes after the newest (leftFrom). Generations that a saved position
// or a glob already covers (taken) are left alone. Without from, the
// generations modified after the position was saved are read.
func (r *runner) readGenerations(e posEntry, from *file, taken func(generation) bool) {
	gens := generations(e.Path)
	var ref *generation
	if from != nil {
		for i := range gens {
			if gens[i].m.path == from.path {
				ref = &gens[i]
			}
		}
	}
	// Lines written after the save are unread: a generation last written
	// before it was read then (or is older than the saved file).
	since := time.Unix(e.Updated, 0)
	var head []byte
	if from != nil {
		head = from.head
	}
	var todo []generation
	for _, g := range gens {
		if ref != nil && g.m.path == ref.m.path || taken(g) || !unread(g, ref, since) || startsLike(g, head) {
			continue
		}
		todo = append(todo, g)
	}
	if len(todo) == 0 {
		return
	}
	if last := r.readChain(todo, from, "rotated while stopped; reading a generation that was never read", e.Path); last != nil {
		r.leftFrom[e.Path] = last
	}
}

// readChain opens gens from 0, oldest first, each to be read after the one
// before and the first after from (nil: at once), and returns the last file
// of the chain (from when none could be opened).
func (r *runner) readChain(gens []generation, from *file, msg, name string) *file {
	slices.SortFunc(gens, compareAge)
	prev := from
	for _, g := range gens {
		var f *file
		kind := KindRename
		if g.gz {
			head, err := gzHead(g.m.path, fpBytes)
			if err != nil {
				r.fileError(g.m.path, "gzip", err)
				continue
			}
			if f = r.openGz(g.m.path, 0, g.m.id, fingerprint(head), len(head)); f != nil && prev != nil && !prev.released {
				f.pred, prev.eof = prev, false
			}
			kind = KindGzip
		} else {
			f = r.open(g.m, 0, false, prev)
		}
		if f == nil {
			continue
		}
		f.rotationCounted = true
		r.m.rotations[kind].Inc()
		r.log.Info(msg, "path", g.m.path, "name", name, "kind", kind)
		prev = f
	}
	return prev
}

// missedGenerations handles a file that replaced prev at live while
// running: if more than one rotation happened since the last scan, the
// generations between prev and it were never seen. They are read after
// prev, oldest first; it returns the file the new one comes after.
// Generations that are followed, matched by a glob (matched) or that start
// like prev (its compressed copy) are not.
func (r *runner) missedGenerations(live string, prev *file, matched map[fileID]bool) *file {
	gens := generations(live)
	// Where prev is now: renamed (same inode), or compressed (a .gz that
	// starts like it).
	var ref *generation
	for i := range gens {
		if !gens[i].gz && gens[i].m.id == prev.id {
			ref = &gens[i]
		}
	}
	for i := range gens {
		if ref == nil && gens[i].gz && startsLike(gens[i], prev.head) {
			ref = &gens[i]
		}
	}
	if r.log.Enabled(context.Background(), slog.LevelDebug) {
		rp := ""
		if ref != nil {
			rp = ref.m.path
		}
		r.log.Debug("looking for missed generations", "prev", prev.path, "prev_id", prev.id.ino, "prev_mtime", prev.mtime, "ref", rp, "gens", len(gens))
		for _, g := range gens {
			r.log.Debug("generation", "path", g.m.path, "ino", g.m.id.ino, "mtime", g.m.mtime)
		}
	}
	var todo []generation
	for _, g := range gens {
		switch {
		case ref != nil && g.m.path == ref.m.path, matched[g.m.id] && !g.gz,
			r.files[g.m.id] != nil && !g.gz, r.followsPath(g.m.path):
			continue
		case !unread(g, ref, prev.mtime):
			// prev.mtime is when we last saw prev written: anything
			// rotated before it, written before.
			continue
		case maybeCopyOf(g, prev.head):
			continue
		}
		todo = append(todo, g)
	}
	if len(todo) == 0 {
		return prev
	}
	last := r.readChain(todo, prev, "several rotations since the last look; reading a generation that was never seen", live)
	r.leftFrom[live] = last
	return last
}

func (r *runner) followsPath(path string) bool {
	for _, f := range r.files {
		if f.path == path {
			return true
		}
	}
	return false
}

// maybeCopyOf reports whether g may be a copy of the file that starts with
// head: it starts so, or it is being written (compressed) and what is there
// so far does not say otherwise.
func maybeCopyOf(g generation, head []byte) bool {
	if len(head) == 0 {
		return false
	}
	var got []byte
	var err error
	if g.gz {
		got, err = gzHead(g.m.path, len(head))
	} else {
		var fh *os.File
		if fh, err = os.Open(g.m.path); err == nil {
			got, err = readHead(fh, nil, len(head))
			fh.Close()
		}
	}
	if err != nil {
		return true
	}
	n := min(len(got), len(head))
	return bytes.Equal(got[:n], head[:n])
}

// startsLike reports whether the content of g starts with head.
func startsLike(g generation, head []byte) bool {
	if len(head) < minPrefixKeep {
		return false // too little to tell a copy from a file that starts alike
	}
	var got []byte
	var err error
	if g.gz {
		got, err = gzHead(g.m.path, len(head))
	} else {
		var fh *os.File
		if fh, err = os.Open(g.m.path); err == nil {
			got, err = readHead(fh, nil, len(head))
			fh.Close()
		}
	}
	return err == nil && bytes.Equal(got, head)
}
