package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/internal/textutil"
	"github.com/wedadiag/wedadiag/redact"
)

// Notifier applies the alert policy to occurrences and delivers alerts to
// the configured receivers. Observe is safe for concurrent use; Run drives
// time (repeat, resolve, grouping) and delivery.
type Notifier struct {
	cfg     Config // with defaults
	cat     *catalog.Catalog
	log     *slog.Logger
	now     func() time.Time
	client  *http.Client
	workers []*worker
	byName  map[string]*worker
	wake    chan struct{}

	mu       sync.Mutex
	rules    map[string]rule // by entry id
	alerts   map[key]*alert
	pending  []pendingAlert // changed since groupStart, to send
	inGroup  map[key]int    // index in pending
	group    time.Time      // when the pending group started
	resendAt map[*worker]time.Time
	dirty    bool // state changed since the last save
	urgent   bool // an alert fired or resolved: save soon
	lastSave time.Time
	saveErr  string
}

type pendingAlert struct {
	key
	d Decision
}

// persistEvery is how often changed state is saved while nothing fires or
// resolves (those save at once).
const persistEvery = 10 * time.Second

// New builds a Notifier from a configuration (validated here, defaults
// filled), the catalog, a logger, metrics (nil: unregistered ones) and a
// clock (nil: time.Now). It loads the alert state from cfg.StateDir.
func New(cfg Config, cat *catalog.Catalog, log *slog.Logger, m *Metrics, now func() time.Time) (*Notifier, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	if err := cfg.Policy.checkCatalog(cat); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if m == nil {
		m = NewMetrics(nil)
	}
	if now == nil {
		now = time.Now
	}
	n := &Notifier{
		cfg: cfg, cat: cat, log: log, now: now, client: newClient(),
		byName: map[string]*worker{}, wake: make(chan struct{}, 1),
		rules: map[string]rule{}, alerts: map[key]*alert{}, inGroup: map[key]int{},
		resendAt: map[*worker]time.Time{},
	}
	for _, e := range cat.Entries() {
		n.rules[e.ID] = ruleFor(cfg.Policy, e)
	}
	var names []string
	for _, rc := range cfg.Receivers {
		tmpl, err := loadTemplates(rc.Lang, rc.Template)
		if err != nil {
			return nil, fmt.Errorf("alerts.receivers: %q: template: %w", rc.Name, err)
		}
		rd := &renderer{tmpl: tmpl, cat: cat, receiver: rc.Name, externalURL: cfg.ExternalURL, loc: cfg.Location}
		w := &worker{
			rc: rc, integ: newIntegration(rc, n.client, rd, now), redact: newRedactor(rc),
			log:  log.With("receiver", rc.Name, "type", rc.Type),
			sent: m.sent.WithLabelValues(rc.Name), failed: m.failed.WithLabelValues(rc.Name),
			dropped: m.dropped.WithLabelValues(rc.Name),
		}
		w.q = newQueue(rc.QueueSize, func() {
			w.dropped.Inc()
			w.lost.Store(true)
		})
		if rc.MaxPerMinute > 0 {
			w.limit = &rateLimit{n: rc.MaxPerMinute, per: time.Minute, now: time.Now}
		}
		if rc.Type != TypeAlertmanager {
			w.resync = n.firingMessage
		}
		n.workers = append(n.workers, w)
		n.byName[rc.Name] = w
		names = append(names, rc.Name)
	}
	m.setReceivers(names)
	if cfg.StateDir != "" {
		if err := n.load(); err != nil {
			// A broken state file must not keep alerts from working: start
			// afresh, and say so.
			m.stateErrors.Inc()
			log.Warn("alert state unreadable; starting without it", "err", err)
		}
	}
	return n, nil
}

// ruleFor returns the rule of an entry; the lock is held.
func (n *Notifier) ruleFor(e *catalog.Entry) rule {
	r, ok := n.rules[e.ID]
	if !ok {
		r = ruleFor(n.cfg.Policy, e)
		n.rules[e.ID] = r
	}
	return r
}

