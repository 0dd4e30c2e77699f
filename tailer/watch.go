package tailer

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
	hpwatch "github.com/hpcloud/tail/watch"
	fsnotifyv1 "gopkg.in/fsnotify.v1"
)

// A waker is told that something changed: wake(true) that the set of files
// may have changed (create, delete, rename); written that a file was
// written to: the file of owner (a per-file watch) or the file at path (a
// directory watch, owner nil).
type waker interface {
	wake(rescan bool)
	written(owner any, path string)
}

// Notifications are hints only. Every source re-evaluates its globs and
// checks its files every PollInterval whatever they say, so a lost or
// spurious event costs latency, never a line.

// dirWatcher watches the directories that globs look into (inotify.go)
// and wakes the sources that asked for them: that is how
// new files, and directories that appear later, are found without waiting
// for the next poll.
type dirWatcher struct {
	log *slog.Logger
	w   *inotifyWatcher // nil: polling only

	mu    sync.Mutex
	subs  map[string]map[waker]bool // directory → who wants it
	added map[string]bool           // directories watched now
	want  map[waker][]string
}

func newDirWatcher(log *slog.Logger, poll bool) (*dirWatcher, error) {
	d := &dirWatcher{log: log, subs: map[string]map[waker]bool{},
		added: map[string]bool{}, want: map[waker][]string{}}
	if poll {
		return d, nil
	}
	w, err := newInotifyWatcher()
	if err != nil {
		return d, err
	}
	d.w = w
	return d, nil
}

// run delivers events until ctx is done or the watcher is closed. Events
// are taken in batches: all that the kernel queued, in one read, and then
// none for a gap (gap.go), so that a busy directory (every write is an
// event) wakes the process once per gap, not once per write.
func (d *dirWatcher) run(ctx context.Context) {
	if d.w == nil || !d.w.start() {
		return
	}
	defer d.w.stop()
	stop := context.AfterFunc(ctx, d.w.Close)
	defer stop()
	gap := time.NewTimer(time.Hour)
	gap.Stop()
	defer gap.Stop()
	var g gapper
	var last time.Time
	var evs []fsnotify.Event
	for {
		var overflow bool
		var err error
		evs, overflow, err = d.w.wait(evs[:0])
		switch {
		case errors.Is(err, errWatcherClosed):
			return
		case err != nil:
			d.overflow(err)
		case overflow:
			d.overflow(errors.New("inotify queue overflow"))
		}
		now := time.Now()
		g.next(now.Sub(last))
		last = now
		for _, ev := range evs {
			d.deliver(ev)
		}
		gap.Reset(g.cur)
		select {
		case <-ctx.Done():
			return
		case <-gap.C:
		}
	}
}

// overflow handles a watcher error: events may have been lost (queue
// overflow), so everyone rescans and reads.
func (d *dirWatcher) overflow(err error) {
	d.log.Warn("directory watch error; rescanning", "err", err)
	d.wakeAll()
}

func (d *dirWatcher) deliver(ev fsnotify.Event) {
	name := filepath.Clean(ev.Name)
	dir := filepath.Dir(name)
	d.mu.Lock()
	defer d.mu.Unlock()
	if ev.Op == fsnotify.Write {
		// Only written: the runners read that file, nothing else.
		for w := range d.subs[dir] {
			w.written(nil, name)
		}
		return
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		// The watched directory itself went away: watch it again when a
		// glob finds it back.
		if d.added[name] {
			delete(d.added, name)
			_ = d.w.Remove(name)
		}
	}
	for w := range d.subs[dir] {
		if ev.Has(fsnotify.Write) {
			w.written(nil, name)
		}
		w.wake(true)
	}
	for w := range d.subs[name] {
		w.wake(true)
	}
}

// watching reports whether dir is watched for w.
func (d *dirWatcher) watching(w waker, dir string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.added[dir] && d.subs[dir][w]
}

func (d *dirWatcher) wakeAll() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for w := range d.want {
		w.written(nil, "")
		w.wake(true)
	}
}

