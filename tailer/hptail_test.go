package tailer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"golang.org/x/sys/unix"

	tu "github.com/wedadiag/wedadiag/internal/testutil"
)

const inotifyChildEnv = "WEDADIAG_TAILER_INOTIFY_CHILD"

// TestInotifyExhaustedNeverExits runs the tailer in child processes whose
// user has no inotify instance left (fs.inotify.max_user_instances is per
// user: the child switches to a user of its own and takes every instance
// there, so nothing else on the machine is starved):
//
//   - "exhausted": no instance from the start;
//   - "race": one instance free at the probe, taken before hpcloud/tail's
//     tracker starts (the case where the library calls os.Exit).
//
// In both the child must read its file by polling, log a warning, set
// wedadiag_tailer_poll_fallback to 1 and exit 0. The file is followed
// through a symlink: only such files (and those in directories that cannot
// be watched) get a watch of their own from the tracker.
func TestInotifyExhaustedNeverExits(t *testing.T) {
	if os.Getenv(inotifyChildEnv) != "" {
		t.Skip("in the child")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root, to run the child as a user of its own whose inotify instances it can use up")
	}
	for _, scenario := range []string{"exhausted", "race"} {
		t.Run(scenario, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestInotifyChild$", "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), inotifyChildEnv+"="+scenario)
			out, err := cmd.CombinedOutput()
			if err != nil || !strings.Contains(string(out), "CHILD OK") {
				t.Fatalf("child (%s): %v\n%s", scenario, err, out)
			}
			t.Logf("child (%s):\n%s", scenario, lastLines(string(out), 6))
		})
	}
}

func lastLines(s string, n int) string {
	l := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(l[max(0, len(l)-n):], "\n")
}

func TestInotifyChild(t *testing.T) {
	scenario := os.Getenv(inotifyChildEnv)
	if scenario == "" {
		t.Skip("run by TestInotifyExhaustedNeverExits")
	}
	const uid = 61907 // a user nothing else runs as
	if err := syscall.Setgid(uid); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Setuid(uid); err != nil {
		t.Fatal(err)
	}
	var held []int
	for {
		fd, err := unix.InotifyInit1(unix.IN_CLOEXEC)
		if err != nil {
			if !errors.Is(err, unix.EMFILE) {
				t.Fatalf("inotify_init1: %v", err)
			}
			break
		}
		held = append(held, fd)
	}
	t.Logf("took %d inotify instances", len(held))
	if scenario == "race" {
		// One for the directory watcher, one for the probe, which the
		// guard's hook takes back before the tracker starts.
		for _, fd := range held[len(held)-2:] {
			unix.Close(fd)
		}
		hpTracker.beforeStart = func() {
			if _, err := unix.InotifyInit1(unix.IN_CLOEXEC); err != nil {
				t.Errorf("hook: %v", err)
			}
		}
	}

	dir, err := os.MkdirTemp("", "inotify-child")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	// The followed path is a symlink: a watch of its directory does not
	// see writes to the file, so it needs a watch of its own (the
	// tracker's).
	log := filepath.Join(dir, "app.log")
	if err := os.Mkdir(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	tu.WriteFile(t, filepath.Join(dir, "data", "app.log"), "")
	if err := os.Symlink(filepath.Join("data", "app.log"), log); err != nil {
		t.Fatal(err)
	}
	cfg := Config{Sources: []Source{src("app", log)}, StateDir: filepath.Join(dir, "state"),
		PollInterval: 20 * time.Millisecond, IdleFlush: 50 * time.Millisecond}
	logs := &tu.SyncBuffer{}
	reg := prometheus.NewRegistry()
	tl, err := New(cfg, slog.New(slog.NewTextHandler(logs, nil)), NewMetrics(reg))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tl.Run(ctx) }()
	n := 0
	go func() {
		for rec := range tl.Records() {
			n++
			tl.Ack(rec)
		}
	}()
	tu.Eventually(t, 5*time.Second, tl.Ready, "not ready")
	tu.AppendFile(t, log, numbered("l", 1, 100))
	tu.Eventually(t, 5*time.Second, func() bool {
		return testutil.ToFloat64(tl.m.lines.WithLabelValues("app")) == 100
	}, "lines not read by polling\n%s", logs)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if v := testutil.ToFloat64(tl.m.pollFallback.WithLabelValues("app")); v != 1 {
		t.Errorf("poll_fallback = %v, want 1\n%s", v, logs)
	}
	if !strings.Contains(logs.String(), "level=WARN msg=\"cannot watch file with inotify; polling it\"") {
		t.Errorf("no warning about polling\n%s", logs)
	}
	if scenario == "race" && !strings.Contains(logs.String(), "tracker") {
		t.Errorf("the tracker's failure is not logged\n%s", logs)
	}
	fmt.Println("CHILD OK:", scenario, strings.TrimSpace(lastLines(logs.String(), 3)))
}