// Observe takes one occurrence (diagnose.Sink). It updates the policy state
// in O(1) under a short lock, never blocks on delivery and does no I/O.
func (n *Notifier) Observe(o diagnose.Occurrence) {
	if o.Entry == nil {
		return
	}
	now := n.now()
	k := key{o.Entry.ID, o.Source}
	n.mu.Lock()
	a := n.alerts[k]
	if a == nil {
		a = &alert{key: k, entry: o.Entry, rule: n.ruleFor(o.Entry)}
		n.alerts[k] = a
	}
	if o.Sample != "" {
		// Samples come cut and redacted from diagnose; the bound is kept
		// here too, since alerts.json and every payload hold it.
		a.sample = textutil.Cut(o.Sample, redact.DefaultLimit)
	}
	var d Decision
	a.st, d = observe(a.st, now, a.rule)
	n.dirty = true
	wake := false
	if d.Action == Fire {
		n.urgent = true
		wake = n.addPending(k, d, now)
	}
	n.mu.Unlock()
	if wake {
		select {
		case n.wake <- struct{}{}:
		default:
		}
	}
}

// addPending adds an alert to the group to send; it reports whether the
// group just started (the lock is held).
func (n *Notifier) addPending(k key, d Decision, now time.Time) bool {
	if i, ok := n.inGroup[k]; ok {
		// A repeat of an alert whose firing is still unsent is the firing.
		if n.pending[i].d.Action != Fire || d.Action != Repeat {
			n.pending[i].d = d
		}
		return false
	}
	n.inGroup[k] = len(n.pending)
	n.pending = append(n.pending, pendingAlert{k, d})
	if len(n.pending) == 1 {
		n.group = now
		return true
	}
	return false
}

// Run drives the policy (repeat, resolve, grouping, Alertmanager re-posts)
// and the receivers' workers until ctx is done. Then it sends the pending
// group at once, gives the workers FlushTimeout to deliver what is queued
// (the rest is dropped and counted), saves the state and returns.
func (n *Notifier) Run(ctx context.Context) error {
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	var wg sync.WaitGroup
	for _, w := range n.workers {
		wg.Go(func() { w.run(wctx) })
	}
	if len(n.workers) == 0 {
		n.log.Info("alerting started without receivers: alerts show on the status page and in metrics only; add alerts.receivers to send them")
	} else {
		n.log.Info("alerting started", "receivers", len(n.workers))
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return n.stop(&wg, cancel)
		case <-n.wake:
		case <-timer.C:
		}
		now := n.now()
		next := n.evaluate(now, false)
		timer.Reset(max(next.Sub(now), time.Millisecond))
	}
}

func (n *Notifier) stop(wg *sync.WaitGroup, cancel context.CancelFunc) error {
	n.evaluate(n.now(), true)
	for _, w := range n.workers {
		w.q.close()
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	t := time.NewTimer(n.cfg.FlushTimeout)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		n.log.Warn("alert delivery did not finish in time; dropping the rest", "flush_timeout", n.cfg.FlushTimeout)
		cancel()
		<-done
	}
	err := n.save(true)
	n.log.Info("alerting stopped")
	return err
}

