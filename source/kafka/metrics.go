package kafka

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wedadiag/wedadiag/source"
)

// Commit results, the values of the `result` label of
// wedadiag_kafka_commits_total.
const (
	resultSuccess = "success"
	resultFailure = "failure"
)

// Rebalance events, the values of the `event` label of
// wedadiag_kafka_rebalances_total.
const (
	eventAssigned = "assigned"
	eventRevoked  = "revoked"
	eventLost     = "lost"
)

// Metrics are the Kafka source's metrics: the shared source metrics plus
// Kafka's own. Label values are the source name, topics from the
// configuration and partition numbers (bounded by the topics' partition
// counts).
type Metrics struct {
	common       *source.Metrics
	partLag      *prometheus.GaugeVec
	oldestAge    *prometheus.GaugeVec
	skipped      *prometheus.CounterVec
	commits      *prometheus.CounterVec
	rebalances   *prometheus.CounterVec
	assignedNow  *prometheus.GaugeVec
	fetchedBytes *prometheus.CounterVec
}

// NewMetrics creates the metrics on reg (never the global registry). The
// shared wedadiag_source_* series are registered once per registry,
// whichever source kind comes first. A nil reg leaves them unregistered.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	src := []string{"source"}
	m := &Metrics{
		common: source.NewMetrics(reg),
		partLag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "wedadiag", Subsystem: "kafka", Name: "partition_lag",
			Help: "Records written to an assigned partition that the pipeline has not acknowledged yet.",
		}, []string{"source", "topic", "partition"}),
		oldestAge: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "wedadiag", Subsystem: "kafka", Name: "oldest_unacked_age_seconds",
			Help: "Age of the oldest record read and not yet acknowledged (0 when none); CLS keeps records 2 hours.",
		}, src),
		skipped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "wedadiag", Subsystem: "kafka", Name: "skipped_records_total",
			Help: "Offsets skipped between records read, mostly records deleted by retention before they were read.",
		}, src),
		commits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "wedadiag", Subsystem: "kafka", Name: "commits_total",
			Help: "Offset commits to the consumer group, by result.",
		}, []string{"source", "result"}),
		rebalances: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "wedadiag", Subsystem: "kafka", Name: "rebalances_total",
			Help: "Partition assignment changes, by event: assigned, revoked, lost.",
		}, []string{"source", "event"}),
		assignedNow: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "wedadiag", Subsystem: "kafka", Name: "partitions_assigned",
			Help: "Partitions assigned to this instance.",
		}, src),
		fetchedBytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "wedadiag", Subsystem: "kafka", Name: "bytes_total",
			Help: "Bytes of record values handed to the pipeline.",
		}, src),
	}
	if reg != nil {
		reg.MustRegister(m.partLag, m.oldestAge, m.skipped, m.commits, m.rebalances, m.assignedNow, m.fetchedBytes)
	}
	return m
}

// sourceMetrics are one source's series, resolved once.
type sourceMetrics struct {
	name                    string
	m                       *Metrics
	common                  source.For
	oldestAge, assignedNow  prometheus.Gauge
	skipped, bytes          prometheus.Counter
	commitOK, commitFail    prometheus.Counter
	assigned, revoked, lost prometheus.Counter
}

func (m *Metrics) forSource(name string) *sourceMetrics {
	return &sourceMetrics{
		name:        name,
		m:           m,
		common:      m.common.For(name),
		oldestAge:   m.oldestAge.WithLabelValues(name),
		assignedNow: m.assignedNow.WithLabelValues(name),
		skipped:     m.skipped.WithLabelValues(name),
		bytes:       m.fetchedBytes.WithLabelValues(name),
		commitOK:    m.commits.WithLabelValues(name, resultSuccess),
		commitFail:  m.commits.WithLabelValues(name, resultFailure),
		assigned:    m.rebalances.WithLabelValues(name, eventAssigned),
		revoked:     m.rebalances.WithLabelValues(name, eventRevoked),
		lost:        m.rebalances.WithLabelValues(name, eventLost),
	}
}

func (sm *sourceMetrics) partLag(topic string, part int32) prometheus.Gauge {
	return sm.m.partLag.WithLabelValues(sm.name, topic, strconv.Itoa(int(part)))
}

func (sm *sourceMetrics) dropPartition(topic string, part int32) {
	sm.m.partLag.DeleteLabelValues(sm.name, topic, strconv.Itoa(int(part)))
}

// Delete removes every series of a source that is no longer configured
// (after its Run returned).
func (m *Metrics) Delete(name string) {
	m.common.Delete(name)
	for _, v := range []*prometheus.MetricVec{m.partLag.MetricVec, m.oldestAge.MetricVec,
		m.skipped.MetricVec, m.commits.MetricVec, m.rebalances.MetricVec,
		m.assignedNow.MetricVec, m.fetchedBytes.MetricVec} {
		v.DeletePartialMatch(prometheus.Labels{"source": name})
	}
}
