package tailer

import (
	"cmp"
	"context"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wedadiag/wedadiag/record"
)

const (
	// chunkBytes is the size of a source's read buffer.
	chunkBytes = 64 << 10
	// batchRecords and arenaBytes bound a batch's records and the blocks
	// their texts are copied to, so that both stay small objects (≤ 32
	// KiB): Go reuses those from its span caches, where larger ones come
	// from the page heap, which its scavenger hands back to the kernel and
	// faults in again at every batch (madvise, TLB shootdowns).
	batchRecords = 256
	arenaBytes   = 32 << 10
	// keepFree bounds the free batches and blocks kept for reuse (a few
	// rounds' worth at 100k lines/s, about 2 MB); maxSent the batches
	// remembered until they come back whole (record.Reuse): at most about
	// 30 MB kept alive for a receiver that acks record by record and does
	// not say so (Tailer.TakenApart).
	keepFree = 32
	maxSent  = 512
	// roundBytes is how much one file may be read in one round before the
	// source's other files get their turn.
	roundBytes = 1 << 20
	// maxScanBackoff and maxScanBackoffPolling cap the time between scans
	// that no event asked for, in PollIntervals, when new files are
	// announced by directory events and when they are not.
	maxScanBackoff        = 40
	maxScanBackoffPolling = 4
	// minPrefixKeep is the shortest leading content that, unchanged after a
	// truncation, counts as "truncated to a smaller size" (keep reading
	// after it) rather than "rewritten" (read from 0).
	minPrefixKeep = 64
)

// runner follows one source's files. It owns all their state; only the
// streams are shared (with Ack and the saver).
type runner struct {
	t    *Tailer
	log  *slog.Logger
	name string
	m    *sourceMetrics
	// lines counts lines pushed and not yet added to m.lines (countLines):
	// one add a chunk, not one a line.
	lines int
	// quit is closed when the runner is to stop (its Run is done or its
	// source removed): a send on Records waits for nothing else.
	quit <-chan struct{}

	cfgMu   sync.Mutex
	src     Source
	pending *Source // a new configuration from Update

	wakeCh  chan struct{}
	rescanF atomic.Bool
	// allDirty: events may have been lost; the next round reads every file.
	allDirty atomic.Bool
	// byPath indexes the live files by path for the directory watches'
	// events (which name the file); rebuilt by the runner when stale.
	pathMu     sync.Mutex
	byPath     map[string]*file
	pathsStale bool
	// undecidedN mirrors len(undecided) for the event goroutines: a write
	// to a file not followed yet matters while a copy may be in progress.
	undecidedN atomic.Int32
	// lastEvent is when the last round that events asked for started
	// (the gap is counted from it; poll rounds do not move it, so the
	// directory watcher's gaps and ours coincide).
	lastEvent time.Time
	gap       gapper
	order     []*file // readOrder's slice, reused
	// batch: emit queues records in outbox (file runners; standard input
	// sends each at once).
	// outbox is the batch being filled, handed on as it is; outSt the
	// stream each of its records was pushed to.
	batch  bool
	outbox []record.Record
	outSt  []*stream
	// outBytes is what the outbox's records take from the budget (their
	// file spans); arena the bytes their texts are in. lastLen and
	// lastArena are the last batch's records and bytes: the next outbox
	// and arena start that large.
	outBytes  int64
	pushed    int // the outbox's records whose Ends are pushed (pushOutbox)
	arena     []byte
	blocks    [][]byte // the outbox's arenas of arenaBytes, taken back with it
	lastLen   int
	lastArena int

	files     map[fileID]*file
	undecided map[fileID]time.Time // new files that may be a copy in progress
	// leftFrom remembers, per path, the file that was followed there until
	// it left (rotated away): a new file at the path is read after it.
	leftFrom map[string]*file
	capped   map[fileID]bool
	links    map[string]linkVerdict // glob matches checked against the roots
	// cappedOff: where files dropped by the cap stopped being read.
	cappedOff map[fileID]int64
	matches   []match
	// baseline: the next scan starts unknown files at their end (or 0 with
	// FromStart): a source's first start, or new globs from a reload.
	baseline bool
	starting bool // the first scan, from initial: generations were looked for there
	// Scans (globs evaluated, files reconciled) run when events ask for one
	// (scanWanted), at most every PollInterval, and otherwise every
	// scanEvery, which doubles while scans find the same files, up to
	// maxScanEvery: an idle source with many files does not re-list them
	// at every poll. Followed files are still checked at every poll.
	scanWanted bool
	lastScan   time.Time
	scanEvery  time.Duration
	scanSig    [2]uint64 // what the last scan found: count, hash of identities
	scanCost   time.Duration
	// lost: the positions were lost; the first scan's baseline follows
	// StartAtUnknown.
	lost      bool
	stopped   bool
	pollDirs  bool
	pollFiles bool
	lastErr   map[string]string // path → last error logged, to log changes only

	buf     []byte
	headBuf []byte
	gzSeq   uint64
}

