package daemon

import (
	"strconv"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/internal/config"
	"github.com/wedadiag/wedadiag/parse"
)

// otherFunction is the function label of the functions past the bound.
const otherFunction = "other"

// functionHealth is the cloud-function health sink: for each platform
// record of an invocation (SCF_Type Platform with SCF_Duration, the report
// CLS stores once per invocation; START and END lines are not
// invocations) it counts the invocation by status and observes its
// duration and memory, per function.
//
// Label values are bounded: function is a configured name, one of the
// first Max others seen, or "other"; status is 200, 202, an SCF status the
// catalog's platform tier knows, or "other".
type functionHealth struct {
	invocations *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	memory      *prometheus.HistogramVec
	// statuses, named and seen map a label value to itself: the label
	// is the map's copy, never the record's text, which the parser reuses.
	statuses map[string]string

	mu    sync.Mutex
	named map[string]string
	seen  map[string]string
	max   int
}

func newFunctionHealth(reg prometheus.Registerer, cat *catalog.Catalog) *functionHealth {
	fl := []string{"source", "function"}
	f := &functionHealth{
		invocations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "wedadiag", Name: "function_invocations_total",
			Help: "Cloud-function invocations seen in platform records (CLS), by function and SCF status.",
		}, []string{"source", "function", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "wedadiag", Name: "function_duration_seconds",
			Help:    "Cloud-function run time (SCF_Duration) of the invocations seen.",
			Buckets: []float64{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900},
		}, fl),
		memory: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "wedadiag", Name: "function_memory_bytes",
			Help:    "Cloud-function memory used (SCF_MemUsage) by the invocations seen.",
			Buckets: prometheus.ExponentialBuckets(16<<20, 2, 9), // 16 MiB … 4 GiB
		}, fl),
		statuses: map[string]string{"200": "200", "202": "202"},
		named:    map[string]string{},
		seen:     map[string]string{},
	}
	for _, e := range cat.Entries() {
		if e.Source == catalog.SourcePlatform && e.Domain == "scf" {
			if _, err := strconv.Atoi(e.Code); err == nil {
				f.statuses[e.Code] = e.Code
			}
		}
	}
	reg.MustRegister(f.invocations, f.duration, f.memory)
	return f
}

// configure sets the bound from the configuration (start and reload);
// functions already seen keep their series.
func (f *functionHealth) configure(c config.Functions) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.named = make(map[string]string, len(c.Names))
	for _, n := range c.Names {
		f.named[n] = n
	}
	f.max = c.Max
}

// function returns the label of a function name.
func (f *functionHealth) function(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if name == "" {
		return otherFunction
	}
	if n, ok := f.named[name]; ok {
		return n
	}
	if n, ok := f.seen[name]; ok {
		return n
	}
	if len(f.seen) < f.max {
		n := strings.Clone(name)
		f.seen[n] = n
		return n
	}
	return otherFunction
}

// Observe does nothing: the sink reads records.
func (f *functionHealth) Observe(diagnose.Occurrence) {}

// Record counts one invocation when the record is a platform report.
func (f *functionHealth) Record(o *diagnose.Outcome) {
	ev := o.Event
	if ev == nil || ev.Format != parse.FormatSCF || ev.Field("SCF_Type") != "Platform" {
		return
	}
	durText, ok := ev.LookupField("SCF_Duration")
	if !ok || strings.HasPrefix(ev.Message, "START ") || strings.HasPrefix(ev.Message, "END ") {
		return
	}
	fn := f.function(ev.Field("SCF_FunctionName"))
	status, ok := f.statuses[ev.Field("SCF_StatusCode")]
	if !ok {
		status = otherFunction
	}
	src := o.Record.Source
	f.invocations.WithLabelValues(src, fn, status).Inc()
	if ms, err := strconv.ParseFloat(durText, 64); err == nil && ms >= 0 {
		f.duration.WithLabelValues(src, fn).Observe(ms / 1000)
	}
	if b, err := strconv.ParseFloat(ev.Field("SCF_MemUsage"), 64); err == nil && b >= 0 {
		f.memory.WithLabelValues(src, fn).Observe(b)
	}
}

// WantsSample: it keeps no samples (diagnose.SampleUser).
func (*functionHealth) WantsSample(*diagnose.Occurrence) bool { return false }
