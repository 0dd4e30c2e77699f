package diagnose

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/rules"
)

// Metrics counts diagnoses: wedadiag_diagnoses_total{id,code,domain,
// severity,source}. Label values come from the catalog, rule labels and the
// configured source names only.
type Metrics struct {
	diagnoses *prometheus.CounterVec

	// mu serialises changes of children; Inc reads it without a lock
	// (an occurrence of a known label set takes none: pipeline workers do
	// not wait for each other here).
	mu       sync.Mutex
	children sync.Map // childKey → prometheus.Counter
}

type childKey struct{ id, severity, source string }

// NewMetrics registers the diagnosis counter on reg (nil: unregistered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		diagnoses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "wedadiag",
			Name:      "diagnoses_total",
			Help:      "Log records diagnosed, per catalog entry (id, WeDa code, domain, severity) and source.",
		}, []string{"id", "code", "domain", "severity", "source"}),
	}
	if reg != nil {
		reg.MustRegister(m.diagnoses)
	}
	return m
}

// Init creates the series of every entry that logs can reveal for each
// source, at zero, so that rate() and alerts see them before the first
// occurrence. Series of sources no longer configured are deleted.
func (m *Metrics) Init(cat *catalog.Catalog, sources []string) {
	keep := map[string]bool{}
	for _, s := range sources {
		keep[s] = true
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for k := range m.children.Range {
		k := k.(childKey)
		if !keep[k.source] {
			m.diagnoses.DeletePartialMatch(prometheus.Labels{"source": k.source})
			m.children.Delete(k)
		}
	}
	for _, e := range cat.Entries() {
		if e.Kind == catalog.KindSymptom && !e.Loggable {
			continue
		}
		for _, s := range sources {
			m.child(e, string(e.Severity), s)
		}
	}
}

// Observe counts one occurrence: Metrics is a Sink.
func (m *Metrics) Observe(o Occurrence) {
	m.Inc(o.Entry, o.Labels[rules.LabelSeverity], o.Source)
}

// Inc counts one diagnosis. severity is the catalog's unless a rule
// overrode it.
func (m *Metrics) Inc(e *catalog.Entry, severity, source string) {
	if severity == "" {
		severity = string(e.Severity)
	}
	if c, ok := m.children.Load(childKey{e.ID, severity, source}); ok {
		c.(prometheus.Counter).Inc()
		return
	}
	m.mu.Lock()
	c := m.child(e, severity, source)
	m.mu.Unlock()
	c.Inc()
}

// child returns the counter of one label set; m.mu is held.
func (m *Metrics) child(e *catalog.Entry, severity, source string) prometheus.Counter {
	k := childKey{e.ID, severity, source}
	if c, ok := m.children.Load(k); ok {
		return c.(prometheus.Counter)
	}
	c := m.diagnoses.WithLabelValues(e.ID, e.Code, e.Domain, severity, source)
	m.children.Store(k, c)
	return c
}

// WantsSample: it keeps no samples (diagnose.SampleUser).
func (*Metrics) WantsSample(*Occurrence) bool { return false }
