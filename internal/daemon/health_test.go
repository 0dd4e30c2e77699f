package daemon

import (
	"math"
	"testing"
	"time"
)

// Rates are lines per second over about the last minute, from the values
// seen at earlier calls; the history they keep stays small.
func TestRates(t *testing.T) {
	var r rates
	t0 := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	if got := r.observe(t0, nil); len(got) != 0 {
		t.Errorf("first call: %v", got)
	}
	// 10 s later, 100 lines: 10/s since the start.
	if got := r.observe(t0.Add(10*time.Second), map[string]float64{"app": 100}); got["app"] != 10 {
		t.Errorf("after 10 s: %v, want app 10/s", got)
	}
	// Every 5 s for five minutes at 2 lines/s: the rate follows the last
	// minute, not the burst at the start.
	n := 100.0
	for i := 1; i <= 60; i++ {
		n += 10
		r.observe(t0.Add(10*time.Second+time.Duration(i)*5*time.Second), map[string]float64{"app": n})
	}
	got := r.observe(t0.Add(10*time.Second+301*time.Second), map[string]float64{"app": n + 2})
	if math.Abs(got["app"]-2) > 0.1 {
		t.Errorf("after five minutes at 2/s: %v", got)
	}
	if len(r.hist) > 16 {
		t.Errorf("%d values kept", len(r.hist))
	}
	// A source that read nothing has no rate; a counter reset is no rate.
	got = r.observe(t0.Add(400*time.Second), map[string]float64{"app": 0, "idle": 0})
	if got["app"] != 0 || got["idle"] != 0 {
		t.Errorf("after a reset: %v", got)
	}
}
