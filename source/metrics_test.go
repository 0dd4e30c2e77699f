package source

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// Two source kinds build their metrics on one registry: the shared series
// are registered once and both write to them.
func TestSharedMetrics(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	a, b := NewMetrics(reg), NewMetrics(reg)
	a.For("fn").Records.Add(3)
	b.For("env").Records.Inc()
	b.For("env").Lag.Set(12)
	a.For("gone").Errors.Inc()
	a.Delete("gone")
	want := `
# HELP wedadiag_source_errors_total Errors the source met while reading (connecting, fetching, committing, polling).
# TYPE wedadiag_source_errors_total counter
wedadiag_source_errors_total{source="env"} 0
wedadiag_source_errors_total{source="fn"} 0
# HELP wedadiag_source_lag How far the source is behind: records for kafka, seconds for cloudbase.
# TYPE wedadiag_source_lag gauge
wedadiag_source_lag{source="env"} 12
wedadiag_source_lag{source="fn"} 0
# HELP wedadiag_source_records_total Records the source handed to the pipeline.
# TYPE wedadiag_source_records_total counter
wedadiag_source_records_total{source="env"} 1
wedadiag_source_records_total{source="fn"} 3
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want)); err != nil {
		t.Error(err)
	}
	if probs, err := testutil.GatherAndLint(reg); err != nil || len(probs) > 0 {
		t.Errorf("lint: %v %v", err, probs)
	}
}
