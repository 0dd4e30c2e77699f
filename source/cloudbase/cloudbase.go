package cloudbase

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/wedadiag/wedadiag/record"
	"github.com/wedadiag/wedadiag/source"
)

var _ source.Source = (*Source)(nil)

// ErrRunTwice is returned by a second call of Run.
var ErrRunTwice = errors.New("cloudbase: Run called more than once")

// stream is the Record.Stream of every record of this package: non-zero, so
// the pipeline knows the records want an Ack.
const stream = 1

// Source polls one CloudBase environment's logs. See the package
// documentation for what it guarantees.
type Source struct {
	cfg     Config
	loc     *time.Location
	log     *slog.Logger
	m       *series
	api     *client
	limiter *rate.Limiter
	path    string // state file; "" keeps state in memory only
	records chan record.Record

	// Tunables that tests shorten.
	now         func() time.Time
	backoffBase time.Duration
	backoffMax  time.Duration
	maxAttempts int
	afterCycle  func() // test hook: called after each poll cycle

	started   atomic.Bool
	ready     atomic.Bool
	zoneWarns atomic.Bool

	mu       sync.Mutex
	nextSeq  int64
	base     int64    // sequence number of inflight[0]
	inflight []*entry // records handed on, from the oldest not acknowledged
	seen     map[uint64]*entry
	scanned  time.Time // every window before this was read completely
	window   time.Duration
	lastSave time.Time

	saveMu  sync.Mutex
	errMu   sync.Mutex
	lastErr string // the last request or save error logged (repeats are not)
}

// entry is one record handed on: its dedupe key, bookkeeping time and
// whether it was acknowledged.
type entry struct {
	key   uint64
	t     time.Time
	acked bool
}

// New checks cfg, finds the credentials, builds the API client and loads
// the source's state from stateDir ("" keeps it in memory). A nil log
// discards; nil m makes unregistered metrics.
func New(cfg Config, stateDir string, log *slog.Logger, m *Metrics) (*Source, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("cloudbase source %q: %w", cfg.Name, err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if m == nil {
		m = NewMetrics(nil)
	}
	log = log.With("source", cfg.Name)
	loc, _ := loadZone(cfg.TimeZone)
	cred, err := cfg.credential()
	if err != nil {
		return nil, fmt.Errorf("cloudbase source %q: %w", cfg.Name, err)
	}
	api, err := newClient(cfg, cred, loc)
	if err != nil {
		return nil, fmt.Errorf("cloudbase source %q: endpoint: %w", cfg.Name, err)
	}
	s := &Source{
		cfg:         cfg,
		loc:         loc,
		log:         log,
		m:           m.forSource(cfg.Name),
		api:         api,
		limiter:     rate.NewLimiter(rate.Limit(cfg.RateLimit), 1),
		records:     make(chan record.Record, 256),
		now:         time.Now,
		backoffBase: 500 * time.Millisecond,
		backoffMax:  30 * time.Second,
		maxAttempts: 8,
		afterCycle:  func() {},
		seen:        map[uint64]*entry{},
		window:      cfg.MaxWindow,
	}
	if stateDir != "" {
		if err := os.MkdirAll(stateDir, 0o755); err != nil {
			return nil, fmt.Errorf("cloudbase source %q: state dir: %w", cfg.Name, err)
		}
		s.path = statePath(stateDir, cfg.Name)
		st, err := loadState(s.path)
		switch {
		case errors.Is(err, errCorrupt):
			bad := s.path + ".bad"
			os.Rename(s.path, bad)
			log.Warn("state lost; reading from backfill as at a first start", "err", err, "moved_to", bad)
		case err != nil:
			return nil, fmt.Errorf("cloudbase source %q: state: %w", cfg.Name, err)
		case st != nil && st.EnvID != cfg.EnvID:
			log.Warn("state is of another environment; reading from backfill as at a first start",
				"state_env_id", st.EnvID, "env_id", cfg.EnvID)
		case st != nil:
			s.restore(st)
		}
		if err := s.Save(); err != nil { // the directory must be writable now, not at the first save
			return nil, fmt.Errorf("cloudbase source %q: %w", cfg.Name, err)
		}
	}
	s.m.mark.Set(float64(s.scannedOrStart().Unix()))
	return s, nil
}

func (s *Source) restore(st *stateFile) {
	s.scanned = st.Mark
	s.nextSeq = st.NextSeq
	s.base = st.NextSeq
	for _, a := range st.Acked {
		s.seen[a.Key] = &entry{key: a.Key, t: time.UnixMilli(a.Time), acked: true}
	}
	s.log.Info("resuming", "mark", st.Mark, "acked_in_overlap", len(st.Acked))
}

// scannedOrStart is the mark of a source with nothing read yet.
func (s *Source) scannedOrStart() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.scanned.IsZero() {
		s.scanned = s.now().Add(-s.cfg.Backfill).Truncate(time.Second)
	}
	return s.scanned
}

