package kafka

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// BenchmarkConsume measures records/s consumed from an in-process broker
// (SASL PLAIN, 4 partitions, CLS-like JSON values), each acknowledged at
// once, group join included. Producing happens before the timer starts.
func BenchmarkConsume(b *testing.B) {
	const parts = 4
	c := newCluster(b, parts)
	produce(b, c, 0, b.N, parts)
	cfg := testConfig(c)
	cfg.CommitInterval = time.Second
	s, err := New(cfg, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	s.extra = []kgo.Opt{kgo.FetchMaxWait(100 * time.Millisecond)}
	b.SetBytes(int64(len(message(0))))
	b.ResetTimer()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	n := 0
	for rec := range s.Records() {
		s.Ack(rec)
		if n++; n == b.N {
			break
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
	cancel()
	for rec := range s.Records() {
		s.Ack(rec)
	}
	if err := <-done; err != nil {
		b.Fatal(err)
	}
}
