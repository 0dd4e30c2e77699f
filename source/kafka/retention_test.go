package kafka

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// CLS keeps records 2 hours. A group whose committed offset fell below the
// log start (the records were deleted while nobody read them) resumes at
// the oldest record left; the gap is counted, nothing that still exists is
// skipped.
func TestRetentionGapCounted(t *testing.T) {
	c := newCluster(t, 1)
	produce(t, c, 0, 100, 1)
	a := startConsumer(t, testConfig(c), nil, true, nil)
	a.take(100)
	a.stop()
	produce(t, c, 100, 200, 1)

	// Retention deletes everything below offset 150.
	cl, err := kgo.NewClient(clientOpts(c)...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	del := kadm.Offsets{}
	del.Add(kadm.Offset{Topic: testTopic, Partition: 0, At: 150})
	resp, err := kadm.NewClient(cl).DeleteRecords(context.Background(), del)
	if err != nil {
		t.Fatal(err)
	}
	if err := resp.Error(); err != nil {
		t.Fatal(err)
	}

	reg := prometheus.NewRegistry()
	b := startConsumer(t, testConfig(c), NewMetrics(reg), true, nil)
	recs := b.take(50)
	b.stop()
	if recs[0].Offset != 150 || len(b.all()) != 50 {
		t.Errorf("resumed at %d with %d records, want 150 and 50", recs[0].Offset, len(b.all()))
	}
	want := `
# HELP wedadiag_kafka_skipped_records_total Offsets skipped between records read, mostly records deleted by retention before they were read.
# TYPE wedadiag_kafka_skipped_records_total counter
wedadiag_kafka_skipped_records_total{source="fn"} 50
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "wedadiag_kafka_skipped_records_total"); err != nil {
		t.Error(err)
	}
}

// Wrong credentials: the source never becomes ready and counts errors; Run
// still returns when told to.
func TestWrongPassword(t *testing.T) {
	c := newCluster(t, 1)
	cfg := testConfig(c)
	cfg.SASL.Password = "AKIDtest#wrong"
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	cons := startConsumer(t, cfg, m, true, nil)
	errs := m.common.For("fn").Errors
	deadline := time.After(waitFor)
	for {
		ch := cons.s.wakeCh()
		if testutil.ToFloat64(errs) > 0 {
			break
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatal("no error counted for a failed authentication")
		}
	}
	if cons.s.Ready() {
		t.Error("ready without a group")
	}
	st := cons.s.Status()
	if st.LastError == "" || strings.Contains(st.LastError, "wrong") {
		t.Errorf("last error %q: want one, without the password", st.LastError)
	}
	cons.stop()
}
