package kafka

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"

	"github.com/wedadiag/wedadiag/internal/clstime"
	"github.com/wedadiag/wedadiag/record"
)

// ErrRunTwice is returned by a second call of Run.
var ErrRunTwice = errors.New("kafka: Run called more than once")

type topicPart struct {
	topic string
	part  int32
}

// Source consumes the configured topics as a member of the consumer group
// and sends their records on Records(). See the package documentation.
type Source struct {
	cfg     Config
	log     *slog.Logger
	sm      *sourceMetrics
	records chan record.Record
	nextID  atomic.Uint64
	started atomic.Bool
	ready   atomic.Bool
	stopped atomic.Bool // Run is shutting down: rebalances no longer wait for acks

	mu    sync.RWMutex
	live  map[topicPart]*partition // the current assignment's trackers
	byID  map[uint64]*partition
	cl    *kgo.Client
	errMu sync.Mutex
	last  string // last error, for Status and to log changes only

	// commitMu serializes commits with each other and with the revoke
	// callback, so no commit for a partition is sent after it was given up.
	commitMu sync.Mutex

	inflight atomic.Int64 // records handed out and not acknowledged
	wakeMu   sync.Mutex
	wake     chan struct{} // closed when a partition has nothing unacked or the assignment changed

	// extra are client options added by tests (shorter heartbeats), roots
	// the CAs a TLS test trusts instead of the system's.
	extra []kgo.Opt
	roots *x509.CertPool
	// crash is a test hook that simulates kill -9: when Run stops, nothing
	// is committed (neither on stop nor when the group revokes).
	crash atomic.Bool
}

// New checks cfg and returns a Source; it does not connect (Run does). A
// nil log discards; a nil m makes unregistered metrics.
func New(cfg Config, log *slog.Logger, m *Metrics) (*Source, error) {
	if fs := cfg.Validate(); len(fs) > 0 {
		errs := make([]error, len(fs))
		for i, f := range fs {
			errs[i] = f
		}
		return nil, fmt.Errorf("kafka source %q: %w", cfg.Name, errors.Join(errs...))
	}
	cfg.setDefaults()
	cfg.SASL.Mechanism = strings.ToUpper(cfg.SASL.Mechanism)
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if m == nil {
		m = NewMetrics(nil)
	}
	return &Source{
		cfg:     cfg,
		log:     log.With("source", cfg.Name),
		sm:      m.forSource(cfg.Name),
		records: make(chan record.Record, cfg.Buffer),
		live:    map[topicPart]*partition{},
		byID:    map[uint64]*partition{},
		wake:    make(chan struct{}),
	}, nil
}

func (s *Source) clientOf() *kgo.Client {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cl
}

// Name returns the configured source name.
func (s *Source) Name() string { return s.cfg.Name }

// Records is the channel of records, closed when Run stops reading. A
// record's Text belongs to the receiver. Acknowledge each with Ack once
// processed.
func (s *Source) Records() <-chan record.Record { return s.records }

// Ready reports whether Run has joined the group and holds an assignment
// (possibly empty: a group can have more members than partitions).
func (s *Source) Ready() bool { return s.ready.Load() && !s.stopped.Load() }

// Status is what /readyz and the status page show about the source.
type Status struct {
	Ready      bool
	Partitions int
	Lag        int64  // records not acknowledged, over the assigned partitions
	LastError  string // the last error met, "" if none (never a secret)
}

// Status returns the source's current state.
func (s *Source) Status() Status {
	st := Status{Ready: s.Ready()}
	s.mu.RLock()
	st.Partitions = len(s.live)
	for _, p := range s.live {
		lag, _, _ := p.state()
		st.Lag += lag
	}
	s.mu.RUnlock()
	s.errMu.Lock()
	st.LastError = s.last
	s.errMu.Unlock()
	return st
}

// Ack tells the source that the pipeline has processed rec: once every
// earlier record of its partition is acknowledged too, the offset after it
// may be committed. Acks may come in any order and from any goroutine;
// records of a partition given up since are ignored.
func (s *Source) Ack(rec record.Record) {
	s.mu.RLock()
	p := s.byID[rec.Stream]
	s.mu.RUnlock()
	if p == nil {
		return
	}
	found, idle := p.ack(rec.Offset)
	if !found {
		return
	}
	s.inflight.Add(-1)
	if idle {
		s.notify()
	}
}

