package source

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the metrics every source kind shares. Each kind's
// NewMetrics calls NewMetrics on the same registry; the series are
// registered once and shared.
type Metrics struct {
	records *prometheus.CounterVec
	errors  *prometheus.CounterVec
	lag     *prometheus.GaugeVec
}

// NewMetrics creates the shared source metrics on reg, or returns the ones
// already registered there. A nil reg leaves them unregistered.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	src := []string{"source"}
	m := &Metrics{
		records: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "wedadiag", Subsystem: "source", Name: "records_total",
			Help: "Records the source handed to the pipeline.",
		}, src),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "wedadiag", Subsystem: "source", Name: "errors_total",
			Help: "Errors the source met while reading (connecting, fetching, committing, polling).",
		}, src),
		lag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "wedadiag", Subsystem: "source", Name: "lag",
			Help: "How far the source is behind: records for kafka, seconds for cloudbase.",
		}, src),
	}
	if reg != nil {
		m.records = register(reg, m.records)
		m.errors = register(reg, m.errors)
		m.lag = register(reg, m.lag)
	}
	return m
}

// register registers c, or returns the collector of the same description
// that another source kind registered first.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	err := reg.Register(c)
	if err == nil {
		return c
	}
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(C); ok {
			return existing
		}
	}
	panic(err) // a conflicting metric of the same name: a programming error
}

// For is one source's series, created at zero.
type For struct {
	Records prometheus.Counter
	Errors  prometheus.Counter
	Lag     prometheus.Gauge
}

// For creates the series of the named source at zero and returns them.
func (m *Metrics) For(name string) For {
	return For{
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
