package cloudbase

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/wedadiag/wedadiag/internal/record"
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

// window is a query's time range, both ends in whole seconds.
type window struct{ from, to time.Time }

// cycle reads from scanned-overlap to now, in windows of at most s.window.
func (s *Source) cycle(ctx context.Context) {
	end := s.now().Truncate(time.Second)
	s.mu.Lock()
	from := s.scanned.Add(-s.cfg.Overlap).Truncate(time.Second)
	s.mu.Unlock()
	for from.Before(end) && ctx.Err() == nil {
		to := from.Add(s.window)
		if to.After(end) {
			to = end
		}
		if !s.readWindow(ctx, window{from, to}) {
			return
		}
		s.mu.Lock()
		if to.After(s.scanned) {
			s.scanned = to
		}
		s.mu.Unlock()
		from = to
		// A long catch-up keeps its memory bounded and its progress saved.
		s.prune()
		s.mu.Lock()
		due := s.now().Sub(s.lastSave) >= saveEvery
		s.mu.Unlock()
		if due {
			s.Save()
			s.updateLag()
		}
	}
	s.prune()
}

// saveEvery is how often a long poll cycle saves its progress.
const saveEvery = 5 * time.Second

// prune forgets acknowledged keys older than any query can reach again.
func (s *Source) prune() {
	s.mu.Lock()
	defer s.mu.Unlock()
	from := s.markLocked().Add(-s.cfg.Overlap).Add(-time.Second)
	for k, e := range s.seen {
		if e.acked && e.t.Before(from) {
			delete(s.seen, k)
		}
	}
}

// readWindow reads w completely, splitting it when one query's cursor
// cannot reach its end. It reports false when the cycle must stop (an
// error, or ctx done).
func (s *Source) readWindow(ctx context.Context, w window) bool {
	todo := []window{w}
	for len(todo) > 0 {
		cur := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		n, last, err := s.query(ctx, cur)
		if err != nil {
			return false
		}
		if n < cursorCap {
			if n < cursorCap/4 && s.window < s.cfg.MaxWindow {
				s.window = min(2*s.window, s.cfg.MaxWindow)
			}
			continue
		}
		// The cursor stopped at its cap: what is before last was all
		// read (results come in time order); read the rest in halves.
		s.m.splits.Inc()
		s.window = max(s.window/2, time.Second)
		rest := cur.from
		if last.After(rest) {
			rest = last.Truncate(time.Second)
		}
		span := cur.to.Sub(rest)
		if span <= time.Second {
			s.m.overflows.Inc()
			s.log.Warn("more than 10000 results in one second; the rest of it is not read",
				"from", rest, "to", cur.to)
			continue
		}
		mid := rest.Add(span / 2).Truncate(time.Second)
		if !mid.After(rest) {
			mid = rest.Add(time.Second)
		}
		todo = append(todo, window{mid, cur.to}, window{rest, mid})
	}
	return true
}

// query reads one window's pages and hands on the new records. It returns
// how many results the cursor gave and the latest event time among them.
func (s *Source) query(ctx context.Context, w window) (n int, last time.Time, err error) {
	cursor := ""
	for {
		res, err := s.call(ctx, w, cursor)
		if err != nil {
			return n, last, err
		}
		for i := range res.Results {
			n++
			t, ok := s.emit(ctx, &res.Results[i], w)
			if !ok {
				return n, last, ctx.Err()
			}
			if t.After(last) {
				last = t
			}
		}
		if res.ListOver || res.Context == "" || len(res.Results) == 0 || n >= cursorCap {
			return n, last, nil
		}
		cursor = res.Context
	}
}

