package kafka

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"

	"github.com/wedadiag/wedadiag/record"
)

// CLS-like credentials: the logset id and "SecretId#SecretKey".
const (
	testUser  = "0f8e4a52-logset"
	testPass  = "AKIDtest#secretKeyTest"
	testTopic = "cls-topic"
	testGroup = "wedadiag"
)

// waitFor bounds every wait of these tests; a healthy run takes well under
// a second per wait.
const waitFor = 30 * time.Second

// newCluster starts an in-process broker with SASL PLAIN on and one topic
// of the given partition count.
func newCluster(t testing.TB, partitions int32) *kfake.Cluster {
	t.Helper()
	c, err := kfake.NewCluster(
		kfake.NumBrokers(1),
		kfake.EnableSASL(),
		kfake.Superuser("PLAIN", testUser, testPass),
		kfake.SeedTopics(partitions, testTopic),
		kfake.GroupMinSessionTimeout(100*time.Millisecond),
	)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func clientOpts(c *kfake.Cluster) []kgo.Opt {
	return []kgo.Opt{
		kgo.SeedBrokers(c.ListenAddrs()...),
		kgo.SASL(plain.Auth{User: testUser, Pass: testPass}.AsMechanism()),
	}
}

// message is a CLS JSON record (JsonType 1) whose SCF_Message carries a
// known sequence number.
func message(seq int) []byte {
	return fmt.Appendf(nil, `{"SCF_FunctionName":"getOrders","SCF_Level":"ERROR","SCF_Message":"FnError.Timeout seq=%06d","__SOURCE__":"10.0.0.1","__FILENAME__":"","__HOSTNAME__":"scf","__PKGID__":"ABC-%d","__TIMESTAMP__":%d}`,
		seq, seq, time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC).UnixMilli()+int64(seq))
}

// seqOf reads the sequence number back from a record's text.
func seqOf(t testing.TB, text []byte) int {
	var seq int
	i := indexOf(text, "seq=")
	if i < 0 {
		t.Fatalf("no seq in %q", text)
	}
	if _, err := fmt.Sscanf(string(text[i+4:i+10]), "%06d", &seq); err != nil {
		t.Fatalf("bad seq in %q: %v", text, err)
	}
	return seq
}

func indexOf(b []byte, s string) int {
	for i := 0; i+len(s) <= len(b); i++ {
		if string(b[i:i+len(s)]) == s {
			return i
		}
	}
	return -1
}

// produce writes records seq from..to-1, record seq to partition
// seq % partitions, and waits until all are written.
func produce(t testing.TB, c *kfake.Cluster, from, to int, partitions int32) {
	t.Helper()
	cl, err := kgo.NewClient(append(clientOpts(c), kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.ProducerLinger(0))...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	rs := make([]*kgo.Record, 0, to-from)
	for seq := from; seq < to; seq++ {
		rs = append(rs, &kgo.Record{Topic: testTopic, Partition: int32(seq) % partitions, Value: message(seq)})
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	if err := cl.ProduceSync(ctx, rs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

func testConfig(c *kfake.Cluster) Config {
	return Config{
		Name:           "fn",
		Brokers:        c.ListenAddrs(),
		Topics:         []string{testTopic},
		Group:          testGroup,
		SASL:           SASL{Mechanism: "PLAIN", Username: testUser, Password: testPass},
		Start:          StartOldest,
		CommitInterval: time.Hour, // tests commit on purpose
		LagInterval:    time.Hour,
		RevokeWait:     5 * time.Second,
	}
}

func testLogger(t testing.TB) *slog.Logger {
	if os.Getenv("KAFKA_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return nil
}

// consumer runs a Source and a reader that keeps what it receives and,
// unless told otherwise, acknowledges each record at once.
type consumer struct {
	t      testing.TB
	s      *Source
	cancel context.CancelFunc
	done   chan error
	got    chan record.Record // every record received, in order
	tick   chan struct{}      // signalled after each record
	noAck  bool

	mu   sync.Mutex
	recs []record.Record
}

func startConsumer(t testing.TB, cfg Config, m *Metrics, ack bool, setup func(*Source)) *consumer {
	t.Helper()
	s, err := New(cfg, testLogger(t), m)
	if err != nil {
		t.Fatal(err)
	}
	s.extra = []kgo.Opt{
		kgo.HeartbeatInterval(50 * time.Millisecond),
		kgo.SessionTimeout(3 * time.Second),
		kgo.FetchMaxWait(100 * time.Millisecond),
	}
	if setup != nil {
		setup(s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := &consumer{t: t, s: s, cancel: cancel, done: make(chan error, 1),
		got: make(chan record.Record, 1<<16), tick: make(chan struct{}, 1), noAck: !ack}
	go func() { c.done <- s.Run(ctx) }()
	go func() {
		for rec := range s.Records() {
			if !c.noAck {
				s.Ack(rec)
			}
			c.mu.Lock()
			c.recs = append(c.recs, rec)
			c.mu.Unlock()
			c.got <- rec
			select {
			case c.tick <- struct{}{}:
			default:
			}
		}
		close(c.got)
	}()
	t.Cleanup(func() { c.stop() })
	return c
}

// take waits for n more records.
func (c *consumer) take(n int) []record.Record {
	c.t.Helper()
	out := make([]record.Record, 0, n)
	timeout := time.After(waitFor)
	for len(out) < n {
		select {
		case rec, ok := <-c.got:
			if !ok {
				c.t.Fatalf("records closed after %d of %d", len(out), n)
			}
			out = append(out, rec)
		case <-timeout:
			c.t.Fatalf("got %d of %d records in %s", len(out), n, waitFor)
		}
	}
	return out
}

// stop cancels Run, lets the reader drain and waits for Run to return.
func (c *consumer) stop() {
	if c.cancel == nil {
		return
	}
	c.cancel()
	c.cancel = nil
	select {
	case err := <-c.done:
		if err != nil {
			c.t.Errorf("Run: %v", err)
		}
	case <-time.After(waitFor):
		c.t.Errorf("Run did not return in %s", waitFor)
	}
	for range c.got {
	}
}

// all returns every record received so far.
func (c *consumer) all() []record.Record {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]record.Record(nil), c.recs...)
}

func kadmOf(s *Source) *kadm.Client {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return kadm.NewClient(s.cl)
}

// committed returns the group's committed offset per partition.
func committed(t testing.TB, c *kfake.Cluster, partitions int32) []int64 {
	t.Helper()
	cl, err := kgo.NewClient(clientOpts(c)...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	resp, err := kadm.NewClient(cl).FetchOffsets(ctx, testGroup)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]int64, partitions)
	for p := range partitions {
		out[p] = -1
		if o, ok := resp.Lookup(testTopic, p); ok {
			out[p] = o.At
		}
	}
	return out
}

// seqs returns the sequence numbers of recs and fails on a duplicate.
func seqs(t testing.TB, recs []record.Record) map[int]bool {
	t.Helper()
	out := map[int]bool{}
	for _, r := range recs {
		n := seqOf(t, r.Text)
		if out[n] {
			t.Errorf("seq %d received twice (%s@%d)", n, r.Path, r.Offset)
		}
		out[n] = true
	}
	return out
}