// evaluate applies the policy's tick to every alert, sends the group when
// group_wait has passed (or at once when flush), re-posts to Alertmanager
// when due, saves the state when due, and returns when to evaluate next.
func (n *Notifier) evaluate(now time.Time, flush bool) time.Time {
	type send struct {
		m  *message
		to []*worker
	}
	var sends []send
	var sent []pendingAlert
	next := now.Add(time.Minute)
	n.mu.Lock()
	for k, a := range n.alerts {
		var d Decision
		a.st, d = tick(a.st, now, a.rule)
		switch d.Action {
		case Repeat, Resolve:
			n.dirty = true
			if d.Action == Resolve {
				n.urgent = true
			}
			n.addPending(k, d, now)
		case Forget:
			n.dirty = true
			delete(n.alerts, k)
			continue
		}
		if t := a.st.next(a.rule); !t.IsZero() {
			next = minTime(next, t)
		}
	}
	if len(n.pending) > 0 {
		if due := n.group.Add(n.cfg.Policy.GroupWait); flush || !now.Before(due) {
			m := &message{kind: kindNotify, created: now}
			for _, p := range n.pending {
				a := n.alerts[p.key]
				if a == nil {
					continue
				}
				m.alerts = append(m.alerts, a.snapshot(p.d.Action == Repeat))
				sent = append(sent, p)
			}
			n.pending, n.inGroup = nil, map[key]int{}
			if len(m.alerts) > 0 {
				sortSnapshots(m.alerts)
				sends = append(sends, send{m, n.workers})
			}
		} else {
			next = minTime(next, due)
		}
	}
	for _, w := range n.workers {
		if w.rc.Type != TypeAlertmanager || flush {
			continue
		}
		at, ok := n.resendAt[w]
		if !ok || !now.Before(at) {
			if m := n.activeMessage(now); m != nil {
				sends = append(sends, send{m, []*worker{w}})
			}
			at = now.Add(w.rc.ResendInterval)
			n.resendAt[w] = at
		}
		next = minTime(next, at)
	}
	persist := n.dirty && n.cfg.StateDir != ""
	saveNow := persist && (n.urgent || now.Sub(n.lastSave) >= persistEvery)
	if persist && !saveNow {
		next = minTime(next, n.lastSave.Add(persistEvery))
	}
	n.mu.Unlock()
	msg := "sending alert"
	if len(n.workers) == 0 {
		msg = "alert not sent: no receivers configured"
	}
	for _, p := range sent {
		n.log.Info(msg, "action", p.d.Action.String(), "id", p.id, "source", p.source, "reason", p.d.Reason)
	}
	for _, s := range sends {
		for _, w := range s.to {
			w.q.push(s.m)
		}
	}
	if saveNow {
		n.save(false)
	}
	return next
}

// activeMessage returns every firing alert and every alert resolved within
// ResolvedRetention, for Alertmanager; nil when there is none. The lock is
// held.
func (n *Notifier) activeMessage(now time.Time) *message {
	m := &message{kind: kindResend, created: now}
	for _, a := range n.alerts {
		if a.st.Firing || !a.st.ResolvedAt.IsZero() {
			m.alerts = append(m.alerts, a.snapshot(true))
		}
	}
	if len(m.alerts) == 0 {
		return nil
	}
	sortSnapshots(m.alerts)
	return m
}

// firingMessage returns every firing alert, for a receiver that lost
// messages; nil when none fires.
func (n *Notifier) firingMessage() *message {
	now := n.now()
	n.mu.Lock()
	defer n.mu.Unlock()
	m := &message{kind: kindResync, created: now}
	for _, a := range n.alerts {
		if a.st.Firing {
			m.alerts = append(m.alerts, a.snapshot(true))
		}
	}
	if len(m.alerts) == 0 {
		return nil
	}
	sortSnapshots(m.alerts)
	return m
}

