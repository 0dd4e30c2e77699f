package notify

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestMetrics: each receiver's series exist at 0 from the start, follow a
// reload (new receivers created, removed ones deleted) and pass promtool's
// lint.
func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	rc := func(name string) Receiver {
		return Receiver{Name: name, Type: TypeWebhook, URL: "http://127.0.0.1:1/"}
	}
	newNotifier(t, Config{Receivers: []Receiver{rc("ops"), rc("am")}}, nil, m)
	want := func(names ...string) string {
		var b strings.Builder
		for _, metric := range []struct{ name, help string }{
			{"dropped_total", "Alert messages dropped because a receiver's queue was full or at shutdown."},
			{"failed_total", "Alert messages a receiver refused, or that were given up after retries."},
			{"sent_total", "Alert messages delivered to a receiver."},
		} {
			b.WriteString("# HELP wedadiag_alerts_" + metric.name + " " + metric.help + "\n")
			b.WriteString("# TYPE wedadiag_alerts_" + metric.name + " counter\n")
			for _, n := range names {
				b.WriteString("wedadiag_alerts_" + metric.name + `{receiver="` + n + `"} 0` + "\n")
			}
		}
		return b.String()
	}
	names := []string{"wedadiag_alerts_dropped_total", "wedadiag_alerts_failed_total", "wedadiag_alerts_sent_total"}
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want("am", "ops")), names...); err != nil {
		t.Error(err)
	}
	// A reload drops "am" and adds "hook".
	newNotifier(t, Config{Receivers: []Receiver{rc("ops"), rc("hook")}}, nil, m)
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want("hook", "ops")), names...); err != nil {
		t.Error(err)
	}
	if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", err, problems)
	}
}