func newRunner(t *Tailer, src Source, m *sourceMetrics) *runner {
	return &runner{
		t: t, name: src.Name, m: m, src: src,
		log:       t.log.With("source", src.Name),
		wakeCh:    make(chan struct{}, 1),
		files:     map[fileID]*file{},
		undecided: map[fileID]time.Time{},
		leftFrom:  map[string]*file{},
		capped:    map[fileID]bool{},
		cappedOff: map[fileID]int64{},
		lastErr:   map[string]string{},
	}
}

func (r *runner) wake(rescan bool) {
	if rescan {
		r.rescanF.Store(true)
	}
	select {
	case r.wakeCh <- struct{}{}:
	default:
	}
}

// written marks a file dirty and wakes the runner: the file of owner (a
// *file, from its own watch), or the live file at path (from a directory
// watch). An empty path without owner marks every file. A write to a
// file that is not followed wakes the runner only while a new file is
// undecided (a copy in progress). Called from the watch goroutines.
func (r *runner) written(owner any, path string) {
	var f *file
	switch {
	case owner != nil:
		f, _ = owner.(*file)
	case path == "":
		r.allDirty.Store(true)
		r.wake(false)
		return
	default:
		r.pathMu.Lock()
		f = r.byPath[path]
		r.pathMu.Unlock()
	}
	if f != nil {
		f.dirty.Store(true)
		r.wake(false)
	} else if r.undecidedN.Load() > 0 {
		r.wake(false)
	}
}

// indexPaths rebuilds byPath when files came, went or were renamed.
func (r *runner) indexPaths() {
	r.undecidedN.Store(int32(len(r.undecided)))
	if !r.pathsStale {
		return
	}
	r.pathsStale = false
	m := make(map[string]*file, len(r.files))
	for _, f := range r.files {
		if f.live && f.shadowOf == nil && !f.gz {
			m[f.path] = f
		}
	}
	r.pathMu.Lock()
	r.byPath = m
	r.pathMu.Unlock()
}

// setConfig hands the runner a new configuration of its source.
func (r *runner) setConfig(s Source) {
	r.cfgMu.Lock()
	r.pending = &s
	r.cfgMu.Unlock()
	r.wake(true)
}

