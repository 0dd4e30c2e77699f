package containerlog

import (
	"sync"

	"github.com/wedadiag/wedadiag/record"
)

// reuse takes back the batches the pump made (records slice and text
// blocks) once the receiver acknowledges one whole with AckBatch, for the
// next batches, as the tailer does with its own (tailer/recycle.go): at
// 100k container lines/s, new batches and blocks were half the
// collector's work. A batch acknowledged record by record is never taken
// back.
type reuse struct {
	mu     sync.Mutex
	out    map[*record.Record][][]byte // first record of a batch sent → its blocks
	recs   [][]record.Record
	blocks [][]byte
}

const (
	// batchRecords is the capacity of a batch the pump makes, and of
	// those kept for reuse.
	batchRecords = 256
	// keepFree bounds the free batches and the free blocks.
	keepFree = 16
	// maxOut bounds the batches remembered (a receiver that acks record
	// by record would otherwise keep them all alive).
	maxOut = 256
)

func (u *reuse) records() []record.Record {
	u.mu.Lock()
	defer u.mu.Unlock()
	n := len(u.recs)
	if n == 0 {
		return nil
	}
	r := u.recs[n-1]
	u.recs[n-1] = nil
	u.recs = u.recs[:n-1]
	return r
}

func (u *reuse) block() []byte {
	u.mu.Lock()
	defer u.mu.Unlock()
	n := len(u.blocks)
	if n == 0 {
		return nil
	}
	b := u.blocks[n-1]
	u.blocks[n-1] = nil
	u.blocks = u.blocks[:n-1]
	return b
}

// sent notes a batch about to be sent, whose texts are in blocks.
func (u *reuse) sent(batch []record.Record, blocks [][]byte) {
	u.mu.Lock()
	if u.out == nil || len(u.out) >= maxOut {
		u.out = map[*record.Record][][]byte{}
	}
	u.out[&batch[0]] = blocks
	u.mu.Unlock()
}

// release takes batch back when the pump sent it; its texts and records
// are poisoned first in builds with the race detector.
func (u *reuse) release(batch []record.Record) {
	if len(batch) == 0 {
		return
	}
	u.mu.Lock()
	blocks, ok := u.out[&batch[0]]
	if ok {
		delete(u.out, &batch[0])
	}
	u.mu.Unlock()
	if !ok {
		return
	}
	if poisonReused {
		for _, b := range blocks {
			b = b[:cap(b)]
			for i := range b {
				b[i] = 0xF5 // never valid UTF-8
			}
		}
		for i := range batch {
			batch[i] = record.Record{Source: "reused", Offset: -1, End: -1}
		}
	}
	u.mu.Lock()
	if cap(batch) >= batchRecords && cap(batch) < 2*batchRecords && len(u.recs) < keepFree {
		u.recs = append(u.recs, batch[:0])
	}
	for _, b := range blocks {
		if cap(b) == arenaBytes && len(u.blocks) < keepFree {
			u.blocks = append(u.blocks, b[:0])
		}
	}
	u.mu.Unlock()
}
