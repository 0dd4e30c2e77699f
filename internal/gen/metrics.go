package gen

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wedadiag/wedadiag/internal/daemon"
)

// Metric is one metric the daemon exports.
type Metric struct {
	Name   string
	Type   string // counter or gauge
	Labels []string
	Help   string
}

// Metrics returns the metrics wedadiag exports, read from the collectors
// the daemon registers (daemon.RegisterMetrics): every wedadiag_ metric
// but the detail diagnostics (wedadiag_tailer_*, wedadiag_alerts_state_*). They are the only
// names a generated dashboard or rule may use, and the list an end-to-end
// test compares with a real scrape. Sorted by name; a fresh slice.
func Metrics() []Metric {
	ms, err := Describe(daemon.RegisterMetrics)
	if err != nil {
		// The daemon's collectors are fixed at compile time; the tests
		// of this package run this.
		panic(err)
	}
	var out []Metric
	for _, m := range ms {
		if strings.HasPrefix(m.Name, "wedadiag_") && !detail(m.Name) {
			out = append(out, m)
		}
	}
	return out
}

// detail reports the diagnostics of one part that are not in DESIGN's
// metric contract: the tailer's wedadiag_tailer_* and the alert state's
// wedadiag_alerts_state_*. They are exported, documented where they are
// made, and not on the dashboard.
func detail(name string) bool {
	return strings.HasPrefix(name, "wedadiag_tailer_") || strings.HasPrefix(name, "wedadiag_alerts_state_")
}

// Describe returns every metric that register registers, sorted by name,
// from the collectors' descriptors. Counters and gauges, plain or vectors,
// have their type; other collectors (the Go and process collectors) are
// listed with type "".
func Describe(register func(prometheus.Registerer)) ([]Metric, error) {
	rec := &recorder{reg: prometheus.NewRegistry()}
	register(rec)
	if rec.err != nil {
		return nil, rec.err
	}
	var out []Metric
	for _, c := range rec.collectors {
		typ := ""
		switch c.(type) { // Gauge first: a Gauge is also a Counter
		case prometheus.Gauge, *prometheus.GaugeVec:
			typ = "gauge"
		case prometheus.Counter, *prometheus.CounterVec:
			typ = "counter"
		}
		ch := make(chan *prometheus.Desc)
		go func() {
			c.Describe(ch)
			close(ch)
		}()
		for d := range ch {
			m, err := parseDesc(d.String())
			if err != nil {
				return nil, err
			}
			m.Type = typ
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b Metric) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// recorder is a Registerer that keeps what is registered, and registers it
// on a private registry too, so that a clash fails as it would in the
// daemon.
type recorder struct {
	reg        *prometheus.Registry
	collectors []prometheus.Collector
	err        error
}

func (r *recorder) Register(c prometheus.Collector) error {
	if err := r.reg.Register(c); err != nil {
		return err
	}
	r.collectors = append(r.collectors, c)
	return nil
}

func (r *recorder) MustRegister(cs ...prometheus.Collector) {
	for _, c := range cs {
		if err := r.Register(c); err != nil && r.err == nil {
			r.err = err
		}
	}
}

func (r *recorder) Unregister(c prometheus.Collector) bool { return r.reg.Unregister(c) }

// Fields of prometheus.Desc.String(), which reads
// Desc{fqName: "…", help: "…", [unit: "…",] constLabels: {a="x"}, variableLabels: {c,d}}.
var (
	descNameRE     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^Desc\{fqName: ("(?:[^"\\]|\\.)*")`) })
	descHelpRE     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`, help: ("(?:[^"\\]|\\.)*")`) })
	descConstRE    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`, constLabels: \{((?:[^"{}]|"(?:[^"\\]|\\.)*")*)\}`) })
	descVariableRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`, variableLabels: \{([^"{}]*)\}\}$`) })
	constLabelRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?:^|,)([a-zA-Z_][a-zA-Z0-9_]*)="(?:[^"\\]|\\.)*"`) })
)

func parseDesc(s string) (Metric, error) {
	name, help, consts, vars := descNameRE().FindStringSubmatch(s), descHelpRE().FindStringSubmatch(s),
		descConstRE().FindStringSubmatch(s), descVariableRE().FindStringSubmatch(s)
	if name == nil || help == nil || consts == nil || vars == nil {
		return Metric{}, fmt.Errorf("metric descriptor %s: not in the form client_golang writes", s)
	}
	var m Metric
	var err error
	if m.Name, err = strconv.Unquote(name[1]); err != nil {
		return Metric{}, fmt.Errorf("metric descriptor %s: %v", s, err)
	}
	if m.Help, err = strconv.Unquote(help[1]); err != nil {
		return Metric{}, fmt.Errorf("metric descriptor %s: %v", s, err)
	}
	for _, c := range constLabelRE().FindAllStringSubmatch(consts[1], -1) {
		m.Labels = append(m.Labels, c[1])
	}
	for _, v := range strings.Split(vars[1], ",") {
		if v = strings.TrimSpace(v); v != "" {
			m.Labels = append(m.Labels, v)
		}
	}
	return m, nil
}

// SourceMetrics returns the metrics exported only when a kafka or
// cloudbase source is configured or cloud functions' platform records are
// read: generated files may use them, a scrape of a daemon that follows
// only files has none of them. It returns a fresh slice.
func SourceMetrics() []Metric {
	src := []string{"source"}
	fn := []string{"source", "function"}
	return []Metric{
		{"wedadiag_source_records_total", "counter", src, "Records a kafka or cloudbase source handed to the pipeline."},
		{"wedadiag_source_errors_total", "counter", src, "Errors a kafka or cloudbase source met (connecting, fetching, committing, polling)."},
		{"wedadiag_source_lag", "gauge", src, "How far a source is behind: records for kafka, seconds for cloudbase."},
		{"wedadiag_kafka_oldest_unacked_age_seconds", "gauge", src, "Age of the oldest Kafka record read and not acknowledged; CLS keeps records 2 hours."},
		{"wedadiag_kafka_skipped_records_total", "counter", src, "Kafka offsets skipped, mostly records deleted by retention before they were read."},
		{"wedadiag_kubernetes_diagnoses_total", "counter", []string{"source", "namespace", "container", "id", "severity"}, "Diagnoses of pod-log sources by namespace and container (opt-in, bounded)."},
		{"wedadiag_function_invocations_total", "counter", []string{"source", "function", "status"}, "Cloud-function invocations by function and SCF status."},
		{"wedadiag_function_duration_seconds", "histogram", fn, "Cloud-function run time per function."},
		{"wedadiag_function_memory_bytes", "histogram", fn, "Cloud-function memory used per function."},
	}
}

// names returns the set of metric names in ms (a histogram's series:
// _bucket, _sum, _count).
func names(ms []Metric) map[string]bool {
	out := make(map[string]bool, len(ms))
	for _, m := range ms {
		if m.Type == "histogram" {
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				out[m.Name+suffix] = true
			}
			continue
		}
		out[m.Name] = true
	}
	return out
}