// Records is the channel of records, closed when Run returns. Acknowledge
// each record with Ack once it has been processed.
func (s *Source) Records() <-chan record.Record { return s.records }

// Ready reports whether Run is polling and the last request that was not
// throttled or failed by the server succeeded: false before the first
// success, while the API refuses the key or the environment, and after Run
// returned.
func (s *Source) Ready() bool { return s.ready.Load() }

// Ack tells the source the pipeline has processed rec. Acks may come in any
// order, from any goroutine; records of other sources are ignored.
func (s *Source) Ack(rec record.Record) {
	if rec.Source != s.cfg.Name || rec.Stream != stream {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i := rec.Offset - s.base
	if i < 0 || i >= int64(len(s.inflight)) {
		return
	}
	s.inflight[i].acked = true
	// Drop the acknowledged prefix; its entries stay in seen.
	n := 0
	for n < len(s.inflight) && s.inflight[n].acked {
		n++
	}
	if n > 0 {
		clear(s.inflight[:n])
		s.inflight = s.inflight[n:]
		s.base += int64(n)
	}
}

// markLocked is the time every record before which was read and
// acknowledged: the end of the completed windows, or the earliest record
// still in flight.
func (s *Source) markLocked() time.Time {
	m := s.scanned
	for _, e := range s.inflight {
		if !e.acked && e.t.Before(m) {
			m = e.t
		}
	}
	return m
}

// Save writes the state now (Run saves after every poll and when it stops;
// call Save once more after the pipeline drained, for the last acks).
func (s *Source) Save() error {
	if s.path == "" {
		return nil
	}
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	s.mu.Lock()
	if s.scanned.IsZero() {
		s.scanned = s.now().Add(-s.cfg.Backfill).Truncate(time.Second)
	}
	mark := s.markLocked()
	st := &stateFile{Version: stateVersion, EnvID: s.cfg.EnvID, Mark: mark, NextSeq: s.nextSeq}
	s.lastSave = s.now()
	from := mark.Add(-s.cfg.Overlap).Truncate(time.Second) // where a restart's first query starts
	for _, e := range s.seen {
		if e.acked && !e.t.Before(from) {
			st.Acked = append(st.Acked, ackedEntry{Key: e.key, Time: e.t.UnixMilli()})
		}
	}
	s.mu.Unlock()
	s.m.mark.Set(float64(mark.Unix()))
	if err := saveState(s.path, st); err != nil {
		s.m.shared.Errors.Inc()
		err = fmt.Errorf("save state: %w", err)
		s.logErr("cannot save state", err)
		return err
	}
	return nil
}

// Run polls until ctx is done, then saves the state and closes Records.
// It returns nil after a cancel; it never gives up on API errors (they are
// logged, counted and retried at the next poll).
func (s *Source) Run(ctx context.Context) error {
	if !s.started.CompareAndSwap(false, true) {
		return ErrRunTwice
	}
	defer close(s.records)
	defer s.ready.Store(false)
	s.scannedOrStart()
	s.log.Info("polling", "env_id", s.cfg.EnvID, "region", s.cfg.Region, "poll", s.cfg.Poll, "overlap", s.cfg.Overlap)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			s.Save()
			s.log.Info("stopped")
			return nil
		case <-timer.C:
		}
		s.cycle(ctx)
		s.Save()
		s.updateLag()
		s.afterCycle()
		timer.Reset(s.cfg.Poll)
	}
}

func (s *Source) updateLag() {
	s.mu.Lock()
	mark := s.markLocked()
	s.mu.Unlock()
	lag := s.now().Sub(mark).Seconds()
	if lag < 0 {
		lag = 0
	}
	s.m.shared.Lag.Set(lag)
}
