package tailer

import (
	"sync"
	"time"
)

// testWaker is the tests' poll clock: runners poll only when a test asks
// (poll), and poll returns once they are all idle again.
type testWaker struct {
	mu      sync.Mutex
	c       chan struct{} // closed to wake the runners waiting on it
	waiting int           // runners waiting on c
	changed chan struct{} // closed and replaced whenever waiting grows
}

func newTestWaker() *testWaker {
	return &testWaker{c: make(chan struct{}), changed: make(chan struct{})}
}

func (w *testWaker) Wake() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.waiting++
	close(w.changed)
	w.changed = make(chan struct{})
	return w.c
}

// poll wakes the runners that wait for a poll and waits until n runners
// wait again, each having finished its round; false after timeout (a
// runner is busy, e.g. blocked on a paused pipeline).
func (w *testWaker) poll(n int, timeout time.Duration) bool {
	w.mu.Lock()
	close(w.c)
	w.c, w.waiting = make(chan struct{}), 0
	w.mu.Unlock()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		w.mu.Lock()
		ok, ch := w.waiting >= n, w.changed
		w.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-ch:
		case <-timer.C:
			return false
		}
	}
}

// fileRunners is how many runners follow files (and so poll).
func (t *Tailer) fileRunners() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, h := range t.runners {
		if !h.r.src.isStdin() {
			n++
		}
	}
	return n
}
