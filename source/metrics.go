package source

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics holds the series every source keeps, labelled by source name.
// Several source packages may each call NewMetrics with the same
// registerer: the second call reuses the collectors the first registered.
type Metrics struct {
	records *prometheus.CounterVec
	errors  *prometheus.CounterVec
	lag     *prometheus.GaugeVec
}

// Series are one source's children of the shared metrics, resolved once.
type Series struct {
	// Records counts records handed to the pipeline.
	Records prometheus.Counter
	// Errors counts failures reading the source (requests, state saves,
	// unreadable records).
	Errors prometheus.Counter
	// Lag is how far the source is behind: seconds for time-based sources
	// (cloudbase), records for offset-based ones (kafka).
	Lag prometheus.Gauge
}

// NewMetrics registers the shared source metrics on reg (nil: unregistered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		records: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wedadiag_source_records_total",
			Help: "Records a source handed to the pipeline.",
		}, []string{"source"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wedadiag_source_errors_total",
			Help: "Failures while reading a source (requests, state saves, unreadable records).",
		}, []string{"source"}),
		lag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "wedadiag_source_lag",
			Help: "How far a source is behind: seconds for cloudbase, records for kafka.",
		}, []string{"source"}),
	}
	if reg != nil {
		m.records = register(reg, m.records)
		m.errors = register(reg, m.errors)
		m.lag = register(reg, m.lag)
	}
	return m
}

// register registers c, or returns the equal collector already registered.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic(err) // fixed names and labels: only a programming error gets here
	}
	return c
}

// For returns the series of one source, created at zero.
func (m *Metrics) For(name string) Series {
	return Series{
		Records: m.records.WithLabelValues(name),
		Errors:  m.errors.WithLabelValues(name),
		Lag:     m.lag.WithLabelValues(name),
	}
}

// Delete removes the series of a source that is no longer configured.
func (m *Metrics) Delete(name string) {
	m.records.DeleteLabelValues(name)
	m.errors.DeleteLabelValues(name)
	m.lag.DeleteLabelValues(name)
}
