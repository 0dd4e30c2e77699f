package daemon

import (
	"log/slog"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/notify"
	"github.com/wedadiag/wedadiag/parse"
	"github.com/wedadiag/wedadiag/rules"
	"github.com/wedadiag/wedadiag/tailer"
)

// metricSet is every metric family the daemon exports, by owner.
type metricSet struct {
	diagnose *diagnose.Metrics
	pipeline *pipelineMetrics
	notify   *notify.Metrics
	tailer   *tailer.Metrics
	// stateErrors counts live-state files that could not be read back or
	// written (live.go).
	stateErrors *prometheus.CounterVec
	// sourceFiles is wedadiag_source_files{source} (sources.go).
	sourceFiles *prometheus.GaugeVec
}

// registerMetrics creates the daemon's metrics and registers them on reg:
// the one place that says what the daemon's registry holds.
func registerMetrics(reg prometheus.Registerer, b Build, log *slog.Logger) metricSet {
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return metricSet{
		diagnose:    diagnose.NewMetrics(reg),
		pipeline:    newPipelineMetrics(reg, b, log),
		notify:      notify.NewMetrics(reg),
		tailer:      tailer.NewMetrics(reg),
		stateErrors: newStateErrors(reg),
		sourceFiles: newSourceFiles(reg),
	}
}

// RegisterMetrics registers on reg every collector New registers on the
// daemon's registry (build labels empty), so that generators can list the
// metrics the daemon exports from the code that exports them.
func RegisterMetrics(reg prometheus.Registerer) {
	registerMetrics(reg, Build{}, slog.New(slog.DiscardHandler))
}

// pipelineMetrics are the daemon's own series: records, unmatched and bad
// records per source, rule errors, reloads and build information.
type pipelineMetrics struct {
	records    *prometheus.CounterVec
	unmatched  *prometheus.CounterVec
	badRecords *prometheus.CounterVec
	ruleErrors *prometheus.CounterVec
	reloads    *prometheus.CounterVec
	lastReload prometheus.Gauge
	log        *slog.Logger

	// mu serialises changes; the per-record path reads sources and rules
	// without a lock (copy on write), so workers do not wait for each
	// other on it.
	mu      sync.Mutex
	sources atomic.Pointer[map[string]*sourceMetrics]
	rules   atomic.Pointer[map[string]prometheus.Counter]
}

type sourceMetrics struct {
	records, unmatched prometheus.Counter
	badByReason        map[string]prometheus.Counter
	// last is when a record of the source was last handled (Unix ns),
	// written by Handled for the sources whose seen Record set.
	last atomic.Int64
	seen atomic.Bool
}

func (s *sourceMetrics) bad(reason string) prometheus.Counter { return s.badByReason[reason] }

func newPipelineMetrics(reg prometheus.Registerer, b Build, log *slog.Logger) *pipelineMetrics {
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "wedadiag", Name: name, Help: help}, labels)
	}
	m := &pipelineMetrics{
		records:    counter("records_total", "Log records read (a record is a line or a multi-line group).", "source"),
		unmatched:  counter("unmatched_errors_total", "Records that look like errors but that no rule explains.", "source"),
		badRecords: counter("bad_records_total", "Records that were not clean (invalid UTF-8, NUL bytes, broken JSON, cut at the length limit); they are still diagnosed as far as they can be read.", "source", "reason"),
		ruleErrors: counter("rule_errors_total", "Rule expressions that failed at run time on a record.", "rule"),
		reloads:    counter("config_reloads_total", "Configuration reloads by result.", "result"),
		lastReload: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "wedadiag", Name: "config_last_reload_success_timestamp_seconds",
			Help: "When the configuration was last loaded successfully (start or reload)."}),
		log: log,
	}
	m.sources.Store(&map[string]*sourceMetrics{})
	m.rules.Store(&map[string]prometheus.Counter{})
	info := prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "wedadiag", Name: "build_info",
		Help:        "Always 1; the labels say which build runs.",
		ConstLabels: prometheus.Labels{"version": b.Version, "revision": b.Revision, "goversion": b.GoVersion}})
	info.Set(1)
	reg.MustRegister(m.records, m.unmatched, m.badRecords, m.ruleErrors, m.reloads, m.lastReload, info)
	m.reloads.WithLabelValues("success")
	m.reloads.WithLabelValues("failure")
	m.lastReload.SetToCurrentTime()
	return m
}

// Observe does nothing: the daemon's counters are per record.
func (m *pipelineMetrics) Observe(diagnose.Occurrence) {}

// Record counts one record of the pipeline: read, bad, unexplained, and
// the rules that failed on it.
func (m *pipelineMetrics) Record(o *diagnose.Outcome) {
	sm := m.source(o.Record.Source)
	sm.records.Inc()
	// The time is read by Handled, once a batch: workers do not read the
	// clock, nor take turns at the cache line, for every record.
	if !sm.seen.Load() {
		sm.seen.Store(true)
	}
	m.recordRest(sm, o)
}

