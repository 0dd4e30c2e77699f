package tailer

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"unsafe"

	"github.com/fsnotify/fsnotify"
	"golang.org/x/sys/unix"
)

// dirMask is what a directory watch reports: fsnotify's default set.
const dirMask = unix.IN_CREATE | unix.IN_MODIFY | unix.IN_DELETE | unix.IN_DELETE_SELF |
	unix.IN_MOVED_FROM | unix.IN_MOVED_TO | unix.IN_MOVE_SELF | unix.IN_ATTRIB

// inotifyWatcher watches directories with inotify, read by wait on the
// caller's goroutine outside the Go netpoller: between two waits the
// kernel queues the events and wakes nobody. (fsnotify's watcher keeps its
// descriptor in the netpoller, which wakes the process at every event —
// every write to a followed file — even while no one reads them.) It hands
// on fsnotify.Event values, as fsnotify's inotify backend names them.
type inotifyWatcher struct {
	fd, wakeFd int

	mu      sync.Mutex
	byWd    map[int32]string
	byPath  map[string]int32
	closed  bool
	running bool
	buf     []byte
}

var errWatcherClosed = errors.New("watcher closed")

func newInotifyWatcher() (*inotifyWatcher, error) {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil, err
	}
	wfd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	return &inotifyWatcher{fd: fd, wakeFd: wfd, byWd: map[int32]string{}, byPath: map[string]int32{},
		buf: make([]byte, 64<<10)}, nil
}

// Add watches dir.
func (w *inotifyWatcher) Add(dir string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return errWatcherClosed
	}
	wd, err := unix.InotifyAddWatch(w.fd, dir, dirMask)
	if err != nil {
		return &os.PathError{Op: "inotify_add_watch", Path: dir, Err: err}
	}
	w.byWd[int32(wd)] = dir
	w.byPath[dir] = int32(wd)
	return nil
}

// Remove stops watching dir.
func (w *inotifyWatcher) Remove(dir string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	wd, ok := w.byPath[dir]
	if !ok || w.closed {
		return nil
	}
	delete(w.byPath, dir)
	delete(w.byWd, wd)
	_, err := unix.InotifyRmWatch(w.fd, uint32(wd))
	return err
}

// Close makes wait return errWatcherClosed; the descriptors are closed by
// the waiting goroutine on its way out (or here, when none waits).
func (w *inotifyWatcher) Close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	w.closed = true
	if w.running {
		w.wake()
		return
	}
	w.release()
}

func (w *inotifyWatcher) wake() {
	var one = [8]byte{1}
	_, _ = unix.Write(w.wakeFd, one[:])
}

func (w *inotifyWatcher) release() {
	unix.Close(w.fd)
	unix.Close(w.wakeFd)
}

// start and stop bracket the goroutine that calls wait.
func (w *inotifyWatcher) start() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.running = !w.closed
	return w.running
}

func (w *inotifyWatcher) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.running = false
	w.closed = true
	w.release()
}

// wait blocks until events are queued (or Close was called)
// and returns all that are queued; overflow reports that the kernel's
// queue overflowed (events were lost).
func (w *inotifyWatcher) wait(evs []fsnotify.Event) (_ []fsnotify.Event, overflow bool, err error) {
	fds := []unix.PollFd{{Fd: int32(w.fd), Events: unix.POLLIN}, {Fd: int32(w.wakeFd), Events: unix.POLLIN}}
	for {
		n, err := unix.Read(w.fd, w.buf)
		switch {
		case n > 0:
			evs, overflow = w.parse(w.buf[:n], evs)
			return evs, overflow, nil
		case err != nil && err != unix.EAGAIN && err != unix.EINTR:
			return evs, false, err
		}
		if _, err := unix.Poll(fds, -1); err != nil && err != unix.EINTR {
			return evs, false, err
		}
		if fds[1].Revents != 0 {
			return evs, false, errWatcherClosed
		}
	}
}

func (w *inotifyWatcher) parse(b []byte, evs []fsnotify.Event) (_ []fsnotify.Event, overflow bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for len(b) >= unix.SizeofInotifyEvent {
		raw := (*unix.InotifyEvent)(unsafe.Pointer(&b[0]))
		end := unix.SizeofInotifyEvent + int(raw.Len)
		if end > len(b) {
			break
		}
		name := b[unix.SizeofInotifyEvent:end]
		if i := bytes.IndexByte(name, 0); i >= 0 {
			name = name[:i]
		}
		b = b[end:]
		mask := raw.Mask
		if mask&unix.IN_Q_OVERFLOW != 0 {
			overflow = true
			continue
		}
		dir, ok := w.byWd[raw.Wd]
		if mask&unix.IN_IGNORED != 0 {
			if ok {
				delete(w.byWd, raw.Wd)
				if w.byPath[dir] == raw.Wd {
					delete(w.byPath, dir)
				}
			}
			continue
		}
		if !ok {
			continue
		}
		path := dir
		if len(name) > 0 {
			path = filepath.Join(dir, string(name))
		}
		var op fsnotify.Op
		if mask&(unix.IN_CREATE|unix.IN_MOVED_TO) != 0 {
			op |= fsnotify.Create
		}
		if mask&unix.IN_MODIFY != 0 {
			op |= fsnotify.Write
		}
		if mask&(unix.IN_DELETE|unix.IN_DELETE_SELF) != 0 {
			op |= fsnotify.Remove
		}
		if mask&(unix.IN_MOVED_FROM|unix.IN_MOVE_SELF) != 0 {
			op |= fsnotify.Rename
		}
		if mask&unix.IN_ATTRIB != 0 {
			op |= fsnotify.Chmod
		}
		if op != 0 {
			evs = append(evs, fsnotify.Event{Name: path, Op: op})
		}
	}
	return evs, overflow
}
