package tailer

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	tu "github.com/wedadiag/wedadiag/internal/testutil"
	"github.com/wedadiag/wedadiag/record"
)

const rssChildEnv = "WEDADIAG_TAILER_RSS_CHILD"

// TestRSS100Files (-long) measures the memory of a process that follows 100
// files: the test binary runs itself as a child with only the tailer and a
// consumer that acknowledges (the pipeline's part), the parent writes
// lines to the 100 files, and reads the child's VmHWM (peak resident set)
// and VmRSS from /proc.
func TestRSS100Files(t *testing.T) {
	if !*long {
		t.Skip("long test: go test ./tailer -run TestRSS100Files -long -v")
	}
	const files, seconds, rate = 100, 20, 5000 // rate: lines/s over all files
	dir := t.TempDir()
	var paths []string
	for i := range files {
		p := filepath.Join(dir, fmt.Sprintf("app-%03d.log", i))
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestRSSChild$")
	cmd.Env = append(os.Environ(), rssChildEnv+"="+dir)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var read atomic.Int64
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if sc.Text() == "ready" {
				close(ready)
			}
			if n, ok := strings.CutPrefix(sc.Text(), "lines "); ok {
				v, _ := strconv.ParseInt(n, 10, 64)
				read.Store(v)
			}
		}
	}()
	<-ready
	ws := make([]*os.File, files)
	for i, p := range paths {
		ws[i], _ = os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
	}
	pad := strings.Repeat("y", 100)
	begin := time.Now()
	written := 0
	for time.Since(begin) < seconds*time.Second {
		due := int(time.Since(begin).Seconds() * rate)
		for ; written < due; written++ {
			fmt.Fprintf(ws[written%files], "%d %s\n", written, pad)
		}
		time.Sleep(time.Millisecond) // pacing the writer
	}
	for _, w := range ws {
		w.Close()
	}
	tu.Eventually(t, 30*time.Second, func() bool { return read.Load() >= int64(written) },
		"child read %v of %d lines", lazy(func() any { return read.Load() }), written)
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	var hwm, rss string
	for _, l := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			hwm = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			rss = strings.TrimSpace(v)
		}
	}
	t.Logf("following %d files, %d lines written at %d lines/s over %ds, %d read: VmHWM %s, VmRSS %s",
		files, written, rate, seconds, read.Load(), hwm, rss)
	if kb, _ := strconv.Atoi(strings.Fields(hwm + " 0")[0]); kb > 40<<10 {
		t.Errorf("peak RSS %s over the 40 MB budget of the whole daemon", hwm)
	}
}

// TestRSSChild is the child of TestRSS100Files: it follows the files until
// its standard input closes, reporting how many lines it has read.
func TestRSSChild(t *testing.T) {
	dir := os.Getenv(rssChildEnv)
	if dir == "" {
		t.Skip("run by TestRSS100Files")
	}
	tl, err := New(Config{
		Sources:  []Source{{Name: "app", Paths: []string{filepath.Join(dir, "*.log")}, Multiline: record.Auto}},
		StateDir: filepath.Join(dir, "state"),
	}, nil, NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tl.Run(ctx) }()
	go func() { io.Copy(io.Discard, os.Stdin); cancel() }()
	var n int64
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	tu.Eventually(t, 10*time.Second, tl.Ready, "not ready")
	fmt.Println("ready")
	recs := tl.Records()
	for recs != nil {
		select {
		case rec, ok := <-recs:
			if !ok {
				recs = nil
				continue
			}
			n += int64(rec.Lines)
			tl.Ack(rec)
		case <-tick.C:
			fmt.Printf("lines %d\n", n)
		}
	}
	fmt.Printf("lines %d\n", n)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	tl.SavePositions()
}
