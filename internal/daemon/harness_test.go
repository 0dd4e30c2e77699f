package daemon

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/internal/config"
	"github.com/wedadiag/wedadiag/internal/testutil"
)

// waitLimit bounds every wait of these tests (scaled under -race).
const waitLimit = 10 * time.Second * testutil.TimeoutScale

// recordSink is a test sink: it counts records and can hold the one whose
// text contains holdText until release is closed.
type recordSink struct {
	holdText []byte
	held     chan struct{} // closed when the held record arrives
	release  chan struct{}

	mu    sync.Mutex
	n     int
	waits []recordWait
}

type recordWait struct {
	n  int
	ch chan struct{}
}

func newRecordSink(holdText string) *recordSink {
	s := &recordSink{held: make(chan struct{}), release: make(chan struct{})}
	if holdText != "" {
		s.holdText = []byte(holdText)
	}
	return s
}

func (s *recordSink) Observe(diagnose.Occurrence) {}

func (s *recordSink) Record(o *diagnose.Outcome) {
	if s.holdText != nil && bytes.Contains(o.Record.Text, s.holdText) {
		close(s.held)
		<-s.release
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	kept := s.waits[:0]
	for _, w := range s.waits {
		if s.n >= w.n {
			close(w.ch)
		} else {
			kept = append(kept, w)
		}
	}
	s.waits = kept
}

func (s *recordSink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// wait returns once n records went through every sink.
func (s *recordSink) wait(t testing.TB, n int) {
	t.Helper()
	s.mu.Lock()
	ch := make(chan struct{})
	if s.n >= n {
		close(ch)
	} else {
		s.waits = append(s.waits, recordWait{n, ch})
	}
	s.mu.Unlock()
	select {
	case <-ch:
	case <-time.After(waitLimit):
		t.Fatalf("%d records after %v, want %d", s.count(), waitLimit, n)
	}
}

// harness is one daemon running in-process on a temporary directory.
type harness struct {
	dir    string
	d      *Daemon
	sink   *recordSink
	addr   string
	cancel context.CancelFunc
	done   chan error
	reload chan struct{}
	addrs  chan net.Addr
}

// writeConfig writes a configuration that follows dir/logs/*.log from the
// start as source "app", with extra YAML appended, and returns its path.
func writeConfig(t *testing.T, dir, extra string) string {
	t.Helper()
	path := filepath.Join(dir, "wedadiag.yaml")
	yaml := fmt.Sprintf(`listen: 127.0.0.1:0
state_dir: %q
from_start: true
sources:
  - name: app
    paths: [%q]
%s`, filepath.Join(dir, "state"), filepath.Join(dir, "logs", "*.log"), extra)
	testutil.WriteFile(t, path, yaml)
	return path
}

func loadConfig(path string) func() (*config.Config, error) {
	return func() (*config.Config, error) {
		return config.Load(config.Options{File: path, Env: func(string) string { return "" }})
	}
}

// newHarness builds a daemon from dir's configuration; start runs it.
func newHarness(t testing.TB, dir string, sink *recordSink, grace time.Duration) *harness {
	t.Helper()
	h := &harness{dir: dir, sink: sink, done: make(chan error, 1), reload: make(chan struct{}), addrs: make(chan net.Addr, 1)}
	d, err := New(Options{
		Load:          loadConfig(filepath.Join(dir, "wedadiag.yaml")),
		ShutdownGrace: grace,
		OnListen:      func(a net.Addr) { h.addrs <- a },
		Sinks:         []diagnose.Sink{sink},
	})
	if err != nil {
		t.Fatal(err)
	}
	h.d = d
	t.Cleanup(func() {
		if h.cancel != nil {
			h.cancel()
			<-h.done
		}
	})
	return h
}

// start runs the daemon and waits until it listens.
func (h *harness) start(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go func() { h.done <- h.d.Run(ctx, h.reload) }()
	select {
	case a := <-h.addrs:
		h.addr = a.String()
	case err := <-h.done:
		h.cancel = nil
		t.Fatalf("daemon stopped at start: %v", err)
	case <-time.After(waitLimit):
		t.Fatal("daemon did not listen")
	}
}

// stop cancels the daemon and returns Run's result.
func (h *harness) stop(t testing.TB) error {
	t.Helper()
	h.cancel()
	h.cancel = nil
	select {
	case err := <-h.done:
		return err
	case <-time.After(waitLimit):
		t.Fatal("daemon did not stop")
		return nil
	}
}

// writeLog writes a log file under dir/logs.
func writeLog(t testing.TB, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, "logs", name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	testutil.WriteFile(t, path, text)
	return path
}
