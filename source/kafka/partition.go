package kafka

import (
	"sort"
	"strconv"
	"sync"
	"time"
)

// A partition tracks one assigned partition for one assignment: records
// carry its id in Record.Stream, and Ack finds it by that id. When the
// partition is revoked the tracker is dropped, so late acks of its records
// change nothing; if the partition comes back it gets a new tracker.
//
// It keeps the records handed out in offset order, so the offset it commits
// is the one after the longest acknowledged prefix: acks may arrive out of
// order and an early ack never lets the commit skip a record still being
// processed.
type partition struct {
	id    uint64
	topic string
	part  int32
	path  string // "topic/partition", Record.Path

	mu sync.Mutex
	// committed is the offset after the acknowledged prefix (the next
	// offset to read after a restart); -1 while unknown.
	committed int64
	epoch     int32 // leader epoch of the record before committed
	// sent is what was last committed to the group (-1: nothing yet).
	sent int64
	// next is the offset expected from the next fetch; -1 while unknown.
	next int64
	// hwm is the high watermark last seen (-1 unknown).
	hwm int64
	// pending are records handed out and not yet committed, in offset
	// order; start indexes the first.
	pending []pend
	start   int
	unacked int
	// retired: the tracker was forgotten; acks change nothing.
	retired bool
}

type pend struct {
	off   int64
	ts    int64 // unix ms of the Kafka timestamp (retention counts from it)
	epoch int32
	acked bool
}

func newPartition(id uint64, topic string, part int32) *partition {
	return &partition{id: id, topic: topic, part: part,
		path:      topic + "/" + strconv.Itoa(int(part)),
		committed: -1, sent: -1, next: -1, hwm: -1}
}

// setCommitted records the group's committed offset fetched at
// assignment, before any record was read.
func (p *partition) setCommitted(off int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if off < 0 || p.next >= 0 {
		return
	}
	p.committed, p.sent, p.next = off, off, off
}

// push records that the record at off is about to be handed out. It
// returns how many offsets were skipped before it (records that expired
// or were removed before being read), and false if off goes backwards
// (the client rewound after the broker lost data): the caller then
// replaces the tracker.
func (p *partition) push(off int64, ts int64, epoch int32) (skipped int64, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.next >= 0 && off < p.next {
		return 0, false
	}
	if p.next >= 0 && off > p.next {
		skipped = off - p.next
	}
	if p.start == len(p.pending) && off > p.committed {
		// Nothing in flight: the committed position moves over the gap
		// (or is set by the first record of a group with no commit).
		p.committed = off
	}
	p.next = off + 1
	p.pending = append(p.pending, pend{off: off, ts: ts, epoch: epoch})
	p.unacked++
	return skipped, true
}

// unpush withdraws the last record pushed, which was not handed out.
func (p *partition) unpush(off int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(p.pending)
	if n > p.start && p.pending[n-1].off == off && !p.pending[n-1].acked {
		p.pending = p.pending[:n-1]
		p.unacked--
		p.next = off
	}
}

// ack marks the record at off processed. It returns whether it was
// pending, and whether nothing of this partition is unacknowledged now.
func (p *partition) ack(off int64) (found, idle bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.retired {
		return false, true
	}
	q := p.pending[p.start:]
	i := sort.Search(len(q), func(i int) bool { return q[i].off >= off })
	if i == len(q) || q[i].off != off || q[i].acked {
		return false, p.unacked == 0
	}
	q[i].acked = true
	p.unacked--
	for p.start < len(p.pending) && p.pending[p.start].acked {
		e := p.pending[p.start]
		p.committed, p.epoch = e.off+1, e.epoch
		p.start++
	}
	if p.start == len(p.pending) {
		p.pending, p.start = p.pending[:0], 0
	} else if p.start > 1024 && p.start*2 > len(p.pending) {
		n := copy(p.pending, p.pending[p.start:])
		p.pending, p.start = p.pending[:n], 0
	}
	return true, p.unacked == 0
}

// toCommit returns the offset to commit when it moved since the last
// commit.
func (p *partition) toCommit() (off int64, epoch int32, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.committed < 0 || p.committed <= p.sent {
		return 0, 0, false
	}
	return p.committed, p.epoch, true
}

func (p *partition) markSent(off int64) {
	p.mu.Lock()
	if off > p.sent {
		p.sent = off
	}
	p.mu.Unlock()
}

func (p *partition) seenHWM(hwm int64) {
	p.mu.Lock()
	if hwm > p.hwm {
		p.hwm = hwm
	}
	p.mu.Unlock()
}

// state returns the lag (records written and not acknowledged), the time
// of the oldest unacknowledged record (zero when none) and the number of
// unacknowledged records.
func (p *partition) state() (lag int64, oldest time.Time, unacked int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.hwm >= 0 && p.committed >= 0 && p.hwm > p.committed {
		lag = p.hwm - p.committed
	}
	for _, e := range p.pending[p.start:] {
		if !e.acked {
			if e.ts > 0 {
				oldest = time.UnixMilli(e.ts)
			}
			break
		}
	}
	return lag, oldest, p.unacked
}

// retire forgets the tracker and returns how many records were
// unacknowledged.
func (p *partition) retire() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.retired {
		return 0
	}
	p.retired = true
	return p.unacked
}

func (p *partition) unackedCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.unacked
}
