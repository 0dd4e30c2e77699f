package diagnose

import (
	"testing"
	"time"
)

// The live view keeps a per-minute trend of the last hour, in bounded
// memory: minutes that passed are cleared, a gap of an hour or more clears
// them all.
func TestTrendPerMinute(t *testing.T) {
	cat := testCatalog(t)
	e := cat.Entries()[0]
	now := time.Date(2026, 12, 2, 8, 0, 30, 0, time.UTC)
	a := NewAggregator(cat, Options{Window: 2 * time.Hour, Now: func() time.Time { return now }})
	observe := func(n int) {
		for range n {
			a.Observe(Occurrence{Entry: e, Source: "app", Sample: "x", Path: "/var/log/app.log", Offset: 42, RequestID: "req-1"})
		}
	}
	observe(3)
	now = now.Add(2 * time.Minute)
	observe(1)
	d := a.Diagnoses("en")[0]
	if len(d.Trend) != TrendMinutes {
		t.Fatalf("trend has %d values, want %d", len(d.Trend), TrendMinutes)
	}
	if d.Trend[TrendMinutes-1] != 1 || d.Trend[TrendMinutes-2] != 0 || d.Trend[TrendMinutes-3] != 3 {
		t.Errorf("trend tail %v, want [3 0 1]", d.Trend[TrendMinutes-3:])
	}
	var sum int64
	for _, n := range d.Trend {
		sum += n
	}
	if sum != 4 {
		t.Errorf("trend sums to %d, want 4", sum)
	}
	if len(d.SampleInfo) != 1 || d.SampleInfo[0].Path != "/var/log/app.log" || d.SampleInfo[0].Offset != 42 ||
		d.SampleInfo[0].RequestID != "req-1" || d.SampleInfo[0].Text != "x" || d.SampleInfo[0].Source != "app" {
		t.Errorf("sample info %+v", d.SampleInfo)
	}
	// 59 minutes on, the 3 have left the hour; 61 minutes on, everything.
	now = now.Add(59 * time.Minute)
	d = a.Diagnoses("en")[0]
	if d.Trend[0] != 1 || d.Trend[TrendMinutes-1] != 0 {
		t.Errorf("after 59 minutes: first %d last %d, want 1 0", d.Trend[0], d.Trend[TrendMinutes-1])
	}
	now = now.Add(2 * time.Hour / 3)
	observe(2)
	d = a.Diagnoses("en")[0]
	sum = 0
	for _, n := range d.Trend {
		sum += n
	}
	if sum != 2 || d.Trend[TrendMinutes-1] != 2 {
		t.Errorf("after a long gap the trend is %v, want only the 2 new ones", d.Trend)
	}
}

// scan (no window) keeps neither: its JSON does not change.
func TestNoTrendWithoutWindow(t *testing.T) {
	cat := testCatalog(t)
	a := NewAggregator(cat, Options{})
	a.Observe(Occurrence{Entry: cat.Entries()[0], Sample: "x", Path: "p"})
	d := a.Diagnoses("zh")[0]
	if d.Trend != nil || d.SampleInfo != nil {
		t.Errorf("trend %v sample info %v without a window", d.Trend, d.SampleInfo)
	}
}
