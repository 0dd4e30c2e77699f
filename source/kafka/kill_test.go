package kafka

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

const childEnv = "WEDADIAG_KAFKA_KILL_CHILD"

// TestMain runs the consumer of TestKill9 when this binary is started as
// that test's child process.
func TestMain(m *testing.M) {
	if brokers := os.Getenv(childEnv); brokers != "" {
		os.Exit(runChild(strings.Split(brokers, ",")))
	}
	os.Exit(m.Run())
}

// runChild consumes, reports each record on stdout and then acknowledges
// it, commits every 10ms, until it is killed.
func runChild(brokers []string) int {
	cfg := Config{Name: "fn", Brokers: brokers, Topics: []string{testTopic}, Group: testGroup,
		SASL:  SASL{Mechanism: "PLAIN", Username: testUser, Password: testPass},
		Start: StartOldest, CommitInterval: 10 * time.Millisecond, LagInterval: time.Hour}
	s, err := New(cfg, nil, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	s.extra = []kgo.Opt{kgo.HeartbeatInterval(50 * time.Millisecond), kgo.SessionTimeout(time.Second),
		kgo.FetchMaxWait(100 * time.Millisecond)}
	go s.Run(context.Background())
	for rec := range s.Records() {
		// Report first, then acknowledge: a record is acknowledged only
		// once its line is in the pipe, so whatever the commit loop
		// commits the parent has read or will read after the kill. (The
		// other order let a commit land for a record whose line was still
		// blocked on the full pipe when the kill came.) Unbuffered: once
		// the parent stops reading, the pipe fills and the child stops
		// here, in the middle of the stream.
		fmt.Fprintf(os.Stdout, "%s %d\n", rec.Path, rec.Offset)
		s.Ack(rec)
	}
	return 0
}

// A real kill -9 in the middle of the stream, while commits run every
// 10ms: the group's committed offsets never pass what the child
// acknowledged, and the next member reads from exactly there, so the two
// together saw every record and the second re-read only the tail that was
// not committed.
func TestKill9(t *testing.T) {
	const parts, n = 2, 8000
	c := newCluster(t, parts)
	produce(t, c, 0, n, parts)

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+strings.Join(c.ListenAddrs(), ","))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[string]int64{} // highest offset acknowledged per partition
	sc := bufio.NewScanner(out)
	for lines := 0; lines < 1000 && sc.Scan(); lines++ {
		var path string
		var off int64
		if _, err := fmt.Sscanf(sc.Text(), "%s %d", &path, &off); err != nil {
			t.Fatalf("child said %q: %v", sc.Text(), err)
		}
		acked[path] = max(acked[path], off+1)
	}
	// Kill only once the child has committed something, so the kill lands
	// between a commit and the stream's end (the child's commit loop runs
	// on while its output pipe is full). Bounded, polled, no sleep-wait.
	deadline := time.Now().Add(waitFor)
	for {
		com := committed(t, c, parts)
		if slices.ContainsFunc(com, func(o int64) bool { return o > 0 }) || time.Now().After(deadline) {
			break
		}
		runtime.Gosched()
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for sc.Scan() { // what the child wrote before it died
		var path string
		var off int64
		fmt.Sscanf(sc.Text(), "%s %d", &path, &off)
		acked[path] = max(acked[path], off+1)
	}
	cmd.Wait()

	com := committed(t, c, parts)
	tail := 0
	for p := range int32(parts) {
		path := fmt.Sprintf("%s/%d", testTopic, p)
		if com[p] > acked[path] {
			t.Errorf("%s: committed %d past the acknowledged %d", path, com[p], acked[path])
		}
		tail += n/parts - int(max(com[p], 0))
	}
	if tail == 0 || tail == n {
		t.Fatalf("killed at committed %v: not in the middle of the stream", com)
	}

	b := startConsumer(t, testConfig(c), nil, true, nil)
	recs := b.take(tail)
	b.stop()
	if got := len(b.all()); got != tail {
		t.Errorf("the next member read %d records, want the uncommitted tail %d", got, tail)
	}
	first := map[string]int64{}
	for _, r := range recs {
		if _, ok := first[r.Path]; !ok {
			first[r.Path] = r.Offset
		}
	}
	reread := 0
	for p := range int32(parts) {
		path := fmt.Sprintf("%s/%d", testTopic, p)
		if f, ok := first[path]; ok && f != max(com[p], 0) {
			t.Errorf("%s: resumed at %d, committed %d", path, f, com[p])
		}
		reread += int(acked[path] - max(com[p], 0))
	}
	seqs(t, recs) // no duplicate within the second member
	t.Logf("killed after %v acknowledged, %v committed: %d read again (acknowledged, not yet committed)",
		acked, com, reread)
}