func (s *Source) notify() {
	s.wakeMu.Lock()
	close(s.wake)
	s.wake = make(chan struct{})
	s.wakeMu.Unlock()
}

func (s *Source) wakeCh() <-chan struct{} {
	s.wakeMu.Lock()
	defer s.wakeMu.Unlock()
	return s.wake
}

// waitAcked waits until done() or the timer t fires; it reports done().
func (s *Source) waitAcked(done func() bool, t <-chan time.Time) bool {
	for {
		ch := s.wakeCh()
		if done() {
			return true
		}
		select {
		case <-ch:
		case <-t:
			return done()
		}
	}
}

func (s *Source) fail(what string, err error) {
	s.sm.common.Errors.Inc()
	msg := what + ": " + err.Error()
	s.errMu.Lock()
	changed := msg != s.last
	s.last = msg
	s.errMu.Unlock()
	if changed {
		s.log.Warn(what, "err", err)
	}
	s.notify()
}

func (s *Source) options() []kgo.Opt {
	start := kgo.NewOffset().AtEnd()
	if s.cfg.Start == StartOldest {
		start = kgo.NewOffset().AtStart()
	}
	opts := []kgo.Opt{
		kgo.SeedBrokers(s.cfg.Brokers...),
		kgo.ClientID("wedadiag"),
		kgo.ConsumerGroup(s.cfg.Group),
		kgo.ConsumeTopics(s.cfg.Topics...),
		kgo.ConsumeStartOffset(start),
		// An offset below the log start (records deleted by retention
		// while we were behind) resumes at the log start: the client's
		// default, which never skips a record that still exists.
		kgo.DisableAutoCommit(),
		kgo.BlockRebalanceOnPoll(),
		kgo.OnPartitionsAssigned(s.onAssigned),
		kgo.OnPartitionsRevoked(s.onRevoked),
		kgo.OnPartitionsLost(s.onLost),
		kgo.OnOffsetsFetched(s.onOffsetsFetched),
		kgo.WithLogger(kgoLogger{s.log}),
	}
	if s.cfg.SessionTimeout > 0 {
		opts = append(opts, kgo.SessionTimeout(s.cfg.SessionTimeout))
	}
	if s.cfg.SASL.enabled() {
		opts = append(opts, kgo.SASL(plain.Auth{User: s.cfg.SASL.Username, Pass: s.cfg.SASL.Password}.AsMechanism()))
	}
	if s.cfg.TLS {
		tc := &tls.Config{MinVersion: tls.VersionTLS12}
		if s.roots != nil {
			tc.RootCAs = s.roots
		}
		opts = append(opts, kgo.DialTLSConfig(tc))
	}
	return append(opts, s.extra...)
}

// Run consumes until ctx is done. Then it stops fetching, closes
// Records(), waits (at most DrainWait) for the pipeline to acknowledge what
// it was handed, commits the acknowledged prefix of every partition, leaves
// the group and returns.
func (s *Source) Run(ctx context.Context) error {
	if !s.started.CompareAndSwap(false, true) {
		return ErrRunTwice
	}
	cl, err := kgo.NewClient(s.options()...)
	if err != nil {
		close(s.records)
		return fmt.Errorf("kafka source %q: %w", s.cfg.Name, err)
	}
	s.mu.Lock()
	s.cl = cl
	s.mu.Unlock()
	s.log.Info("kafka source starting", "brokers", s.cfg.Brokers, "topics", s.cfg.Topics, "group", s.cfg.Group)

	var bg sync.WaitGroup
	bgCtx, bgCancel := context.WithCancel(ctx)
	bg.Go(func() { s.commitLoop(bgCtx) })
	bg.Go(func() { s.lagLoop(bgCtx, kadm.NewClient(cl)) })

	s.pollLoop(ctx, cl)

	s.stopped.Store(true)
	close(s.records)
	bgCancel()
	bg.Wait()
	if s.crash.Load() {
		cl.Close()
		s.log.Info("kafka source stopped without committing (crash test)")
		return nil
	}
	timer := time.NewTimer(s.cfg.DrainWait)
	if !s.waitAcked(func() bool { return s.inflight.Load() <= 0 }, timer.C) {
		s.log.Warn("pipeline did not acknowledge every record before the drain limit; the rest is read again",
			"unacknowledged", s.inflight.Load())
	}
	timer.Stop()
	cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	s.commit(cctx, nil)
	cancel()
	cl.Close() // leaves the group; the revoke callback commits again (no-op)
	s.updateLag()
	s.log.Info("kafka source stopped")
	return nil
}

