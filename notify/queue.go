package notify

import (
	"context"
	"sync"
	"time"
)

// queue is a receiver's bounded queue of messages. push never blocks: when
// the queue is full the oldest message is dropped. It is safe for
// concurrent use.
type queue struct {
	mu     sync.Mutex
	items  []*message
	size   int
	closed bool
	ready  chan struct{} // signalled (capacity 1) when an item arrives
	// onDrop is called, outside the lock, once per dropped message.
	onDrop func()
}

func newQueue(size int, onDrop func()) *queue {
	return &queue{size: size, ready: make(chan struct{}, 1), onDrop: onDrop}
}

// push adds m, dropping the oldest message when the queue is full and m
// itself when the queue is closed.
func (q *queue) push(m *message) {
	q.mu.Lock()
	dropped := false
	switch {
	case q.closed:
		dropped = true
	case len(q.items) >= q.size:
		copy(q.items, q.items[1:])
		q.items[len(q.items)-1] = m
		dropped = true
	default:
		q.items = append(q.items, m)
	}
	q.mu.Unlock()
	if dropped && q.onDrop != nil {
		q.onDrop()
	}
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// popAll removes and returns every queued message, oldest first.
func (q *queue) popAll() []*message {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.items
	q.items = nil
	return out
}

// close makes later pushes drop their message and wakes the worker.
func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

func (q *queue) isClosed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.closed
}

func (q *queue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

// rateLimit allows at most n sends in any span of per: it remembers the
// last n send times. Only the receiver's worker uses it.
type rateLimit struct {
	n    int
	per  time.Duration
	now  func() time.Time
	sent []time.Time // oldest first, at most n
}

// delay is how long until a send is allowed.
func (l *rateLimit) delay() time.Duration {
	if len(l.sent) < l.n {
		return 0
	}
	return max(0, l.sent[0].Add(l.per).Sub(l.now()))
}

// wait blocks until a send is allowed, without taking it.
func (l *rateLimit) wait(ctx context.Context) error {
	for d := l.delay(); d > 0; d = l.delay() {
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

// take waits for a send to be allowed and counts it.
func (l *rateLimit) take(ctx context.Context) error {
	if err := l.wait(ctx); err != nil {
		return err
	}
	if len(l.sent) == l.n {
		copy(l.sent, l.sent[1:])
		l.sent = l.sent[:l.n-1]
	}
	l.sent = append(l.sent, l.now())
	return nil
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
