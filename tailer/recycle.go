package tailer

import (
	"sync"

	"github.com/wedadiag/wedadiag/record"
)

// recycler takes back what a batch was made of once its receiver is done
// with it, for the next batches: the records slice and the text blocks
// (arenas) its records' texts are in. A batch counts as done when AckBatch
// is given the very slice Batches sent (every record of it handled; the
// receiver keeps none of it, as Tailer.AckBatch says). A batch acknowledged
// any other way (record by record, or by a receiver that regrouped the
// records) is never taken back: the collector frees it as before.
//
// At 100k lines/s the tailer otherwise allocates about 240 bytes a line in
// new batches and blocks, and the collector's cycles and the scavenger's
// returns of freed pages cost the daemon more than reading does.
type recycler struct {
	mu sync.Mutex
	// disabled: the receiver acknowledges record by record (Records);
	// no batch is remembered.
	disabled bool
	// sent maps the first record of each batch handed on to the blocks
	// its texts are in.
	sent   map[*record.Record][][]byte
	recs   [][]record.Record // free records slices, empty, of batchRecords
	blocks [][]byte          // free blocks, empty, of arenaBytes
}

const (
	// keepFree bounds the free slices and the free blocks: a few rounds'
	// worth at 100k lines/s (about 2 MB), more is left to the collector.
	keepFree = 32
	// maxSent bounds the batches remembered, each held by the map until
	// taken back: a receiver that acknowledges records one by one and does
	// not say so (Tailer.TakenApart) would otherwise keep every batch it
	// was sent alive. Past it the map is dropped, and those batches are
	// the collector's: at most about 30 MB held that way.
	maxSent = 512
)

func newRecycler() *recycler {
	return &recycler{sent: map[*record.Record][][]byte{}}
}

// records returns an empty records slice to fill, or nil when none is
// free.
func (c *recycler) records() []record.Record {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(c.recs)
	if n == 0 {
		return nil
	}
	s := c.recs[n-1]
	c.recs[n-1] = nil
	c.recs = c.recs[:n-1]
	return s
}

// block returns an empty block of arenaBytes, or nil when none is free.
func (c *recycler) block() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(c.blocks)
	if n == 0 {
		return nil
	}
	b := c.blocks[n-1]
	c.blocks[n-1] = nil
	c.blocks = c.blocks[:n-1]
	return b
}

// send notes a batch about to be handed on, whose texts are in blocks
// (each of arenaBytes). Called before the send: the receiver may
// acknowledge it at once.
func (c *recycler) send(batch []record.Record, blocks [][]byte) {
	if len(batch) == 0 {
		return
	}
	c.mu.Lock()
	if !c.disabled {
		if len(c.sent) >= maxSent {
			clear(c.sent)
		}
		c.sent[&batch[0]] = blocks
	}
	c.mu.Unlock()
}

// off stops remembering batches: none will come back whole.
func (c *recycler) off() {
	c.mu.Lock()
	c.disabled = true
	clear(c.sent)
	c.mu.Unlock()
}

// unsend forgets a batch that was not handed on after all, or that will
// not come back whole.
func (c *recycler) unsend(batch []record.Record) {
	if len(batch) == 0 {
		return
	}
	c.mu.Lock()
	delete(c.sent, &batch[0])
	c.mu.Unlock()
}

// release takes back batch, acknowledged whole, when it is one that was
// sent. In builds with the race detector the texts and records are
// overwritten first, so that a receiver that kept any of them shows up in
// the tests as garbled text or a race.
func (c *recycler) release(batch []record.Record) {
	if len(batch) == 0 {
		return
	}
	c.mu.Lock()
	blocks, ok := c.sent[&batch[0]]
	if ok {
		delete(c.sent, &batch[0])
	}
	c.mu.Unlock()
	if !ok {
		return
	}
	if poisonRecycled {
		for _, b := range blocks {
			b = b[:cap(b)]
			for i := range b {
				b[i] = 0xF5 // never valid UTF-8
			}
		}
		for i := range batch {
			batch[i] = record.Record{Source: "recycled", Offset: -1, End: -1}
		}
	}
	keepRecs := cap(batch) >= batchRecords && cap(batch) < 2*batchRecords
	c.mu.Lock()
	if keepRecs && len(c.recs) < keepFree {
		c.recs = append(c.recs, batch[:0])
	}
	for _, b := range blocks {
		if len(c.blocks) < keepFree {
			c.blocks = append(c.blocks, b[:0])
		}
	}
	c.mu.Unlock()
}