func (s *Source) pollLoop(ctx context.Context, cl *kgo.Client) {
	for ctx.Err() == nil {
		fetches := cl.PollRecords(ctx, s.cfg.Buffer)
		if fetches.IsClientClosed() {
			cl.AllowRebalance()
			return
		}
		fetches.EachError(func(topic string, part int32, err error) {
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return
			}
			if topic == "" { // a group error the client hands to the poll
				s.fail("group", err)
				return
			}
			s.fail(fmt.Sprintf("fetch %s/%d", topic, part), err)
		})
		fetches.EachPartition(func(fp kgo.FetchTopicPartition) {
			if ctx.Err() != nil {
				return
			}
			p := s.tracker(fp.Topic, fp.Partition)
			if p == nil {
				return
			}
			p.seenHWM(fp.HighWatermark)
			for _, r := range fp.Records {
				if !s.deliver(ctx, &p, r) {
					return
				}
			}
		})
		cl.AllowRebalance()
	}
}

// tracker returns the live tracker of a partition, creating it when the
// partition's first records arrive before its assignment was seen.
func (s *Source) tracker(topic string, part int32) *partition {
	tp := topicPart{topic, part}
	s.mu.RLock()
	p := s.live[tp]
	s.mu.RUnlock()
	if p != nil {
		return p
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p = s.live[tp]; p == nil {
		p = s.addLocked(tp)
	}
	return p
}

func (s *Source) addLocked(tp topicPart) *partition {
	p := newPartition(s.nextID.Add(1), tp.topic, tp.part)
	s.live[tp] = p
	s.byID[p.id] = p
	return p
}

// deliver hands one record to the pipeline; false when ctx ended first.
func (s *Source) deliver(ctx context.Context, pp **partition, r *kgo.Record) bool {
	p := *pp
	t := clstime.EventTime(r.Value, r.Timestamp)
	skipped, ok := p.push(r.Offset, r.Timestamp.UnixMilli(), r.LeaderEpoch)
	if !ok {
		// The client went back (the broker lost data and the client
		// rewound): a new tracker, so offsets stay ordered.
		s.fail(fmt.Sprintf("fetch %s", p.path), fmt.Errorf("offset went back to %d", r.Offset))
		s.mu.Lock()
		s.retireLocked(p)
		p = s.addLocked(topicPart{p.topic, p.part})
		s.mu.Unlock()
		*pp = p
		skipped, _ = p.push(r.Offset, r.Timestamp.UnixMilli(), r.LeaderEpoch)
	}
	if skipped > 0 {
		s.sm.skipped.Add(float64(skipped))
		s.log.Warn("records skipped: deleted by retention before they were read, or removed by the broker",
			"partition", p.path, "skipped", skipped, "resumed_at", r.Offset)
	}
	s.inflight.Add(1)
	rec := record.Record{
		Source: s.cfg.Name,
		Path:   p.path,
		Offset: r.Offset,
		End:    r.Offset + 1,
		Text:   r.Value,
		Lines:  1,
		Stream: p.id,
		Time:   t,
	}
	select {
	case s.records <- rec:
		s.sm.common.Records.Inc()
		s.sm.bytes.Add(float64(len(r.Value)))
		return true
	case <-ctx.Done():
		p.unpush(r.Offset)
		s.inflight.Add(-1)
		return false
	}
}

// retireLocked forgets a tracker: later acks of its records are ignored.
func (s *Source) retireLocked(p *partition) {
	delete(s.byID, p.id)
	if s.live[topicPart{p.topic, p.part}] == p {
		delete(s.live, topicPart{p.topic, p.part})
	}
	if n := p.retire(); n > 0 {
		s.inflight.Add(-int64(n))
		s.notify()
	}
}
