package tailer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wedadiag/wedadiag/record"
)

// ErrRunTwice is returned by a second call of Run.
var ErrRunTwice = errors.New("tailer: Run called more than once")

// ErrStopped is returned by Update after Run has returned.
var ErrStopped = errors.New("tailer: stopped")

const (
	stateNew = iota
	stateRunning
	stateStopped
)

// Tailer follows the configured sources and sends their records on
// Records(). See the package documentation for what it guarantees.
//
// Goroutines: Run; one runner per source (runner.go: the loop;
// discover.go: globs and reconciling; read.go: reading; truncate.go:
// truncation and copies), which alone touches its files; the saver, the
// lag updater and the directory watcher; one goroutine per inotify hint.
//
// Lock order (a lock may be taken while holding those before it, never the
// other way round; none is held while sending on Records or waiting for a
// goroutine):
//
//	saveMu → mu → runner.cfgMu
//	saveMu → streamsMu → stream.mu
//	hints.mu → hint.mu
//	trackerGuard.mu, dirWatcher.mu: alone (they only wake runners, which
//	takes no lock)
//
// mu and streamsMu are never held together: carry and updateLag take
// them one after the other.
type Tailer struct {
	cfg Config
	log *slog.Logger
	m   *Metrics
	// batches carries the records, a read chunk's at a time; records is
	// made from it for a receiver that asks for Records.
	batches     chan []record.Record
	records     <-chan record.Record
	recordsOnce sync.Once
	budget      *byteBudget
	recycle     *record.Reuse
	nextID      atomic.Uint64
	saveNow     chan struct{}
	// what was processed since the last save (progressed)
	unsavedRecs, unsavedBytes atomic.Int64

	mu      sync.Mutex
	state   int
	sources []Source
	sm      map[string]*sourceMetrics
	runners map[string]*handle
	ready   map[string]bool
	known   map[string]posSource  // sources' globs, as persisted
	saved   map[string][]posEntry // loaded positions not yet handed to a runner
	carried []posEntry            // positions of sources not configured now
	runWG   sync.WaitGroup

	streamsMu sync.RWMutex
	streams   map[uint64]*stream

	saveMu      sync.Mutex
	lastSaveErr string

	dirs  *dirWatcher
	hints *hints

	// lost: the positions file was unusable; sources start files as
	// StartAtUnknown says, relative to lostAt.
	lost   bool
	lostAt time.Time
}

// New checks cfg, creates the state directory and loads the saved
// positions. A nil log discards; a nil m makes unregistered metrics.
func New(cfg Config, log *slog.Logger, m *Metrics) (*Tailer, error) {
	cfg.setDefaults()
	if err := cfg.check(); err != nil {
		return nil, fmt.Errorf("tailer: %w", err)
	}
	srcs, err := normalizeSources(cfg.Sources)
	if err != nil {
		return nil, fmt.Errorf("tailer: %w", err)
	}
	cfg.Sources = srcs
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if m == nil {
		m = NewMetrics(nil)
	}
	m.stateWritable.Set(1)
	if cfg.StateDir != "" {
		if err := probeStateDir(cfg.StateDir); err != nil {
			// Start anyway: reading logs matters more than resuming them.
			// Saves are retried on their timer and counted as they fail.
			m.stateWritable.Set(0)
			log.Error("STATE DIRECTORY NOT WRITABLE: following logs without saving positions; a restart will not resume where this run stopped",
				"state_dir", cfg.StateDir, "err", err)
		}
	}
	pf, ld := loadPositions(cfg.StateDir)
	for _, err := range ld.bad {
		m.positionsBad.Inc()
		log.Error("positions file unusable", "err", err)
	}
	if ld.usedPrev {
		log.Error("resuming from the previous positions file: lines read since it was written are read again")
	}
	if ld.lost {
		log.Error("positions lost; files start as start_at_unknown says",
			"start_at_unknown", cfg.StartAtUnknown, "positions_written", ld.lostAt)
	}
	t := &Tailer{
		cfg:     cfg,
		log:     log,
		m:       m,
		batches: make(chan []record.Record, max(4, cfg.Buffer/64)),
		budget:  newByteBudget(cfg.BufferBytes),
		recycle: record.NewReuse(batchRecords, arenaBytes, keepFree, maxSent),
		saveNow: make(chan struct{}, 1),
		sources: srcs,
		sm:      map[string]*sourceMetrics{},
		runners: map[string]*handle{},
		ready:   map[string]bool{},
		known:   map[string]posSource{},
		saved:   map[string][]posEntry{},
		streams: map[uint64]*stream{},
		lost:    ld.lost,
		lostAt:  ld.lostAt,
	}
	configured := map[string]bool{}
	for _, s := range srcs {
		configured[s.Name] = true
		t.sm[s.Name] = m.forSource(s.Name)
	}
	cutoff := time.Now().Add(-carryFor).Unix()
	for name, ps := range pf.Sources {
		if configured[name] || ps.Updated >= cutoff {
			t.known[name] = ps
		}
	}
	for _, e := range pf.Files {
		switch {
		case configured[e.Source]:
			t.saved[e.Source] = append(t.saved[e.Source], e)
		case e.Updated >= cutoff:
			t.carried = append(t.carried, e)
		}
	}
	return t, nil
}

