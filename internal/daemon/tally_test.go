package daemon

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/record"
)

// batches is a BatchSource of batches made beforehand.
type batches struct {
	ch    chan []record.Record
	acked chan int
}

func (b *batches) Run(context.Context) error       { return nil }
func (b *batches) Ready() bool                     { return true }
func (b *batches) Records() <-chan record.Record   { return nil }
func (b *batches) Ack(record.Record)               { b.acked <- 1 }
func (b *batches) Batches() <-chan []record.Record { return b.ch }
func (b *batches) AckBatch(recs []record.Record)   { b.acked <- len(recs) }

// Each worker tallies its records by source and adds them to
// wedadiag_records_total once a batch (recordTally): with several workers
// and batches that mix sources, every record is counted once under its
// own source, and before its batch is acknowledged.
func TestRecordTallyCountsEveryRecord(t *testing.T) {
	cat, set := builtinRules(t)
	prog := &diagnose.Program{Set: set}
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprint(workers, " workers"), func(t *testing.T) {
			m := newPipelineMetrics(prometheus.NewRegistry(), Build{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
			sources := []string{"app", "fn", "gateway"}
			m.initSources(sources)
			p := diagnose.New(diagnose.Config{Program: func() *diagnose.Program { return prog },
				Resolver: diagnose.NewResolver(cat), Sinks: []diagnose.Sink{m}})
			src := &batches{ch: make(chan []record.Record), acked: make(chan int, 1<<16)}
			want := map[string]float64{}
			early := make(chan int, 1)
			sent := make(chan bool)
			go func() {
				defer close(sent)
				for i := range 500 {
					var batch []record.Record
					for j := range 1 + i%7 {
						s := sources[(i+j/3)%len(sources)] // runs of a source, then another
						want[s]++
						batch = append(batch, record.Record{Source: s, Offset: int64(j), Text: []byte("INFO ok " + fmt.Sprint(i, j))})
					}
					src.ch <- batch
				}
				close(src.ch)
			}()
			go func() {
				// Whenever a batch is acknowledged, its records are counted.
				total, bad := 0, 0
				for n := range src.acked {
					total += n
					sum := 0.0
					for _, s := range sources {
						sum += testutil.ToFloat64(m.records.WithLabelValues(s))
					}
					if sum < float64(total) {
						bad++
					}
				}
				early <- bad
			}()
			p.Consume(src, workers)
			close(src.acked)
			<-sent
			for _, s := range sources {
				if got := testutil.ToFloat64(m.records.WithLabelValues(s)); got != want[s] {
					t.Errorf("source %s: wedadiag_records_total %v, sent %v", s, got, want[s])
				}
			}
			if n := <-early; n > 0 {
				t.Errorf("%d batches were acknowledged before their records were counted", n)
			}
		})
	}
}
