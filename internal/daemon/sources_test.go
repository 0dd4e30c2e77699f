package daemon

import (
	"bytes"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wedadiag/wedadiag/diagnose"
	wtestutil "github.com/wedadiag/wedadiag/internal/testutil"
)

// syncBuffer is a log sink safe for the daemon's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startLogged runs a daemon from dir's configuration with its log in buf.
func startLogged(t *testing.T, dir string, buf *syncBuffer) *harness {
	t.Helper()
	h := &harness{dir: dir, sink: newRecordSink(""), done: make(chan error, 1), reload: make(chan struct{}), addrs: make(chan net.Addr, 1)}
	d, err := New(Options{
		Load:          loadConfig(filepath.Join(dir, "wedadiag.yaml")),
		ShutdownGrace: 5 * time.Second,
		OnListen:      func(a net.Addr) { h.addrs <- a },
		Sinks:         []diagnose.Sink{h.sink},
		Log:           slog.New(slog.NewTextHandler(buf, nil)),
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
	h.start(t)
	return h
}

// TestFirstStartSaysFilesAreFollowedFromTheirEnd: without --from-start
// the first start reads nothing of what the files hold, and says so.
func TestFirstStartSaysFilesAreFollowedFromTheirEnd(t *testing.T) {
	dir := t.TempDir()
	writeConfig(t, dir, "")
	// writeConfig follows from the start; this test wants the default.
	path := filepath.Join(dir, "wedadiag.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wtestutil.WriteFile(t, path, strings.Replace(string(data), "from_start: true", "from_start: false", 1))
	writeLog(t, dir, "a.log", "old line\n")
	writeLog(t, dir, "b.log", "old line\n")
	var buf syncBuffer
	h := startLogged(t, dir, &buf)
	if err := h.stop(t); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `msg="following existing files from their end; --from-start to read what is there" files=2`) {
		t.Errorf("log lacks the from-end notice:\n%s", buf.String())
	}
	// The next start continues from the saved positions: no notice.
	var buf2 syncBuffer
	h2 := startLogged(t, dir, &buf2)
	if err := h2.stop(t); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf2.String(), "from their end") {
		t.Errorf("second start repeats the notice:\n%s", buf2.String())
	}
}

// TestGlobMatchingNothing: a source whose glob matches nothing is warned
// about at start, exported as wedadiag_source_files 0, and still watched:
// a file created later is read.
func TestGlobMatchingNothing(t *testing.T) {
	dir := t.TempDir()
	writeConfig(t, dir, "")
	var buf syncBuffer
	h := startLogged(t, dir, &buf)
	wtestutil.Eventually(t, waitLimit, func() bool {
		return strings.Contains(buf.String(), `msg="no file matches the source's paths yet; watching for them" source=app`)
	}, "no warning for a glob that matches nothing")
	if err := testutil.GatherAndCompare(h.d.reg, strings.NewReader(`# HELP wedadiag_source_files Files the source's paths match now (file sources); 0 means its globs match nothing yet.
# TYPE wedadiag_source_files gauge
wedadiag_source_files{source="app"} 0
`), "wedadiag_source_files"); err != nil {
		t.Error(err)
	}
	writeLog(t, dir, "late.log", "2024-06-21 10:00:00 ERROR code=FailedOperation.FlexdbResourceOverdue\n")
	h.sink.wait(t, 1)
	h.d.refreshSourceFiles()
	if n := testutil.ToFloat64(h.d.sourceFiles.WithLabelValues("app")); n != 1 {
		t.Errorf("wedadiag_source_files after the file appeared = %v, want 1", n)
	}
	if err := h.stop(t); err != nil {
		t.Fatal(err)
	}
}
