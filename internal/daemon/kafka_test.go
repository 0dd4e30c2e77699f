package daemon

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"

	"github.com/wedadiag/wedadiag/internal/testutil"
)

// CLS-like Kafka credentials: the logset id and "SecretId#SecretKey".
const (
	kafkaUser  = "0f8e4a52-logset"
	kafkaPass  = "AKIDtest#secretKeyTest"
	kafkaTopic = "cls-topic"
)

func newKafka(t testing.TB, partitions int32) *kfake.Cluster {
	t.Helper()
	c, err := kfake.NewCluster(
		kfake.NumBrokers(1),
		kfake.EnableSASL(),
		kfake.Superuser("PLAIN", kafkaUser, kafkaPass),
		kfake.SeedTopics(partitions, kafkaTopic),
	)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// produceCodes writes records from..to-1 round-robin over the partitions:
// CLS JSON records (JsonType 1, with meta fields) each carrying one WeDa
// error code.
func produceCodes(t testing.TB, c *kfake.Cluster, from, to int, partitions int32) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...),
		kgo.SASL(plain.Auth{User: kafkaUser, Pass: kafkaPass}.AsMechanism()),
		kgo.RecordPartitioner(kgo.ManualPartitioner()), kgo.ProducerLinger(0))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	var rs []*kgo.Record
	for seq := from; seq < to; seq++ {
		v := fmt.Appendf(nil, `{"SCF_FunctionName":"order","SCF_Level":"ERROR","SCF_Message":"Error: errCode: -501003 | errMsg: cloud.callFunction:fail requests exceed the environment quota seq=%d","__SOURCE__":"10.0.0.1","__PKGID__":"P-%d","__TIMESTAMP__":%d}`,
			seq, seq, time.Now().UnixMilli())
		rs = append(rs, &kgo.Record{Topic: kafkaTopic, Partition: int32(seq) % partitions, Value: v})
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := cl.ProduceSync(ctx, rs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// kafkaDaemon builds a daemon in its own directory whose one source is
// the kafka source "fn" on c, group "wedadiag".
func kafkaDaemon(t testing.TB, dir string, c *kfake.Cluster) *harness {
	t.Helper()
	testutil.WriteFile(t, dir+"/wedadiag.yaml", fmt.Sprintf(`listen: 127.0.0.1:0
state_dir: %q
sources:
  - name: fn
    type: kafka
    brokers: [%q]
    topics: [%q]
    group: wedadiag
    sasl: {mechanism: PLAIN, username: %q, password: %q}
    start: oldest
`, dir+"/state", c.ListenAddrs()[0], kafkaTopic, kafkaUser, kafkaPass))
	return newHarness(t, dir, newRecordSink(""), 0)
}

// TestKafkaTwoDaemonsOneGroup: two `wedadiag run` in one consumer group
// split the partitions; the sum of their counters equals the records
// produced, through a restart of one of them.
func TestKafkaTwoDaemonsOneGroup(t *testing.T) {
	const parts = 4
	c := newKafka(t, parts)
	a := kafkaDaemon(t, t.TempDir(), c)
	b := kafkaDaemon(t, t.TempDir(), c)
	a.start(t)
	b.start(t)
	for _, h := range []*harness{a, b} {
		testutil.Eventually(t, waitLimit, func() bool { return readyz(h.addr) == http.StatusOK }, "a daemon never joined the group")
	}
	const n = 400
	produceCodes(t, c, 0, n, parts)
	testutil.Eventually(t, waitLimit, func() bool { return a.sink.count()+b.sink.count() >= n },
		"%d+%d records, want %d", a.sink.count(), b.sink.count(), n)
	if err := a.stop(t); err != nil {
		t.Fatal(err)
	}
	// b takes a's partitions over; a's commits on leaving mean nothing is
	// read twice.
	const more = 200
	produceCodes(t, c, n, n+more, parts)
	testutil.Eventually(t, waitLimit, func() bool { return b.sink.count() >= n+more-a.sink.count() },
		"b: %d records, want %d", b.sink.count(), n+more-a.sink.count())
	if err := b.stop(t); err != nil {
		t.Fatal(err)
	}
	na, nb := a.sink.count(), b.sink.count()
	if na == 0 || nb == 0 {
		t.Errorf("the group did not split the partitions: %d and %d records", na, nb)
	}
	if na+nb != n+more {
		t.Errorf("%d + %d records, want %d", na, nb, n+more)
	}
	if da, db := diagnosed(t, a, "fn"), diagnosed(t, b, "fn"); da+db != n+more {
		t.Errorf("%v + %v diagnoses, want %d", da, db, n+more)
	}
	sa := metricValue(t, a, "wedadiag_source_records_total", map[string]string{"source": "fn"})
	sb := metricValue(t, b, "wedadiag_source_records_total", map[string]string{"source": "fn"})
	if int(sa+sb) != n+more {
		t.Errorf("wedadiag_source_records_total: %v + %v, want %d", sa, sb, n+more)
	}

	// A restart of a reads nothing again (all committed on stop)...
	a2 := newHarness(t, a.dir, newRecordSink(""), 0)
	a2.start(t)
	testutil.Eventually(t, waitLimit, func() bool { return readyz(a2.addr) == http.StatusOK }, "a2 never joined")
	const last = 50
	produceCodes(t, c, n+more, n+more+last, parts)
	a2.sink.wait(t, last)
	if err := a2.stop(t); err != nil {
		t.Fatal(err)
	}
	if got := a2.sink.count(); got != last {
		t.Errorf("after restart: %d records, want %d", got, last)
	}
}
