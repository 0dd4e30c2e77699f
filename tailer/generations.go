package tailer

import (
	"cmp"
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
	var fromMtime time.Time
	if from != nil && ref == nil {
		if fi, err := os.Stat(from.path); err == nil {
			fromMtime = fi.ModTime()
		}
	}
	var todo []generation
	for _, g := range gens {
		if ref != nil && g.m.path == ref.m.path || taken(g) {
			continue
		}
		switch {
		case ref != nil:
			if !g.newerThan(*ref) {
				continue
			}
		case from != nil:
			if !g.m.mtime.After(fromMtime) {
				continue
			}
		default:
			if !g.m.mtime.After(time.Unix(e.Updated, 0)) {
				continue
			}
		}
		todo = append(todo, g)
	}
	if len(todo) == 0 {
		return
	}
	slices.SortFunc(todo, compareAge)
	prev := from
	for _, g := range todo {
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
		r.log.Info("rotated while stopped; reading a generation that was never read",
			"path", g.m.path, "saved_path", e.Path, "kind", kind)
		prev = f
	}
	if prev != nil {
		r.leftFrom[e.Path] = prev
	}
}
