package cloudbase

import (
	"context"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// BenchmarkThroughput measures records per second through the fake API:
// signed requests, 100-result pages, dedupe, acks and state saves, with the
// rate limiter off (the real API allows 20 requests/s, i.e. at most 2000
// records/s per source). The fake's own work (signature check, JSON) runs
// on the same machine and is included.
func BenchmarkThroughput(b *testing.B) { benchThroughput(b, rate.Inf) }

// BenchmarkThroughputAt20PerSecond is the same with the API's own limit:
// at most 2000 records/s.
func BenchmarkThroughputAt20PerSecond(b *testing.B) { benchThroughput(b, DefaultRateLimit) }

func benchThroughput(b *testing.B, limit rate.Limit) {
	f := newFakeAPI(b)
	now := time.Now()
	f.Add(genLogs(0, b.N, now.Add(-50*time.Minute), now.Add(-10*time.Minute))...)
	srv := f.Start()
	cfg := Config{
		Name: "env", EnvID: f.EnvID, Region: f.Region, SecretID: Secret(f.SecretID), SecretKey: Secret(f.SecretKey),
		Endpoint: srv.URL, Backfill: time.Hour, Overlap: time.Minute, MaxWindow: 2 * time.Hour,
	}
	s, err := New(cfg, b.TempDir(), nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	s.limiter = rate.NewLimiter(limit, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	b.ReportAllocs()
	b.ResetTimer()
	began := time.Now()
	go func() { done <- s.Run(ctx) }()
	var bytes int64
	for range b.N {
		rec := <-s.Records()
		bytes += int64(len(rec.Text))
		s.Ack(rec)
	}
	elapsed := time.Since(began)
	b.StopTimer()
	cancel()
	for range s.Records() {
	}
	<-done
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "records/s")
	b.SetBytes(bytes / int64(b.N))
}