// recordRest counts what else a record came to: bad, unexplained, the
// rules that failed on it.
func (m *pipelineMetrics) recordRest(sm *sourceMetrics, o *diagnose.Outcome) {
	source := o.Record.Source
	for _, reason := range o.Bad {
		sm.bad(reason).Inc()
	}
	for _, re := range o.Errors {
		m.ruleError(re.Rule).Inc()
		m.log.Debug("rule failed", "rule", re.Rule, "source", source, "err", re.Err)
	}
	if o.Unmatched {
		sm.unmatched.Inc()
	}
}

// ForWorker returns a worker's tally of records by source
// (diagnose.WorkerSink): a worker's records come mostly from one source
// at a time, and are added to its counter once a batch, not one by one
// from every worker at the same cache line.
func (m *pipelineMetrics) ForWorker() diagnose.WorkerRecorder { return &recordTally{m: m} }

// recordTally is one worker's records of the source it saw last, not yet
// added to the source's counter.
type recordTally struct {
	m      *pipelineMetrics
	source string
	sm     *sourceMetrics
	n      uint64
}

func (t *recordTally) Record(o *diagnose.Outcome) {
	if t.sm == nil || o.Record.Source != t.source {
		t.Flush()
		// The name is the configured source's, not the record's bytes.
		t.source, t.sm = o.Record.Source, t.m.source(o.Record.Source)
	}
	t.n++
	t.m.recordRest(t.sm, o)
}

// Flush adds the records held to their source's counter and forgets the
// source, so that a reload that replaced it is seen at the next batch.
func (t *recordTally) Flush() {
	if t.sm == nil {
		return
	}
	if t.n > 0 {
		t.sm.records.Add(float64(t.n))
		if !t.sm.seen.Load() {
			t.sm.seen.Store(true)
		}
	}
	t.source, t.sm, t.n = "", nil, 0
}

// Handled stamps the sources whose records were handled since the last
// call with the time now (diagnose.BatchSink).
func (m *pipelineMetrics) Handled() {
	var now int64
	for _, sm := range *m.sources.Load() {
		if !sm.seen.Load() || !sm.seen.Swap(false) {
			continue
		}
		if now == 0 {
			now = time.Now().UnixNano()
		}
		sm.last.Store(now)
	}
}

// lastRecord returns when a record of the source was last handled, zero
// if none was.
func (m *pipelineMetrics) lastRecord(name string) time.Time {
	s := (*m.sources.Load())[name]
	if s == nil {
		return time.Time{}
	}
	if ns := s.last.Load(); ns != 0 {
		return time.Unix(0, ns)
	}
	return time.Time{}
}

// initSources creates the series of every source at zero and deletes
// those of sources no longer configured.
func (m *pipelineMetrics) initSources(names []string) {
	keep := map[string]bool{}
	for _, n := range names {
		keep[n] = true
		m.source(n)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	next := map[string]*sourceMetrics{}
	for n, s := range *m.sources.Load() {
		if keep[n] {
			next[n] = s
			continue
		}
		l := prometheus.Labels{"source": n}
		m.records.Delete(l)
		m.unmatched.Delete(l)
		m.badRecords.DeletePartialMatch(l)
	}
	m.sources.Store(&next)
}

// source returns a source's counters, creating them on first use (stdin
// or a source added by reload).
func (m *pipelineMetrics) source(name string) *sourceMetrics {
	if s := (*m.sources.Load())[name]; s != nil {
		return s
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s := (*m.sources.Load())[name]
	if s == nil {
		s = &sourceMetrics{
			records:     m.records.WithLabelValues(name),
			unmatched:   m.unmatched.WithLabelValues(name),
			badByReason: map[string]prometheus.Counter{},
		}
		for _, r := range parse.BadReasons() {
			s.badByReason[r] = m.badRecords.WithLabelValues(name, r)
		}
		next := maps.Clone(*m.sources.Load())
		next[name] = s
		m.sources.Store(&next)
	}
	return s
}

// initRules creates a rule-error series per rule.
func (m *pipelineMetrics) initRules(set *rules.Set) {
	for _, r := range set.Rules() {
		m.ruleError(r.ID)
	}
}

func (m *pipelineMetrics) ruleError(rule string) prometheus.Counter {
	if c := (*m.rules.Load())[rule]; c != nil {
		return c
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	c := (*m.rules.Load())[rule]
	if c == nil {
		c = m.ruleErrors.WithLabelValues(rule)
		next := maps.Clone(*m.rules.Load())
		next[rule] = c
		m.rules.Store(&next)
	}
	return c
}

// WantsSample: it keeps no samples (diagnose.SampleUser).
func (*pipelineMetrics) WantsSample(*diagnose.Occurrence) bool { return false }
