package tailer

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"sync"

	hputil "github.com/hpcloud/tail/util"
	hpwatch "github.com/hpcloud/tail/watch"
	"golang.org/x/sys/unix"
)

// errTrackerDead: hpcloud/tail's inotify tracker could not start; files
// are polled.
var errTrackerDead = errors.New("hpcloud/tail's inotify tracker could not create an inotify instance (it would have exited the process); polling instead")

// trackerGuard contains hpcloud/tail's shared inotify tracker. The library
// starts one tracker per process, on the first Watch, in a goroutine of its
// own; when that goroutine cannot create its inotify instance it calls
// util.Fatal, which writes to util.LOGGER and then calls os.Exit(1). Two
// things keep that from taking the daemon down:
//
//   - the first Watch is made under the guard's lock right after a probe
//     showed an instance is free (no other Tailer of this process can take
//     it in between), and waits for either the tracker's answer or the
//     fatal message;
//   - before that, util.LOGGER is replaced by a writer that, on a FATAL
//     message, reports it to the guard and parks the calling goroutine for
//     good instead of returning to os.Exit. Another process may take the
//     last instance between the probe and the tracker's start (the probe
//     cannot hand its instance over); the tracker's goroutine and the one
//     blocked in Watch then stay parked, the guard is dead and every file
//     is polled.
//
// The tracker is per process, so the guard is too: the one package-level
// variable of this package, mirroring the library's own.
type trackerGuard struct {
	mu    sync.Mutex
	state int           // trackerUnknown, trackerAlive or trackerDead
	fatal chan struct{} // closed when the library called util.Fatal
	once  sync.Once
	msg   []byte // the library's fatal message (first line)
	// beforeStart runs between the probe and the tracker's start (tests:
	// take the instance the probe saw free).
	beforeStart func()
}

const (
	trackerUnknown = iota
	trackerAlive
	trackerDead
)

var hpTracker = &trackerGuard{}

// Write is util.LOGGER's output while the guard is installed.
func (g *trackerGuard) Write(p []byte) (int, error) {
	if !bytes.Contains(p, []byte("FATAL")) {
		return len(p), nil
	}
	g.once.Do(func() {
		line, _, _ := bytes.Cut(p, []byte("\n"))
		g.msg = bytes.Clone(line)
		close(g.fatal)
	})
	select {} // never return to the library's os.Exit
}

// watch adds the tracker's inotify watch for path (hpwatch.Watch), first
// starting the tracker when this is the process's first watch.
func (g *trackerGuard) watch(path string) error {
	g.mu.Lock()
	switch g.state {
	case trackerDead:
		g.mu.Unlock()
		return errTrackerDead
	case trackerAlive:
		g.mu.Unlock()
		return hpwatch.Watch(path)
	}
	defer g.mu.Unlock()
	if g.fatal == nil {
		g.fatal = make(chan struct{})
		hputil.LOGGER = &hputil.Logger{Logger: log.New(g, "", 0)}
	}
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC)
	if err != nil {
		// No instance free: do not start the tracker now; a later file
		// tries again.
		return fmt.Errorf("inotify instance: %w", err)
	}
	unix.Close(fd)
	if g.beforeStart != nil {
		g.beforeStart()
	}
	done := make(chan error, 1)
	go func() { done <- hpwatch.Watch(path) }()
	select {
	case err := <-done:
		g.state = trackerAlive
		return err
	case <-g.fatal:
		g.state = trackerDead
		return fmt.Errorf("%w: %s", errTrackerDead, g.msg)
	}
}
