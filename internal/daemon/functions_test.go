package daemon

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	promtest "github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/internal/config"
	"github.com/wedadiag/wedadiag/parse"
	"github.com/wedadiag/wedadiag/record"
)

func platformOutcome(fn, status, dur, mem, msg string) *diagnose.Outcome {
	return &diagnose.Outcome{
		Record: &record.Record{Source: "env"},
		Event: &parse.Event{Format: parse.FormatSCF, Message: msg, Fields: map[string]string{
			"SCF_Type": "Platform", "SCF_FunctionName": fn, "SCF_StatusCode": status,
			"SCF_Duration": dur, "SCF_MemUsage": mem}},
	}
}

// TestFunctionHealth: invocations by status, duration and memory per
// function, bounded by the configured names and the first max others.
func TestFunctionHealth(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	f := newFunctionHealth(reg, cat)
	f.configure(config.Functions{Names: []string{"pay"}, Max: 1})
	for _, o := range []*diagnose.Outcome{
		platformOutcome("order", "200", "120", "33554432", "Report RequestId: r1"),
		platformOutcome("order", "433", "3000", "33554432", "Report RequestId: r2"),
		platformOutcome("login", "434", "50", "268435456", "Report RequestId: r3"), // past max: other
		platformOutcome("pay", "999", "10", "1048576", "Report RequestId: r4"),     // named; unknown status
		platformOutcome("order", "200", "120", "33554432", "START RequestId: r5"),  // not an invocation
	} {
		f.Record(o)
	}
	custom := platformOutcome("order", "200", "1", "1", "hello")
	custom.Event.Fields["SCF_Type"] = "Custom"
	f.Record(custom)
	f.Record(&diagnose.Outcome{Record: &record.Record{Source: "env"}}) // unparsed

	inv := func(fn, status string) float64 {
		return promtest.ToFloat64(f.invocations.WithLabelValues("env", fn, status))
	}
	for _, c := range []struct {
		fn, status string
		want       float64
	}{{"order", "200", 1}, {"order", "433", 1}, {"other", "434", 1}, {"pay", "other", 1}} {
		if got := inv(c.fn, c.status); got != c.want {
			t.Errorf("invocations{%s,%s} = %v, want %v", c.fn, c.status, got, c.want)
		}
	}
	if n := promtest.CollectAndCount(f.invocations); n != 4 {
		t.Errorf("%d invocation series, want 4", n)
	}
	if n := promtest.CollectAndCount(f.duration); n != 3 {
		t.Errorf("%d duration series, want 3 (order, other, pay)", n)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var count uint64
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() == "wedadiag_function_duration_seconds" {
			for _, m := range mf.GetMetric() {
				if labelOf(m, "function") == "order" {
					count, sum = m.GetHistogram().GetSampleCount(), m.GetHistogram().GetSampleSum()
				}
			}
		}
	}
	if count != 2 || sum < 3.119 || sum > 3.121 {
		t.Errorf("order's duration: count %d sum %v, want 2 and 3.12 s", count, sum)
	}
}