// run follows the source until ctx is done.
func (r *runner) run(ctx context.Context, saved []posEntry, known bool) {
	r.quit = ctx.Done()
	r.batch = true
	r.buf = make([]byte, chunkBytes+1)
	r.headBuf = make([]byte, fpBytes)
	defer r.shutdown()
	r.log.Info("following source", "paths", r.src.Paths)

	r.initial(saved, known)
	r.m.followed.Set(float64(len(r.files)))
	r.t.sourceReady(r.name)

	// poll is the pending poll's channel; a new one is asked for only when
	// the loop is about to wait, so that a poll is a whole round.
	var poll <-chan struct{}
	// flush wakes the loop when a held record or partial line has waited
	// IdleFlush, rather than at the next poll: a lone error line on a
	// quiet file is counted IdleFlush after it was written.
	flush := time.NewTimer(time.Hour)
	flush.Stop()
	defer flush.Stop()
	// The first round, a poll, and events after a loss read every file;
	// other rounds only the dirty ones.
	scan, all := false, true
	gap := time.NewTimer(time.Hour)
	gap.Stop()
	defer gap.Stop()
	// pollDue: a poll came while events kept rounds going; the next event
	// round does its work (or the next poll, if none comes first).
	pollDue, skip := false, false
	for {
		if !skip {
			more := r.step(time.Now(), scan, all || r.allDirty.Swap(false))
			if r.stopped || ctx.Err() != nil {
				return
			}
			scan, all = false, false
			if more {
				continue
			}
			if d, ok := r.nextFlush(time.Now()); ok {
				flush.Reset(d)
			} else {
				flush.Stop()
			}
		}
		skip = false
		if poll == nil {
			poll = r.t.cfg.waker.Wake()
		}
		select {
		case <-ctx.Done():
			return
		case <-r.wakeCh:
			if r.rescanF.Swap(false) || len(r.undecided) > 0 {
				r.scanWanted = true
			}
			// Events say the set of files changed: scan, but at most once
			// per PollInterval (a burst of creates is one scan).
			// A scan of very many files takes long: then at most 10% of a
			// core goes to event-driven scans.
			scan = r.scanWanted && time.Since(r.lastScan) >= max(r.t.cfg.PollInterval, 10*r.scanCost)
			// Rounds that events ask for are a gap apart (gap.go): the
			// writes of that time are read together.
			since := time.Since(r.lastEvent)
			if wait := r.gap.next(since) - since; wait > 0 {
				gap.Reset(wait)
				select {
				case <-ctx.Done():
					return
				case <-gap.C:
				}
			}
			r.lastEvent = time.Now()
			if pollDue {
				pollDue, all = false, true
				scan = scan || r.scanWanted || time.Since(r.lastScan) >= r.scanEvery
			}
		case <-poll:
			poll = nil
			if !pollDue && r.eventsFlow() {
				pollDue, skip = true, true
				break
			}
			pollDue, all = false, true
			scan = r.scanWanted || time.Since(r.lastScan) >= r.scanEvery
		case <-flush.C:
		}
	}
}

// step runs one round: maybe evaluate the globs, read the files that have
// data (all: check every file with fstat, else read the dirty ones), flush
// what waited long enough, release what is finished. It reports whether a
// file has more to read right away.
func (r *runner) step(now time.Time, scan, all bool) (more bool) {
	r.applyConfig()
	if scan {
		r.scan(now)
	}
	for _, f := range r.readOrder(all) {
		if r.stopped {
			return false
		}
		if r.readFile(f, now, all) {
			more = true
			f.dirty.Store(true)
		}
		r.flushFull()
	}
	r.idle(now)
	r.flushOutbox()
	r.indexPaths()
	r.m.followed.Set(float64(len(r.files)))
	r.m.pollFallback.Set(b2f(r.pollDirs || r.pollFiles))
	return more
}

func (r *runner) applyConfig() {
	r.cfgMu.Lock()
	p := r.pending
	r.pending = nil
	r.cfgMu.Unlock()
	if p == nil {
		return
	}
	old := r.src
	r.src = *p
	if !samePaths(old.Paths, p.Paths) {
		r.log.Info("source paths changed", "paths", p.Paths)
		r.baseline = true
	}
	if old.Multiline != p.Multiline {
		for _, f := range r.files {
			f.fr.Flush(f.emit)
			f.fr = r.newFramer(f.path)
			r.barrier(f)
		}
	}
}

