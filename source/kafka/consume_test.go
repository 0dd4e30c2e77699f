package kafka

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/wedadiag/wedadiag/record"
)

// Produce N, consume with acks: exactly N records, each once, with the
// fields the pipeline relies on; the group's commit reaches the end of
// every partition; the metrics count them.
func TestConsumeExact(t *testing.T) {
	const parts, n = 3, 300
	c := newCluster(t, parts)
	produce(t, c, 0, n, parts)
	reg := prometheus.NewPedanticRegistry()
	m := NewMetrics(reg)
	cons := startConsumer(t, testConfig(c), m, true, nil)
	recs := cons.take(n)

	got := seqs(t, recs)
	if len(got) != n {
		t.Fatalf("distinct records: %d, want %d", len(got), n)
	}
	r := recs[0]
	seq := seqOf(t, r.Text)
	if want := fmt.Sprintf("%s/%d", testTopic, seq%parts); r.Path != want {
		t.Errorf("Path = %q, want %q", r.Path, want)
	}
	if r.Source != "fn" || r.End != r.Offset+1 || r.Lines != 1 || r.Stream == 0 {
		t.Errorf("record fields: %+v", r)
	}
	if want := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(seq) * time.Millisecond); !r.Time.Equal(want) {
		t.Errorf("Time = %v, want %v (from __TIMESTAMP__)", r.Time, want)
	}
	if !cons.s.Ready() {
		t.Error("not ready while consuming")
	}
	cons.s.commit(context.Background(), nil)
	if got := committed(t, c, parts); fmt.Sprint(got) != "[100 100 100]" {
		t.Errorf("committed = %v, want [100 100 100]", got)
	}
	cons.s.listEnds(context.Background(), kadmOf(cons.s))
	cons.s.updateLag()
	cons.stop()
	if cons.s.Ready() {
		t.Error("ready after Run returned")
	}

	want := `
# HELP wedadiag_source_errors_total Errors the source met while reading (connecting, fetching, committing, polling).
# TYPE wedadiag_source_errors_total counter
wedadiag_source_errors_total{source="fn"} 0
# HELP wedadiag_source_lag How far the source is behind: records for kafka, seconds for cloudbase.
# TYPE wedadiag_source_lag gauge
wedadiag_source_lag{source="fn"} 0
# HELP wedadiag_source_records_total Records the source handed to the pipeline.
# TYPE wedadiag_source_records_total counter
wedadiag_source_records_total{source="fn"} 300
# HELP wedadiag_kafka_skipped_records_total Offsets skipped between records read, mostly records deleted by retention before they were read.
# TYPE wedadiag_kafka_skipped_records_total counter
wedadiag_kafka_skipped_records_total{source="fn"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want),
		"wedadiag_source_records_total", "wedadiag_source_errors_total", "wedadiag_source_lag",
		"wedadiag_kafka_skipped_records_total"); err != nil {
		t.Error(err)
	}
	if probs, err := testutil.GatherAndLint(reg); err != nil || len(probs) > 0 {
		t.Errorf("lint: %v %v", err, probs)
	}
	m.Delete("fn")
	if n, err := testutil.GatherAndCount(reg); err != nil || n != 0 {
		t.Errorf("%d series left after Delete (%v)", n, err)
	}
}

// A graceful stop commits what was acknowledged; a new consumer in the
// same group continues after it: no record twice, none missing.
func TestRestartContinues(t *testing.T) {
	const parts = 2
	c := newCluster(t, parts)
	produce(t, c, 0, 100, parts)
	a := startConsumer(t, testConfig(c), nil, true, nil)
	first := a.take(100)
	a.stop()
	if got := committed(t, c, parts); fmt.Sprint(got) != "[50 50]" {
		t.Fatalf("committed after stop = %v, want [50 50]", got)
	}

	produce(t, c, 100, 160, parts)
	b := startConsumer(t, testConfig(c), nil, true, nil)
	second := b.take(60)
	b.stop()
	if extra := b.all(); len(extra) != 60 {
		t.Errorf("second consumer got %d records, want 60", len(extra))
	}
	all := seqs(t, append(first, second...))
	for seq := range 160 {
		if !all[seq] {
			t.Errorf("seq %d never received", seq)
		}
	}
	if got := committed(t, c, parts); fmt.Sprint(got) != "[80 80]" {
		t.Errorf("committed = %v, want [80 80]", got)
	}
}

// kill -9: acks arrive out of order, one commit happens, more acks follow
// and then the process dies without committing again. The next consumer
// reads exactly the uncommitted tail of each partition: nothing lost, and
// nothing before the committed prefix again.
func TestKillLosesNothing(t *testing.T) {
	const parts, per = 3, 30
	c := newCluster(t, parts)
	produce(t, c, 0, parts*per, parts)
	reg := prometheus.NewRegistry()
	a := startConsumer(t, testConfig(c), NewMetrics(reg), false, nil)
	recs := a.take(parts * per)

	// Nothing acknowledged yet: every record is lag, and the oldest one
	// has an age.
	a.s.listEnds(context.Background(), kadmOf(a.s))
	a.s.updateLag()
	if err := testutil.GatherAndCompare(reg, strings.NewReader(`
