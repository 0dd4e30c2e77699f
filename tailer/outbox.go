package tailer

import (
	"bytes"

	"github.com/wedadiag/wedadiag/record"
)

// emit sends a framed record on, blocking while the pipeline is busy. A
// file runner queues it in its outbox instead, sent by flushOutbox after
// each chunk read: the records of a chunk then go out back to back, and
// the pipeline wakes once for them rather than once per record.
func (r *runner) emit(f *file, rec *record.Record) {
	if r.batch && len(r.outbox) == batchRecords {
		// Before the text is copied: a batch's texts are in its own
		// blocks, taken back with it.
		r.flushOutbox()
	}
	if r.stopped {
		return
	}
	out := *rec
	out.Text = r.clone(rec.Text)
	out.Source = r.name
	out.Path = f.path
	out.Stream = f.st.id
	if len(rec.Text) > 256<<10 {
		f.bigRec = true
	}
	if r.batch {
		// Its End is pushed to the stream with the rest of the outbox's
		// (pushOutbox: one hold of the stream's lock for a run of records,
		// not one per record, which the acknowledging workers contend
		// for), before a barrier or a finish of any stream and before the
		// outbox is sent.
		if r.outbox == nil {
			r.outbox = r.t.recycle.Records()
		}
		if r.outbox == nil {
			r.outbox = make([]record.Record, 0, min(max(r.lastLen, 8), batchRecords))
		}
		r.outbox = append(r.outbox, out)
		r.outSt = append(r.outSt, f.st)
		r.outBytes += charge(&out)
		return
	}
	if !r.t.budget.acquire(charge(&out), r.quit) {
		r.stopped = true
		return
	}
	f.st.push(out.End, false)
	r.countLines()
	select {
	case r.t.batches <- []record.Record{out}:
	case <-r.quit:
		f.st.unpush(out.End)
		r.t.budget.release(charge(&out))
		r.stopped = true
	}
}

// countLines adds the lines pushed since the last call to the lines
// metric: before any record they made is sent on.
func (r *runner) countLines() {
	if r.lines > 0 {
		r.m.lines.Add(float64(r.lines))
		r.lines = 0
	}
}

// clone copies a record's text into the runner's arena: one allocation per
// chunk's records rather than one per record, none when a block taken back
// from an acknowledged batch is free (record.Reuse). The arena is handed on
// with the records (flushOutbox starts a new one) and never written where a
// record points until the batch is taken back.
func (r *runner) clone(text []byte) []byte {
	if !r.batch || len(text) > chunkBytes/4 {
		return bytes.Clone(text)
	}
	if cap(r.arena)-len(r.arena) < len(text) {
		grown := 2 * cap(r.arena)
		if r.arena = r.t.recycle.Block(); r.arena == nil {
			// Grown by doubling from what the first record needs: a chunk
			// of a few lines (a quiet file) allocates little. A block of
			// more than half the size is made whole: only whole blocks
			// are taken back for reuse (record.Reuse), and a busy file's
			// batches nearly fill one.
			size := max(grown, 4*len(text), 1<<10, r.lastArena)
			if size > arenaBytes/2 {
				size = arenaBytes
			}
			r.arena = make([]byte, 0, size)
		}
		if cap(r.arena) == arenaBytes {
			r.blocks = append(r.blocks, r.arena)
		}
	}
	start := len(r.arena)
	r.arena = append(r.arena, text...)
	return r.arena[start:len(r.arena):len(r.arena)]
}

// flushOutbox sends the queued records in one batch, their bytes taken
// from the budget at once. When the runner is stopped first, they are
// withdrawn from their streams (as far as unpush can; any left pending
// only hold the position back, and are read again after a restart).
func (r *runner) flushOutbox() {
	r.countLines()
	if len(r.outbox) == 0 {
		return
	}
	n := r.outBytes
	batch := r.outbox
	switch {
	case r.stopped || !r.t.budget.acquire(n, r.quit):
		r.stopped = true
		r.withdraw(batch)
	default:
		r.pushOutbox()
		r.t.recycle.Sent(batch, r.blocks)
		select {
		case r.t.batches <- batch:
		case <-r.quit:
			r.t.recycle.Forget(batch)
			r.t.budget.release(n)
			r.stopped = true
			r.withdraw(batch)
		}
	}
	r.blocks = nil
	r.lastLen, r.lastArena = len(batch), int(n)
	r.outbox = nil
	clear(r.outSt)
	r.outSt = r.outSt[:0]
	r.outBytes = 0
	r.pushed = 0
	r.arena = nil
}

// pushOutbox pushes the Ends of the outbox's records not pushed yet to
// their streams, a run of one stream's records under one hold of its lock.
// It runs before the outbox is sent (an acknowledgement of an End not
// pushed would be lost), and before a barrier or a finish of any stream
// (a stream keeps its records' order with its barriers, and is not
// finished with records of it still to come).
func (r *runner) pushOutbox() {
	for i := r.pushed; i < len(r.outbox); {
		st := r.outSt[i]
		j := i + 1
		for j < len(r.outbox) && r.outSt[j] == st {
			j++
		}
		st.pushRun(r.outbox[i:j])
		i = j
	}
	r.pushed = len(r.outbox)
}

// finish finishes st, the outbox's Ends pushed first: no record of st can
// be pushed after its finish.
func (r *runner) finish(st *stream) {
	r.pushOutbox()
	st.finish()
}

// flushFull sends the outbox once it holds a chunk's worth: the few lines
// that each of many quiet files brings in a round then go out together, at
// the end of the round, and the pipeline wakes once for them.
func (r *runner) flushFull() {
	if r.outBytes >= arenaBytes || len(r.outbox) >= batchRecords {
		r.flushOutbox()
	}
}

// withdraw unpushes the outbox's records, which are recs.
func (r *runner) withdraw(recs []record.Record) {
	for i := min(r.pushed, len(recs)) - 1; i >= 0; i-- {
		r.outSt[i].unpush(recs[i].End)
	}
}
