package cloudbase

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/wedadiag/wedadiag/source"
)

// Metrics are the cloudbase sources' series, labelled by source name only:
// the shared wedadiag_source_* series plus this package's own.
type Metrics struct {
	shared     *source.Metrics
	requests   *prometheus.CounterVec
	throttled  *prometheus.CounterVec
	duplicates *prometheus.CounterVec
	splits     *prometheus.CounterVec
	overflows  *prometheus.CounterVec
	mark       *prometheus.GaugeVec
}

// NewMetrics registers the metrics on reg (nil: unregistered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		shared: source.NewMetrics(reg),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wedadiag_cloudbase_requests_total",
			Help: "SearchClsLog requests by result (ok, throttled, server_error, network_error, client_error).",
		}, []string{"source", "result"}),
		throttled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wedadiag_cloudbase_throttled_total",
			Help: "SearchClsLog requests refused with RequestLimitExceeded.",
		}, []string{"source"}),
		duplicates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wedadiag_cloudbase_duplicates_total",
			Help: "Results dropped because they were already handed on (the poll overlap, restarts).",
		}, []string{"source"}),
		splits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wedadiag_cloudbase_window_splits_total",
			Help: "Query windows split because they reached the API's 10000-result cursor limit.",
		}, []string{"source"}),
		overflows: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wedadiag_cloudbase_window_overflows_total",
			Help: "One-second windows with more than 10000 results: the rest of that second is not read.",
		}, []string{"source"}),
		mark: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "wedadiag_cloudbase_mark_timestamp_seconds",
			Help: "Event time up to which every record was read and acknowledged (what a restart resumes from).",
		}, []string{"source"}),
	}
	if reg != nil {
		reg.MustRegister(m.requests, m.throttled, m.duplicates, m.splits, m.overflows, m.mark)
	}
	return m
}

// series is one source's children, resolved once.
type series struct {
	shared     source.For
	requests   map[string]prometheus.Counter
	throttled  prometheus.Counter
	duplicates prometheus.Counter
	splits     prometheus.Counter
	overflows  prometheus.Counter
	mark       prometheus.Gauge
}

func (m *Metrics) forSource(name string) *series {
	s := &series{
		shared:     m.shared.For(name),
		requests:   map[string]prometheus.Counter{},
		throttled:  m.throttled.WithLabelValues(name),
		duplicates: m.duplicates.WithLabelValues(name),
		splits:     m.splits.WithLabelValues(name),
		overflows:  m.overflows.WithLabelValues(name),
		mark:       m.mark.WithLabelValues(name),
	}
	for _, r := range []string{"ok", "throttled", "server_error", "network_error", "client_error"} {
		s.requests[r] = m.requests.WithLabelValues(name, r)
	}
	return s
}

// Delete removes a source's series (a source no longer configured).
func (m *Metrics) Delete(name string) {
	m.shared.Delete(name)
	m.requests.DeletePartialMatch(prometheus.Labels{"source": name})
	for _, v := range []*prometheus.CounterVec{m.throttled, m.duplicates, m.splits, m.overflows} {
		v.DeleteLabelValues(name)
	}
	m.mark.DeleteLabelValues(name)
}