# HELP wedadiag_kafka_partition_lag Records written to an assigned partition that the pipeline has not acknowledged yet.
# TYPE wedadiag_kafka_partition_lag gauge
wedadiag_kafka_partition_lag{partition="0",source="fn",topic="cls-topic"} 30
wedadiag_kafka_partition_lag{partition="1",source="fn",topic="cls-topic"} 30
wedadiag_kafka_partition_lag{partition="2",source="fn",topic="cls-topic"} 30
# HELP wedadiag_source_lag How far the source is behind: records for kafka, seconds for cloudbase.
# TYPE wedadiag_source_lag gauge
wedadiag_source_lag{source="fn"} 90
`), "wedadiag_kafka_partition_lag", "wedadiag_source_lag"); err != nil {
		t.Error(err)
	}
	if age := testutil.ToFloat64(a.s.sm.oldestAge); age <= 0 || age > 60 {
		t.Errorf("oldest unacked age %v s, want a few ms", age)
	}

	byPart := map[string][]record.Record{}
	for _, r := range recs {
		byPart[r.Path] = append(byPart[r.Path], r)
	}
	p0, p1, p2 := byPart[testTopic+"/0"], byPart[testTopic+"/1"], byPart[testTopic+"/2"]
	// Partition 0: everything, newest first.
	for i := len(p0) - 1; i >= 0; i-- {
		a.s.Ack(p0[i])
	}
	// Partition 1: the first 10, in reverse.
	for i := 9; i >= 0; i-- {
		a.s.Ack(p1[i])
	}
	// Partition 2: everything but offset 5: the prefix stops at 5.
	for i, r := range p2 {
		if i != 5 {
			a.s.Ack(r)
		}
	}
	a.s.commit(context.Background(), nil)
	if got := committed(t, c, parts); fmt.Sprint(got) != "[30 10 5]" {
		t.Fatalf("committed = %v, want [30 10 5]", got)
	}
	// Acknowledged after the last commit: lost with the process, so read
	// again.
	for _, r := range p1[10:15] {
		a.s.Ack(r)
	}
	a.s.crash.Store(true)
	a.stop()
	if got := committed(t, c, parts); fmt.Sprint(got) != "[30 10 5]" {
		t.Fatalf("committed after the crash = %v, want [30 10 5]", got)
	}

	b := startConsumer(t, testConfig(c), nil, true, nil)
	tail := b.take(20 + 25)
	b.stop()
	want := map[string][2]int64{testTopic + "/1": {10, 30}, testTopic + "/2": {5, 30}}
	seen := map[string]int64{}
	for _, r := range b.all() {
		w, ok := want[r.Path]
		if !ok || r.Offset < w[0] || r.Offset >= w[1] {
			t.Errorf("re-read %s@%d, outside the uncommitted tail", r.Path, r.Offset)
		}
		seen[r.Path]++
	}
	if seen[testTopic+"/1"] != 20 || seen[testTopic+"/2"] != 25 || len(b.all()) != 45 {
		t.Errorf("re-read %v (%d records), want 20 of partition 1 and 25 of partition 2", seen, len(b.all()))
	}
	// Nothing lost: the committed prefix plus the re-read tail is all.
	all := map[int]bool{}
	for _, r := range p0 {
		all[seqOf(t, r.Text)] = true
	}
	for _, r := range append(p1[:10:10], p2[:5]...) {
		all[seqOf(t, r.Text)] = true
	}
	for seq := range seqs(t, tail) {
		all[seq] = true
	}
	if len(all) != parts*per {
		t.Errorf("covered %d of %d records", len(all), parts*per)
	}
}

// Two consumers in one group split the partitions, the second joining and
// later leaving while records keep coming: every record is handed out
// exactly once over the two.
func TestTwoConsumersSplit(t *testing.T) {
	const parts, n = 4, 400
	c := newCluster(t, parts)
	reg := prometheus.NewRegistry()
	ma, mb := NewMetrics(reg), NewMetrics(prometheus.NewRegistry())
	produce(t, c, 0, 100, parts)
	cfgA, cfgB := testConfig(c), testConfig(c)
	cfgB.Name = "fn" // same source name on another instance
	a := startConsumer(t, cfgA, ma, true, nil)
	a.take(100)

	b := startConsumer(t, cfgB, mb, true, nil)
	produce(t, c, 100, 200, parts)
	waitSplit(t, a, b)
	produce(t, c, 200, 300, parts)
	waitTotal(t, 300, a, b)
	if len(b.all()) == 0 {
		t.Fatal("the second consumer got no record")
	}
	b.stop() // leaves mid-stream: its partitions go back to a
	produce(t, c, 300, n, parts)
	waitTotal(t, n, a, b)
	a.stop()

	ra, rb := a.all(), b.all()
	if len(ra)+len(rb) != n {
		t.Errorf("a got %d + b got %d = %d records, want exactly %d", len(ra), len(rb), len(ra)+len(rb), n)
	}
	if got := seqs(t, append(ra, rb...)); len(got) != n {
		t.Errorf("distinct records %d, want %d", len(got), n)
	}
	ca := testutil.ToFloat64(ma.common.For("fn").Records)
	cb := testutil.ToFloat64(mb.common.For("fn").Records)
	if ca+cb != n {
		t.Errorf("records_total: a %v + b %v != %d", ca, cb, n)
	}
	if got := committed(t, c, parts); fmt.Sprint(got) != "[100 100 100 100]" {
		t.Errorf("committed = %v, want [100 100 100 100]", got)
	}
}

// waitSplit waits until both consumers hold partitions.
func waitSplit(t *testing.T, cs ...*consumer) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		ok := true
		for _, c := range cs {
			if c.s.Status().Partitions == 0 {
				ok = false
			}
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the group did not split the partitions")
		}
		select {
		case <-cs[0].s.wakeCh():
		case <-cs[1].s.wakeCh():
		case <-time.After(time.Until(deadline)):
		}
	}
}

// waitTotal waits until the consumers received n records between them.
func waitTotal(t *testing.T, n int, cs ...*consumer) {
	t.Helper()
	deadline := time.After(waitFor)
	total := func() int {
		s := 0
		for _, c := range cs {
			s += len(c.all())
		}
		return s
	}
	for total() < n {
		select {
		case <-cs[0].tick:
		case <-cs[1].tick:
		case <-deadline:
			t.Fatalf("received %d of %d records", total(), n)
		}
	}
}

// start: newest skips what a new group finds already written: the first
// record received is one produced after the consumer joined.
func TestStartNewest(t *testing.T) {
	c := newCluster(t, 1)
	produce(t, c, 0, 50, 1)
	cfg := testConfig(c)
	cfg.Start = StartNewest
	cons := startConsumer(t, cfg, nil, true, nil)
	// Keep producing, one record at a time, until one arrives: when the
	// group's start offset is resolved is up to the client.
	pr, err := kgo.NewClient(append(clientOpts(c), kgo.ProducerLinger(0))...)
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		for seq := 50; ; seq++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			ctx, cancel := context.WithTimeout(context.Background(), waitFor)
			err := pr.ProduceSync(ctx, &kgo.Record{Topic: testTopic, Value: message(seq)}).FirstErr()
			cancel()
			if err != nil {
				done <- err
				return
			}
		}
	}()
	first := cons.take(1)[0]
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	cons.stop()
	if seq := seqOf(t, first.Text); seq < 50 {
		t.Errorf("first record seq %d: an old record was read with start: newest", seq)
	}
	for _, r := range cons.all() {
		if seq := seqOf(t, r.Text); seq < 50 {
			t.Errorf("old record seq %d read", seq)
		}
	}
}

// Several pipeline workers acknowledge in any order, concurrently: once all
// have acknowledged, the commit reaches the end of every partition.
func TestConcurrentAcks(t *testing.T) {
	const parts, n, workers = 3, 3000, 4
	c := newCluster(t, parts)
	produce(t, c, 0, n, parts)
	cons := startConsumer(t, testConfig(c), nil, false, nil)
	recs := cons.take(n)
	rand.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(recs); i += workers {
				cons.s.Ack(recs[i])
			}
		})
	}
	wg.Wait()
	cons.s.commit(context.Background(), nil)
	if got := committed(t, c, parts); fmt.Sprint(got) != "[1000 1000 1000]" {
		t.Errorf("committed = %v, want [1000 1000 1000]", got)
	}
	if in := cons.s.inflight.Load(); in != 0 {
		t.Errorf("%d records still in flight", in)
	}
}