// load reads the saved state: alerts of entries the catalog still has,
// and the receivers that had lost messages.
func (n *Notifier) load() error {
	sf, err := readState(n.cfg.StateDir)
	if err != nil {
		return err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, sa := range sf.Alerts {
		e := n.cat.ByID(sa.ID)
		if e == nil {
			continue
		}
		k := key{sa.ID, sa.Source}
		n.alerts[k] = &alert{key: k, entry: e, rule: n.ruleFor(e), st: sa.State, sample: sa.Sample}
	}
	for _, name := range sf.Lost {
		if w := n.byName[name]; w != nil {
			w.lost.Store(true)
		}
	}
	n.lastSave = n.now()
	return nil
}

// save writes the state when it changed (or always when final). Errors
// are logged once per distinct error and returned.
func (n *Notifier) save(final bool) error {
	if n.cfg.StateDir == "" {
		return nil
	}
	now := n.now()
	n.mu.Lock()
	if !n.dirty && !final {
		n.mu.Unlock()
		return nil
	}
	sf := &stateFile{Version: stateVersion, SavedAt: now.UTC()}
	for _, a := range n.alerts {
		st := a.st
		st.Recent = slices.Clone(st.Recent)
		sf.Alerts = append(sf.Alerts, savedAlert{ID: a.id, Source: a.source, Sample: a.sample, State: st})
	}
	n.dirty, n.urgent, n.lastSave = false, false, now
	n.mu.Unlock()
	slices.SortFunc(sf.Alerts, func(a, b savedAlert) int {
		return strings.Compare(a.ID+"\x00"+a.Source, b.ID+"\x00"+b.Source)
	})
	for _, w := range n.workers {
		if w.lost.Load() {
			sf.Lost = append(sf.Lost, w.rc.Name)
		}
	}
	err := writeState(n.cfg.StateDir, sf)
	n.mu.Lock()
	defer n.mu.Unlock()
	if err != nil {
		n.dirty = true
		if err.Error() != n.saveErr {
			n.saveErr = err.Error()
			n.log.Warn("cannot save alert state", "err", err)
		}
		return fmt.Errorf("save alert state: %w", err)
	}
	n.saveErr = ""
	return nil
}

// Test sends the sample alert of `wedadiag alert test` to one receiver (by
// name) or to all (""), at once and outside the queues, with the usual
// retries until ctx is done or give_up_after passes. Run need not be
// running.
func (n *Notifier) Test(ctx context.Context, receiver string) error {
	ws := n.workers
	if receiver != "" {
		w := n.byName[receiver]
		if w == nil {
			var names []string
			for _, w := range n.workers {
				names = append(names, w.rc.Name)
			}
			if len(names) == 0 {
				return fmt.Errorf("no receiver named %q: none is configured (alerts.receivers)", receiver)
			}
			return fmt.Errorf("no receiver named %q (configured: %s)", receiver, strings.Join(names, ", "))
		}
		ws = []*worker{w}
	}
	if len(ws) == 0 {
		return errors.New("no receiver is configured (alerts.receivers)")
	}
	m := testMessage(n.cat, n.now())
	errs := make([]error, len(ws))
	var wg sync.WaitGroup
	for i, w := range ws {
		wg.Go(func() { errs[i] = w.sendNow(ctx, m) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// TestSource is the source label of the sample alert.
const TestSource = "wedadiag-test"

// testMessage is the sample alert: FailedOperation.FlexdbResourceOverdue
// with the log line the FAQ's signals give as its example.
func testMessage(cat *catalog.Catalog, now time.Time) *message {
	e := cat.ByID("datasource/flexdb-resource-overdue")
	if e == nil {
		for _, x := range cat.Entries() {
			if x.Severity == catalog.Critical {
				e = x
				break
			}
		}
	}
	sample := ""
	if e.Code != "" {
	find:
		for _, f := range cat.BySignal(e.Code) {
			for _, s := range f.Signals {
				if s.Code == e.Code && s.Example != "" {
					sample = s.Example
					break find
				}
			}
		}
	}
	return &message{kind: kindTest, created: now, alerts: []snapshot{{
		key: key{e.ID, TestSource}, entry: e, firing: true, test: true,
		startsAt: now, lastAt: now, count: 1, threshold: 1,
		window: DefaultWindow, resolve: DefaultResolveAfter, sample: sample,
	}}}
}

// Status returns what each configured receiver has done lately, in
// order: its queue, its last failure and last delivery.
func (n *Notifier) Status() []ReceiverStatus {
	out := make([]ReceiverStatus, 0, len(n.workers))
	for _, w := range n.workers {
		out = append(out, w.snapshot())
	}
	return out
}

// Receivers returns the names of the configured receivers, in order.
func (n *Notifier) Receivers() []string {
	var out []string
	for _, w := range n.workers {
		out = append(out, w.rc.Name)
	}
	return out
}
