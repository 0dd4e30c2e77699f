package record

import "sync"

// Reuse takes back the batches a reader handed on (the records slice and
// the text blocks their texts are in) once the receiver acknowledges one
// whole, so that the next batches are filled in them rather than in new
// memory: at 100k lines/s new batches and blocks were most of what the
// collector had to do, and the scavenger's returns of their pages cost
// page faults when they came back. A batch acknowledged any other way
// (record by record, or regrouped) is never taken back; the collector
// frees it.
//
// The reader notes each batch before it sends it (Sent) and fills new
// ones from Records and Block; the receiver's whole acknowledgement calls
// Release. A receiver must be done with a batch, its records and their
// texts before that; in builds with the race detector Release overwrites
// them, so that one that kept any shows up in the tests.
type Reuse struct {
	batchRecords, blockBytes, keepFree, maxSent int

	mu  sync.Mutex
	off bool
	// sent maps the first record of each batch handed on to the blocks
	// its texts are in.
	sent   map[*Record][][]byte
	recs   [][]Record
	blocks [][]byte
}

// NewReuse returns a Reuse of batches of batchRecords records and blocks
// of blockBytes, keeping at most keepFree of each free and remembering at
// most maxSent batches sent (each stays alive until taken back: past
// maxSent, those remembered are forgotten).
func NewReuse(batchRecords, blockBytes, keepFree, maxSent int) *Reuse {
	return &Reuse{batchRecords: batchRecords, blockBytes: blockBytes, keepFree: keepFree, maxSent: maxSent,
		sent: map[*Record][][]byte{}}
}

// Records returns an empty records slice of the batch capacity, or nil
// when none is free.
func (u *Reuse) Records() []Record { return pop(u, &u.recs) }

// Block returns an empty block of the block size, or nil when none is free.
func (u *Reuse) Block() []byte { return pop(u, &u.blocks) }

func pop[T any](u *Reuse, free *[]T) T {
	u.mu.Lock()
	defer u.mu.Unlock()
	var zero T
	n := len(*free)
	if n == 0 {
		return zero
	}
	x := (*free)[n-1]
	(*free)[n-1] = zero
	*free = (*free)[:n-1]
	return x
}

// Sent notes a batch about to be handed on, whose texts are in blocks.
// Called before the send: the receiver may acknowledge it at once.
func (u *Reuse) Sent(batch []Record, blocks [][]byte) {
	if len(batch) == 0 {
		return
	}
	u.mu.Lock()
	if !u.off {
		if len(u.sent) >= u.maxSent {
			clear(u.sent)
		}
		u.sent[&batch[0]] = blocks
	}
	u.mu.Unlock()
}

// Forget forgets a batch: it was not handed on after all, or it will not
// come back whole.
func (u *Reuse) Forget(batch []Record) {
	if len(batch) == 0 {
		return
	}
	u.mu.Lock()
	delete(u.sent, &batch[0])
	u.mu.Unlock()
}

// Off stops remembering batches: the receiver acknowledges record by
// record, and none will come back whole.
func (u *Reuse) Off() {
	u.mu.Lock()
	u.off = true
	clear(u.sent)
	u.mu.Unlock()
}

// Remembered is how many batches sent are waiting to come back.
func (u *Reuse) Remembered() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.sent)
}

// Release takes batch back, acknowledged whole, when it is one that was
// sent; other slices are left alone.
func (u *Reuse) Release(batch []Record) {
	if len(batch) == 0 {
		return
	}
	u.mu.Lock()
	blocks, ok := u.sent[&batch[0]]
	if ok {
		delete(u.sent, &batch[0])
	}
	u.mu.Unlock()
	if !ok {
		return
	}
	if PoisonReused {
		for _, b := range blocks {
			b = b[:cap(b)]
			for i := range b {
				b[i] = 0xF5 // never valid UTF-8
			}
		}
		for i := range batch {
			batch[i] = Record{Source: "reused", Offset: -1, End: -1}
		}
	}
	u.mu.Lock()
	if cap(batch) >= u.batchRecords && cap(batch) < 2*u.batchRecords && len(u.recs) < u.keepFree {
		u.recs = append(u.recs, batch[:0])
	}
	for _, b := range blocks {
		if cap(b) == u.blockBytes && len(u.blocks) < u.keepFree {
			u.blocks = append(u.blocks, b[:0])
		}
	}
	u.mu.Unlock()
}
