package tailer

import (
	"sync"

	"github.com/wedadiag/wedadiag/record"
)

// byteBudget bounds the bytes of record text handed on but not yet
// acknowledged, so that a burst of 1 MiB lines cannot fill the Records
// channel with a gigabyte (Buffer bounds the count, this the size). A
// record larger than the whole budget still passes when nothing else is in
// flight.
type byteBudget struct {
	mu      sync.Mutex
	used    int64
	max     int64
	waiters int
	freed   chan struct{} // closed on a release that a waiter needs
}

func newByteBudget(max int64) *byteBudget {
	return &byteBudget{max: max, freed: make(chan struct{})}
}

// acquire takes n bytes, waiting while the budget is spent; false when quit
// closed first.
func (b *byteBudget) acquire(n int64, quit <-chan struct{}) bool {
	for {
		b.mu.Lock()
		if b.used == 0 || b.used+n <= b.max {
			b.used += n
			b.mu.Unlock()
			return true
		}
		b.waiters++
		ch := b.freed
		b.mu.Unlock()
		select {
		case <-ch:
		case <-quit:
			b.mu.Lock()
			b.waiters--
			b.mu.Unlock()
			return false
		}
		b.mu.Lock()
		b.waiters--
		b.mu.Unlock()
	}
}

// release gives n bytes back and wakes the waiters.
func (b *byteBudget) release(n int64) {
	b.mu.Lock()
	b.used -= n
	if b.used < 0 {
		b.used = 0
	}
	if b.waiters > 0 {
		close(b.freed)
		b.freed = make(chan struct{})
	}
	b.mu.Unlock()
}

// charge is what a record takes from the budget: the bytes of the file it
// spans (its lines, newlines included), or its text's length when it spans
// none. Not the text's length: a receiver may hand a record on with other
// text (containerlog unwraps a container line in place) and must still
// give back what was taken.
func charge(rec *record.Record) int64 {
	if n := rec.End - rec.Offset; n > 0 {
		return n
	}
	return int64(len(rec.Text))
}

// inFlight is the number of bytes handed on and not yet acknowledged.
func (b *byteBudget) inFlight() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}