// readOrder lists the files to read this round: files that left their glob
// (rotated away, rests of copies) first, then live ones; shadows never.
// Unless all, only the files due: dirty ones, those waiting for their
// predecessor, and those that left their glob and are not read to their
// end (their writes are not seen under their new name).
func (r *runner) readOrder(all bool) []*file {
	out := r.order[:0]
	for _, f := range r.files {
		if f.shadowOf != nil {
			continue
		}
		// Swap first: a write after it marks the file again.
		if f.dirty.Swap(false) || all || f.waiting || !f.live && !f.eof {
			out = append(out, f)
		}
	}
	if len(out) < len(r.order) {
		clear(r.order[len(out):]) // no released file kept reachable
	}
	r.order = out
	slices.SortFunc(out, func(a, b *file) int {
		if a.live != b.live {
			if !a.live {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.st.id, b.st.id)
	})
	return out
}

// idle flushes a last line without newline, and a held multi-line record,
// once the file was quiet for IdleFlush; and releases files that left their
// glob once read to their end and quiet for ReleaseAfter.
func (r *runner) idle(now time.Time) {
	for _, f := range r.files {
		if f.shadowOf != nil && now.Sub(f.shadowSince) >= r.t.cfg.ReleaseAfter {
			r.settle(f)
		}
		if f.shadowOf != nil || r.stopped {
			continue
		}
		quiet := now.Sub(f.lastData)
		// A file that left its glob is kept for ReleaseAfter after its last
		// data and after it left: a writer that was quiet before the
		// rotation may write to it until it reopens.
		released := !f.live && now.Sub(later(f.lastData, f.leftAt)) >= r.t.cfg.ReleaseAfter
		if quiet >= r.t.cfg.IdleFlush && (f.eof || f.gz) {
			// A round reads only the files it was told about: before
			// taking the quiet for the end of a line, a record or the
			// file, make sure the file did not grow meanwhile.
			release := released
			if (f.sp.Holding() || f.fr.Pending() || release) && r.grown(f) {
				continue
			}
			f.sp.Flush(f.push)
			r.countLines()
			f.fr.Flush(f.emit)
			r.barrier(f)
		}
		if !f.live && f.eof && (f.gz || released) {
			f.sp.Flush(f.push)
			r.countLines()
			f.fr.Flush(f.emit)
			r.barrier(f)
			r.release(f)
		}
	}
}

// grown reports whether f may hold bytes not read yet: it is dirty, or
// its size is not where reading stopped. Then it is marked dirty and the
// runner woken to read it.
func (r *runner) grown(f *file) bool {
	if f.gz {
		return false
	}
	if !f.dirty.Load() {
		fi, err := f.osf.Stat()
		if err != nil || fi.Size() == f.sp.Off() {
			return false
		}
		f.dirty.Store(true)
	}
	f.eof = false
	r.wake(false)
	return true
}

// release closes f and forgets it; its position is forgotten once the
// pipeline has acknowledged its records.
func (r *runner) release(f *file) {
	if f.released {
		return
	}
	f.released = true
	r.pathsStale = true
	if f.hinted != "" {
		r.t.hints.remove(f.hinted, f)
		f.hinted = ""
	}
	r.settleShadows(f)
	r.finish(f.st)
	f.src.Close()
	delete(r.files, f.id)
	for p, g := range r.leftFrom {
		if g == f {
			delete(r.leftFrom, p)
		}
	}
	r.log.Debug("file released", "path", f.path, "offset", f.sp.Off(), "eof", f.eof, "live", f.live, "stream", f.st.id)
}

func (r *runner) fileError(path, op string, err error) {
	r.m.readErrors.Inc()
	msg := op + ": " + err.Error()
	if r.lastErr[path] == msg {
		return
	}
	r.lastErr[path] = msg
	if len(r.lastErr) > 1000 {
		clear(r.lastErr)
	}
	r.log.Warn("cannot "+op+" file", "path", path, "err", err)
}

// shutdown closes every file without flushing: what is held was not sent,
// so it is not acknowledged and is read again after a restart. The streams
// stay, so that their positions are saved once the pipeline has drained.
func (r *runner) shutdown() {
	for _, f := range r.files {
		if f.hinted != "" {
			r.t.hints.remove(f.hinted, f)
			f.hinted = ""
		}
		f.src.Close()
		f.released = true
	}
	clear(r.files)
	r.t.dirs.set(r, nil)
	r.m.followed.Set(0)
}

// barrier persists progress that produced no record to wait for. Not after
// a stop: lines framed then were not sent.
func (r *runner) barrier(f *file) {
	if !r.stopped {
		r.pushOutbox()
		f.st.push(f.safeOffset(), true)
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