// Records is the channel of records, closed when Run returns. A record's
// Text belongs to the receiver. Acknowledge each record with Ack once it
// has been processed. A receiver uses Records or Batches, not both.
func (t *Tailer) Records() <-chan record.Record {
	t.recordsOnce.Do(func() {
		t.recycle.Off() // records are acknowledged one by one
		t.records = record.Unbatch(t.batches, t.cfg.Buffer)
	})
	return t.records
}

// TakenApart tells the tailer that the receiver of batch (as Batches sent
// it) will acknowledge its records one by one, or some of them in other
// batches, not batch as a whole: the tailer then forgets it at once rather
// than keeping it to fill again (record.Reuse), and it is the collector's.
func (t *Tailer) TakenApart(batch []record.Record) { t.recycle.Forget(batch) }

// Reusable tells the tailer that the receiver of batch (as Batches sent
// it) is done with its memory, its records slice and their texts, though
// not with the records: it acknowledges them one by one, by Stream and End,
// which need neither (the byte budget is charged by file span). The tailer
// fills the batch again.
func (t *Tailer) Reusable(batch []record.Record) { t.recycle.Release(batch) }

// Batches is the channel of the records in batches (those of a read chunk,
// in order), closed when Run returns: one channel operation, and one
// wake-up of the receiver, per batch rather than per record. A batch and
// its records' Text belong to the receiver until it acknowledges them:
// each record with Ack, or the batch as a whole with AckBatch, after which
// the tailer fills it again. A receiver that takes a batch apart (acks its
// records one by one) says so with TakenApart.
func (t *Tailer) Batches() <-chan []record.Record { return t.batches }

// Run follows the sources until ctx is done, then stops reading, closes
// Records and returns. Positions are saved every SaveInterval; the final
// save is SavePositions, after the pipeline has drained.
func (t *Tailer) Run(ctx context.Context) error {
	t.mu.Lock()
	if t.state != stateNew {
		t.mu.Unlock()
		return ErrRunTwice
	}
	t.state = stateRunning
	var err error
	if t.dirs, err = newDirWatcher(t.log, t.cfg.Poll); err != nil {
		t.log.Warn("inotify unavailable; finding new files by polling", "err", err)
	}
	t.hints = newHints(t.log, t.cfg.Poll)
	for _, s := range t.sources {
		t.startLocked(s)
	}
	t.lost = false // sources added later start as new sources do
	t.mu.Unlock()

	var bg sync.WaitGroup
	bg.Go(func() { t.dirs.run(ctx) })
	bg.Go(func() { t.saveLoop(ctx) })
	bg.Go(func() { t.lagLoop(ctx) })
	<-ctx.Done()

	t.mu.Lock()
	t.state = stateStopped
	for _, h := range t.runners {
		h.cancel()
	}
	t.mu.Unlock()
	t.runWG.Wait()
	t.hints.closeAll()
	t.dirs.close()
	bg.Wait()
	close(t.batches)
	if !t.cfg.skipFinalSave {
		t.save()
	}
	t.log.Info("tailer stopped")
	return nil
}

// startLocked starts the runner of s. t.mu is held.
func (t *Tailer) startLocked(s Source) {
	// Run cancels every runner when it stops; Update cancels one.
	ctx, cancel := context.WithCancel(context.Background())
	h := &handle{cancel: cancel, done: make(chan struct{})}
	r := newRunner(t, s, t.sm[s.Name])
	h.r = r
	r.lost = t.lost
	t.runners[s.Name] = h
	t.ready[s.Name] = false
	if s.isStdin() {
		t.runWG.Go(func() {
			defer close(h.done)
			r.runStdin(ctx)
		})
		return
	}
	saved := t.saved[s.Name]
	delete(t.saved, s.Name)
	kept := t.carried[:0]
	for _, e := range t.carried {
		if e.Source == s.Name {
			saved = append(saved, e)
		} else {
			kept = append(kept, e)
		}
	}
	t.carried = kept
	ps, ok := t.known[s.Name]
	known := ok && samePaths(ps.Paths, s.Paths)
	t.known[s.Name] = posSource{Paths: s.Paths, Updated: time.Now().Unix()}
	t.runWG.Go(func() {
		defer close(h.done)
		r.run(ctx, saved, known)
	})
}

// sourceReady records that a source has evaluated its globs once.
func (t *Tailer) sourceReady(name string) {
	t.mu.Lock()
	if _, ok := t.ready[name]; ok {
		t.ready[name] = true
	}
	t.mu.Unlock()
	t.requestSave()
}

// Ready reports whether Run is following and every source has been opened
// (its globs evaluated, its saved positions resolved), for /readyz.
func (t *Tailer) Ready() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.state != stateRunning {
		return false
	}
	for _, s := range t.sources {
		if !t.ready[s.Name] {
			return false
		}
	}
	return true
}

