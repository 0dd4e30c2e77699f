package tailer

import "time"

// A pollWaker tells a source's runner when its next poll is due: Wake
// returns a channel that is closed then. A runner asks again only after the
// channel was closed and the poll done, so a waker can tell when every
// runner is idle again (the tests' waker does; mtail's internal/waker is
// the model).
type pollWaker interface {
	Wake() <-chan struct{}
}

// timedWaker wakes a runner one interval after it asked.
type timedWaker struct{ d time.Duration }

func (w timedWaker) Wake() <-chan struct{} {
	c := make(chan struct{})
	time.AfterFunc(w.d, func() { close(c) })
	return c
}
