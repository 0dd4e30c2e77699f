package tailer

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	tu "github.com/wedadiag/wedadiag/internal/testutil"
	"github.com/wedadiag/wedadiag/record"
)

// testConfig is a Config with short intervals for tests. Its runners poll
// only when the test asks (harness.poll, harness.eventually); inotify
// wakes them as in production. PollInterval only spaces scans.
func testConfig(dir string, sources ...Source) Config {
	return Config{
		Sources:      sources,
		StateDir:     filepath.Join(dir, "state"),
		waker:        newTestWaker(),
		PollInterval: 10 * time.Millisecond,
		IdleFlush:    50 * time.Millisecond,
		SaveInterval: 20 * time.Millisecond,
		ReleaseAfter: 100 * time.Millisecond,
		Buffer:       16,
	}
}

func src(name string, paths ...string) Source {
	return Source{Name: name, Paths: paths, Multiline: record.None}
}

// harness runs a Tailer and a consumer that plays the pipeline: it keeps
// every record and acknowledges it.
type harness struct {
	t      testing.TB
	tl     *Tailer
	reg    *prometheus.Registry
	cancel context.CancelFunc
	runErr chan error
	done   chan struct{}
	logs   *tu.SyncBuffer

	mu    sync.Mutex
	recs  []record.Record
	pause bool // stop consuming (backpressure tests)
	cond  *sync.Cond
}

// start runs a Tailer built from cfg; before, if given, is called on it
// before Run.
func start(t testing.TB, cfg Config, before ...func(*Tailer)) *harness {
	t.Helper()
	h := &harness{t: t, reg: prometheus.NewRegistry(), runErr: make(chan error, 1),
		done: make(chan struct{}), logs: &tu.SyncBuffer{}}
	h.cond = sync.NewCond(&h.mu)
	var w io.Writer = h.logs
	if testing.Verbose() && os.Getenv("TAILER_LOG") != "" {
		w = io.MultiWriter(h.logs, os.Stderr)
	}
	log := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	tl, err := New(cfg, log, NewMetrics(h.reg))
	if err != nil {
		t.Fatal(err)
	}
	h.tl = tl
	for _, f := range before {
		f(tl)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go func() { h.runErr <- tl.Run(ctx) }()
	go func() {
		defer close(h.done)
		for rec := range tl.Records() {
			h.mu.Lock()
			for h.pause {
				h.cond.Wait()
			}
			h.recs = append(h.recs, rec)
			h.mu.Unlock()
			tl.Ack(rec)
		}
	}()
	t.Cleanup(func() { h.stop(true) })
	tu.Eventually(t, 5*time.Second, tl.Ready, "tailer not ready")
	return h
}

// stop cancels Run, drains Records, and saves positions when save is set
// (the daemon's shutdown order). It is idempotent.
func (h *harness) stop(save bool) {
	if h.cancel == nil {
		return
	}
	h.setPause(false)
	h.cancel()
	h.cancel = nil
	select {
	case err := <-h.runErr:
		if err != nil {
			h.t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second * tu.TimeoutScale):
		h.t.Fatal("Run did not return")
	}
	<-h.done
	if save {
		if err := h.tl.SavePositions(); err != nil {
			h.t.Errorf("SavePositions: %v", err)
		}
	}
}

func (h *harness) setPause(p bool) {
	h.mu.Lock()
	h.pause = p
	h.mu.Unlock()
	h.cond.Broadcast()
}

func (h *harness) records() []record.Record {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]record.Record(nil), h.recs...)
}

func (h *harness) texts() []string {
	var out []string
	for _, r := range h.records() {
		out = append(out, string(r.Text))
	}
	return out
}

func (h *harness) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.recs)
}

// poll makes every runner poll once and waits until they are idle again
// (at most 200 ms: a runner blocked on a paused pipeline does not finish
// its round). Without a test waker (the Config's own poll interval) it
// does nothing.
func (h *harness) poll() {
	if w, ok := h.tl.cfg.waker.(*testWaker); ok {
		w.poll(h.tl.fileRunners(), 200*time.Millisecond)
	}
}

// eventually is tu.Eventually with a poll before each new look at cond.
func (h *harness) eventually(timeout time.Duration, cond func() bool, msg string, args ...any) {
	h.t.Helper()
	tu.Eventually(h.t, timeout, func() bool {
		if cond() {
			return true
		}
		h.poll()
		return cond()
	}, msg, args...)
}

// waitTexts waits until the records' texts are want, in order.
func (h *harness) waitTexts(want ...string) {
	h.t.Helper()
	h.eventually(5*time.Second, func() bool {
		return strings.Join(h.texts(), "|") == strings.Join(want, "|")
	}, "records %q, want %q\nlog:\n%s", lazy(func() any { return h.texts() }), want, lazy(func() any { return h.logs.String() }))
}

// lazy formats a value only when printed.
type lazy func() any

func (l lazy) String() string { return fmt.Sprint(l()) }

func (h *harness) metric(name string, labels ...string) float64 {
	h.t.Helper()
	mfs, err := h.reg.Gather()
	if err != nil {
		h.t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, m := range mf.GetMetric() {
			for i := 0; i+1 < len(labels); i += 2 {
				found := false
				for _, lp := range m.GetLabel() {
					if lp.GetName() == labels[i] && lp.GetValue() == labels[i+1] {
						found = true
					}
				}
				if !found {
					continue next
				}
			}
			switch {
			case m.Counter != nil:
				return m.Counter.GetValue()
			case m.Gauge != nil:
				return m.Gauge.GetValue()
			}
		}
	}
	return -1
}

var _ = testutil.ToFloat64

// numbered returns "prefix-000001\n"… lines from first to last inclusive.
func numbered(prefix string, first, last int) string {
	var b strings.Builder
	for i := first; i <= last; i++ {
		fmt.Fprintf(&b, "%s-%06d\n", prefix, i)
	}
	return b.String()
}

// seqCounts counts how often each number of "prefix-N" records was seen.
func seqCounts(texts []string, prefix string) map[int]int {
	out := map[int]int{}
	for _, t := range texts {
		if n, ok := strings.CutPrefix(t, prefix+"-"); ok {
			if i, err := strconv.Atoi(n); err == nil {
				out[i]++
			}
		}
	}
	return out
}