// Ack tells the tailer that the pipeline has processed rec: once every
// record before it in its file is acknowledged too, its End may be saved
// as the file's position. Acks may come in any order and from any
// goroutine; unknown records (standard input, a stream already forgotten)
// are ignored.
func (t *Tailer) Ack(rec record.Record) {
	t.budget.release(charge(&rec))
	if rec.Stream == 0 {
		return
	}
	t.streamsMu.RLock()
	s := t.streams[rec.Stream]
	t.streamsMu.RUnlock()
	if s != nil {
		s.ack(rec.End)
	}
}

// AckBatch is Ack of every record of recs (a batch as Batches sent it, or
// any records): one release of the budget, and one lock of a file's stream
// for each run of records of that file. Given a batch as Batches sent it,
// AckBatch also takes the batch back to fill with later records: the
// receiver must be done with it, its records and their texts (a sink that
// keeps any text copies it).
func (t *Tailer) AckBatch(recs []record.Record) {
	var n int64
	for i := range recs {
		n += charge(&recs[i])
	}
	t.budget.release(n)
	for i := 0; i < len(recs); {
		id := recs[i].Stream
		j := i + 1
		for j < len(recs) && recs[j].Stream == id {
			j++
		}
		if id != 0 {
			t.streamsMu.RLock()
			s := t.streams[id]
			t.streamsMu.RUnlock()
			if s != nil {
				s.ackAll(recs[i:j])
			}
		}
		i = j
	}
	t.recycle.Release(recs)
}

// SavePositions saves the positions now: the final save, after Run has
// returned and the pipeline has drained and acknowledged what it got.
func (t *Tailer) SavePositions() error {
	if t.cfg.skipFinalSave {
		return nil
	}
	return t.save()
}

// Update replaces the sources (configuration reload). Sources that keep
// their name keep their files and positions (new globs apply from the next
// scan: files they match that exist already start at their end, as on a
// first start); removed sources stop and their series are deleted, their
// positions are kept a while in case they come back; new sources start.
func (t *Tailer) Update(sources []Source) error {
	norm, err := normalizeSources(sources)
	if err != nil {
		return fmt.Errorf("tailer: %w", err)
	}
	t.mu.Lock()
	if t.state == stateStopped {
		t.mu.Unlock()
		return ErrStopped
	}
	running := t.state == stateRunning
	old := map[string]Source{}
	for _, s := range t.sources {
		old[s.Name] = s
	}
	var stop []string
	var restart []Source
	next := map[string]bool{}
	for _, s := range norm {
		next[s.Name] = true
		o, ok := old[s.Name]
		switch {
		case !ok:
			t.sm[s.Name] = t.m.forSource(s.Name)
			if running {
				t.startLocked(s)
			}
		case o.isStdin() != s.isStdin():
			if running {
				stop = append(stop, s.Name)
				restart = append(restart, s)
			}
		case !samePaths(o.Paths, s.Paths) || o.Multiline != s.Multiline:
			if h := t.runners[s.Name]; h != nil {
				// The runner starts the files its new globs match at their
				// end; before Run, startLocked compares with the saved
				// globs instead.
				h.r.setConfig(s)
				if !s.isStdin() {
					t.known[s.Name] = posSource{Paths: s.Paths, Updated: time.Now().Unix()}
				}
			}
		}
	}
	var removed []string
	for name := range old {
		if !next[name] {
			removed = append(removed, name)
			stop = append(stop, name)
		}
	}
	t.sources = norm
	var handles []*handle
	for _, name := range stop {
		if h := t.runners[name]; h != nil {
			handles = append(handles, h)
			delete(t.runners, name)
			delete(t.ready, name)
		}
	}
	t.mu.Unlock()

	for _, h := range handles {
		h.cancel()
		<-h.done
	}
	for _, name := range stop {
		t.carry(name)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, name := range removed {
		t.m.deleteSource(name)
		delete(t.sm, name)
		t.log.Info("source removed", "source", name)
	}
	if t.state == stateRunning {
		for _, s := range restart {
			t.startLocked(s)
		}
	}
	return nil
}

// carry moves the positions of a stopped source's streams to the carried
// positions and forgets the streams.
func (t *Tailer) carry(name string) {
	t.streamsMu.Lock()
	var es []posEntry
	now := time.Now().Unix()
	for id, s := range t.streams {
		if s.source != name {
			continue
		}
		e, persist, _, _ := s.snapshot()
		if persist {
			e.Updated = now
			es = append(es, e)
		}
		delete(t.streams, id)
	}
	t.streamsMu.Unlock()
	t.mu.Lock()
	t.carried = append(t.carried, es...)
	t.mu.Unlock()
}

// newStream registers a stream for f starting at off.
func (t *Tailer) newStream(source string, f *file, off int64) *stream {
	s := &stream{
		id: t.nextID.Add(1), source: source, file: f.osf,
		path: f.path, dev: f.id.dev, ino: f.id.ino,
		fp: fingerprint(f.head), fpLen: len(f.head),
		committed: off, lastEnd: off, persist: true, progressed: t.progressed,
	}
	t.streamsMu.Lock()
	t.streams[s.id] = s
	t.streamsMu.Unlock()
	return s
}
