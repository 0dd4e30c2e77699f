package tailer

import (
	"testing"
	"time"
)

func TestByteBudget(t *testing.T) {
	b := newByteBudget(10)
	quit := make(chan struct{})
	if !b.acquire(6, quit) || !b.acquire(4, quit) {
		t.Fatal("within the budget refused")
	}
	got := make(chan bool, 1)
	go func() { got <- b.acquire(3, quit) }()
	select {
	case <-got:
		t.Fatal("acquired past the budget")
	case <-time.After(50 * time.Millisecond):
	}
	b.release(6)
	if !<-got {
		t.Fatal("not woken by a release")
	}
	if n := b.inFlight(); n != 7 {
		t.Errorf("in flight %d, want 7", n)
	}
	// A record larger than the whole budget passes when nothing else is out.
	b.release(7)
	if !b.acquire(100, quit) {
		t.Fatal("an oversized record with nothing in flight refused")
	}
	go func() { got <- b.acquire(1, quit) }()
	close(quit)
	if <-got {
		t.Error("acquired after quit")
	}
}
