package notify

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the counters of alert delivery, per receiver. One Metrics
// outlives reloads: each Notifier built with it creates its receivers'
// series at 0 and deletes those of receivers no longer configured.
type Metrics struct {
	sent, failed, dropped *prometheus.CounterVec
	stateErrors           prometheus.Counter

	mu        sync.Mutex
	receivers map[string]bool
}

// NewMetrics creates the counters and registers them on reg (nil: not
// registered, for tests and one-shot commands):
//
//	wedadiag_alerts_sent_total{receiver}     messages delivered
//	wedadiag_alerts_failed_total{receiver}   messages refused, or given up after retries
//	wedadiag_alerts_dropped_total{receiver}  messages dropped from a full queue or at shutdown
//	wedadiag_alerts_state_load_failures_total  alerts.json unreadable (corrupt, too large) at start
//
// A message is one request to the receiver: a notification split in parts
// for a robot's size limit counts each part.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	vec := func(name, help string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "wedadiag", Subsystem: "alerts", Name: name, Help: help,
		}, []string{"receiver"})
	}
	m := &Metrics{
		sent:    vec("sent_total", "Alert messages delivered to a receiver."),
		failed:  vec("failed_total", "Alert messages a receiver refused, or that were given up after retries."),
		dropped: vec("dropped_total", "Alert messages dropped because a receiver's queue was full or at shutdown."),
		stateErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "wedadiag", Subsystem: "alerts", Name: "state_load_failures_total",
			Help: "Times the alert state file could not be used at start (corrupt, too large, unreadable); alerts started afresh.",
		}),
		receivers: map[string]bool{},
	}
	if reg != nil {
		reg.MustRegister(m.sent, m.failed, m.dropped, m.stateErrors)
	}
	return m
}

// setReceivers creates the series of the named receivers at 0 and deletes
// those of receivers that are gone.
func (m *Metrics) setReceivers(names []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	keep := map[string]bool{}
	for _, n := range names {
		keep[n] = true
		m.sent.WithLabelValues(n)
		m.failed.WithLabelValues(n)
		m.dropped.WithLabelValues(n)
	}
	for n := range m.receivers {
		if !keep[n] {
			m.sent.DeleteLabelValues(n)
			m.failed.DeleteLabelValues(n)
			m.dropped.DeleteLabelValues(n)
		}
	}
	m.receivers = keep
}