// call sends one request, waiting for the rate limiter, and retries
// throttling, server and network errors with jittered exponential backoff.
func (s *Source) call(ctx context.Context, w window, cursor string) (*logResults, error) {
	for attempt := 0; ; attempt++ {
		if err := s.limiter.Wait(ctx); err != nil {
			return nil, err
		}
		res, err := s.api.search(ctx, w.from, w.to, cursor)
		if err == nil {
			s.m.requests["ok"].Inc()
			s.ready.Store(true)
			s.recovered()
			return res, nil
		}
		var ae *apiError
		if !errors.As(err, &ae) {
			return nil, err // ctx done
		}
		s.m.requests[kindResult[ae.kind]].Inc()
		s.m.shared.Errors.Inc()
		if ae.kind == kindThrottled {
			s.m.throttled.Inc()
		}
		if ae.kind == kindClient {
			s.ready.Store(false) // a refused key or a bad env_id: not reading until it is fixed
		}
		if !ae.retryable() || attempt+1 >= s.maxAttempts {
			s.logErr("SearchClsLog failed; retrying at the next poll", err)
			return nil, err
		}
		if ae.kind != kindThrottled {
			s.logErr("SearchClsLog failed; retrying", err)
		}
		d := s.backoff(attempt)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// backoff is full jitter over an exponential ceiling.
func (s *Source) backoff(attempt int) time.Duration {
	ceil := s.backoffBase << min(attempt, 20)
	if ceil > s.backoffMax || ceil <= 0 {
		ceil = s.backoffMax
	}
	return time.Duration(rand.Int64N(int64(ceil)) + 1)
}

// logErr logs err when it differs from the last one logged.
func (s *Source) logErr(msg string, err error) {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	text := err.Error()
	if text == s.lastErr {
		return
	}
	s.lastErr = text
	var ae *apiError
	if errors.As(err, &ae) && ae.kind == kindClient {
		s.log.Error(msg, "err", err)
		return
	}
	s.log.Warn(msg, "err", err)
}

func (s *Source) recovered() {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	if s.lastErr != "" {
		s.lastErr = ""
		s.log.Info("SearchClsLog succeeds again")
	}
}

// emit hands on one result unless it was handed on before. It returns the
// result's event time and false when ctx ended first.
func (s *Source) emit(ctx context.Context, o *logObject, w window) (time.Time, bool) {
	t, ok := parseEventTime(string(o.Timestamp), s.loc)
	bt := w.to // bookkeeping time: within the window whatever the Timestamp says
	if ok {
		bt = t
		if bt.Before(w.from) {
			bt = w.from
		} else if bt.After(w.to.Add(time.Second)) {
			bt = w.to
		}
		if (t.Before(w.from.Add(-time.Minute)) || t.After(w.to.Add(time.Minute))) && !s.zoneWarns.Swap(true) {
			s.log.Warn("a result's time is outside the queried window; is time_zone right?",
				"time_zone", s.cfg.TimeZone, "timestamp", string(o.Timestamp),
				"window_from", w.from.In(s.loc).Format(apiTimeLayout), "window_to", w.to.In(s.loc).Format(apiTimeLayout))
		}
	} else {
		s.m.shared.Errors.Inc()
	}
	key := recordKey(o)
	s.mu.Lock()
	if _, dup := s.seen[key]; dup {
		s.mu.Unlock()
		s.m.duplicates.Inc()
		return bt, true
	}
	e := &entry{key: key, t: bt}
	s.seen[key] = e
	seq := s.nextSeq
	s.nextSeq++
	s.inflight = append(s.inflight, e)
	s.mu.Unlock()

	topic := o.TopicName
	if topic == "" {
		topic = o.TopicID
	}
	rec := record.Record{
		Source: s.cfg.Name,
		Path:   "cloudbase/" + s.cfg.EnvID + "/" + topic,
		Offset: seq,
		End:    seq + 1,
		Text:   []byte(o.Content),
		Lines:  strings.Count(o.Content, "\n") + 1,
		Stream: stream,
		Time:   t,
	}
	select {
	case s.records <- rec:
		s.m.shared.Records.Inc()
		return bt, true
	case <-ctx.Done():
		return bt, false
	}
}

// recordKey identifies a result across queries: its PkgLogId with what
// else the result carries (a PkgLogId is only unique within its upload
// package), or without it the whole result.
func recordKey(o *logObject) uint64 {
	h := uint64(fnvOffset)
	for _, f := range [...]string{o.TopicID, string(o.PkgLogID), string(o.Timestamp), o.Source, o.FileName, o.Content} {
		h = fnvAdd(h, f)
		h = (h ^ 0) * fnvPrime // field separator
	}
	return h
}

// FNV-1a, 64 bits: stable across runs, so keys can be persisted.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvAdd(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func fnv64(s string) uint64 { return fnvAdd(fnvOffset, s) }