// set makes dirs the directories watched for w and returns the ones that
// could not be watched (inotify unavailable, or out of watches).
func (d *dirWatcher) set(w waker, dirs []string) (failed []string, firstErr error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	keep := make(map[string]bool, len(dirs))
	for _, dir := range dirs {
		keep[dir] = true
	}
	old := d.want[w]
	for _, dir := range old {
		if keep[dir] {
			continue // still wanted: its watch stays, no event is missed
		}
		delete(d.subs[dir], w)
		if len(d.subs[dir]) == 0 {
			delete(d.subs, dir)
			if d.added[dir] {
				delete(d.added, dir)
				_ = d.w.Remove(dir)
			}
		}
	}
	if len(dirs) == 0 {
		delete(d.want, w)
		return nil, nil
	}
	d.want[w] = dirs
	for _, dir := range dirs {
		if d.subs[dir] == nil {
			d.subs[dir] = map[waker]bool{}
		}
		d.subs[dir][w] = true
		if d.added[dir] {
			continue
		}
		if d.w == nil {
			failed = append(failed, dir)
			continue
		}
		if err := d.w.Add(dir); err != nil {
			failed = append(failed, dir)
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		d.added[dir] = true
	}
	return failed, firstErr
}

func (d *dirWatcher) close() {
	if d.w != nil {
		d.w.Close()
	}
}

// watchDirs returns the directories to watch for a glob: every existing
// directory that a match, or a directory on the way to one, may appear in.
// For /logs/*/app/*.log that is /logs, each /logs/*, each /logs/*/app; when
// /logs does not exist yet, its nearest existing ancestor.
func watchDirs(pattern string) []string {
	dir := filepath.Dir(pattern)
	parts := strings.Split(dir, string(filepath.Separator))
	var out []string
	prefix := string(filepath.Separator)
	static := true
	for i, p := range parts {
		if i == 0 && p == "" {
			continue
		}
		next := filepath.Join(prefix, p)
		if static && !hasMeta(p) {
			if _, err := os.Stat(next); err != nil {
				// The rest does not exist yet: watch where it will appear.
				return append(out, prefix)
			}
			prefix = next
			continue
		}
		if static {
			out = append(out, prefix)
			static = false
		}
		// From the first wildcard on, watch what each level matches.
		matches, _ := filepath.Glob(filepath.Join(prefix, p))
		var dirs []string
		for _, m := range matches {
			if fi, err := os.Stat(m); err == nil && fi.IsDir() {
				dirs = append(dirs, m)
				out = append(out, m)
			}
		}
		if len(dirs) == 0 {
			return out
		}
		// Continue below each match: rebuild the remaining pattern.
		rest := filepath.Join(parts[i+1:]...)
		if rest == "" {
			return out
		}
		for _, m := range dirs {
			out = append(out, watchDirsBelow(m, rest)...)
		}
		return dedup(out)
	}
	return append(out, prefix)
}

func watchDirsBelow(base, rest string) []string {
	parts := strings.Split(rest, string(filepath.Separator))
	var out []string
	cur := []string{base}
	for _, p := range parts {
		var next []string
		for _, c := range cur {
			matches, _ := filepath.Glob(filepath.Join(c, p))
			for _, m := range matches {
				if fi, err := os.Stat(m); err == nil && fi.IsDir() {
					next = append(next, m)
				}
			}
		}
		out = append(out, next...)
		cur = next
		if len(cur) == 0 {
			break
		}
	}
	return out
}

func hasMeta(s string) bool { return strings.ContainsAny(s, `*?[\`) }

func dedup(in []string) []string {
	seen := map[string]bool{}
	out := in[:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// hints gives each followed file's path an inotify watch through
// hpcloud/tail's watch package (its shared inotify tracker), so a write to
// the file wakes its source at once, also when the path is a symlink into a
// directory nobody watches (Kubernetes' /var/log/containers). The events
// only wake the source; what happened is found out by stat and read.
//
// hpcloud/tail's own FileWatchers are not used: they call os.Exit on an
// unexpected stat error (util.Fatal; NFS returns ESTALE), their goroutines
// cannot be joined, and the polling one reads a package variable. Its
// tracker is used directly instead (Watch, Events, RemoveWatch), from a
// goroutine this package owns and joins, and started through trackerGuard,
// which keeps its failure to start from exiting the process.
type hints struct {
	log     *slog.Logger
	enabled bool

	mu    sync.Mutex
	paths map[string]*hint
}

type hint struct {
	wakers map[any]waker // owner → whom to wake
	stop   chan struct{}
	done   chan struct{}
	mu     sync.Mutex // guards wakers against the goroutine
}

// newHints enables per-file inotify hints unless poll is set. Whether
// hpcloud/tail's tracker can run is found out at the first file (see
// trackerGuard): until it runs, files are polled.
func newHints(log *slog.Logger, poll bool) *hints {
	return &hints{log: log, paths: map[string]*hint{}, enabled: !poll}
}

// add asks for wake-ups of w when the file at path changes, on behalf of
// owner (a followed file: when a new file takes the path, its owner is
// removed first and the new one's add watches the new inode). It reports
// false when no inotify watch could be set (the file is then polled).
func (h *hints) add(path string, owner any, w waker) (bool, error) {
	if !h.enabled {
		return false, nil
	}
	path = filepath.Clean(path)
	h.mu.Lock()
	defer h.mu.Unlock()
	if x := h.paths[path]; x != nil {
		x.mu.Lock()
		x.wakers[owner] = w
		x.mu.Unlock()
		return true, nil
	}
	if err := hpTracker.watch(path); err != nil {
		return false, err
	}
	events := hpwatch.Events(path)
	x := &hint{wakers: map[any]waker{owner: w}, stop: make(chan struct{}), done: make(chan struct{})}
	h.paths[path] = x
	go func() {
		defer close(x.done)
		defer hpwatch.RemoveWatch(path)
		for {
			select {
			case <-x.stop:
				return
			case ev, ok := <-events:
				if !ok {
					return
				}
				rescan := ev.Op&(fsnotifyv1.Rename|fsnotifyv1.Remove|fsnotifyv1.Create|fsnotifyv1.Chmod) != 0
				x.mu.Lock()
				for owner, w := range x.wakers {
					w.written(owner, "")
					if rescan {
						w.wake(true)
					}
				}
				x.mu.Unlock()
			}
		}
	}()
	return true, nil
}

// remove ends owner's interest in path; the watch goes when nobody is left.
func (h *hints) remove(path string, owner any) {
	path = filepath.Clean(path)
	h.mu.Lock()
	x := h.paths[path]
	if x == nil {
		h.mu.Unlock()
		return
	}
	x.mu.Lock()
	delete(x.wakers, owner)
	empty := len(x.wakers) == 0
	x.mu.Unlock()
	if !empty {
		h.mu.Unlock()
		return
	}
	delete(h.paths, path)
	h.mu.Unlock()
	close(x.stop)
	<-x.done
}

// closeAll removes every watch and joins their goroutines.
func (h *hints) closeAll() {
	h.mu.Lock()
	all := h.paths
	h.paths = map[string]*hint{}
	h.mu.Unlock()
	for _, x := range all {
		close(x.stop)
		<-x.done
	}
}
