package tailer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tu "github.com/wedadiag/wedadiag/internal/testutil"
)

// TestWritesReadOnEvents: with no poll at all (the test's poll clock never
// ticks), writes are read because inotify says so: through the watch of the
// file's directory, and through the file's own watch when it is reached by
// a symlink (a directory watch does not see its writes).
func TestWritesReadOnEvents(t *testing.T) {
	for _, link := range []bool{false, true} {
		name := "plain"
		if link {
			name = "symlink"
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			log := filepath.Join(dir, "app.log")
			target := log
			if link {
				target = filepath.Join(dir, "data", "app.log")
				if err := os.Mkdir(filepath.Dir(target), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(target, log); err != nil {
					t.Fatal(err)
				}
			}
			tu.WriteFile(t, target, "old\n")
			h := start(t, testConfig(dir, src("app", filepath.Join(dir, "*.log"))))
			tu.Eventually(t, 5*time.Second, h.tl.Ready, "not ready")
			for i := 1; i <= 5; i++ {
				tu.AppendFile(t, target, numbered("l", i, i))
				// Not h.eventually: it would poll.
				tu.Eventually(t, 5*time.Second, func() bool { return h.count() == i },
					"write %d not read without a poll (records %q)\n%s", i, lazy(func() any { return h.texts() }), h.logs)
			}
			h.stop(true)
		})
	}
}

// TestQuietCheckedBeforeFlush drives one runner's rounds by hand: a file
// holds a partial line; it grows, but the event that would say so is not
// delivered (a round reads only the files events named). When the file
// looks quiet for IdleFlush, the partial line must not be flushed as a line
// of its own: the runner looks at the file's size first and reads the rest.
func TestQuietCheckedBeforeFlush(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "first\npart")
	cfg := testConfig(dir, src("app", log))
	cfg.FromStart = true
	tl, err := New(cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	tl.dirs, _ = newDirWatcher(tl.log, true) // no events at all
	tl.hints = newHints(tl.log, true)
	r := newRunner(tl, tl.sources[0], tl.sm["app"])
	r.quit = make(chan struct{})
	r.batch = true
	r.buf, r.headBuf = make([]byte, chunkBytes+1), make([]byte, fpBytes)
	r.initial(nil, false)
	now := time.Now()
	r.step(now, false, true) // reads "first\npart"
	tu.AppendFile(t, log, "ial\n")
	// Quiet for longer than IdleFlush as far as the runner knows.
	now = now.Add(2 * cfg.IdleFlush)
	r.step(now, false, false)
	r.step(now.Add(time.Millisecond), false, false)
	var got []string
	for len(tl.batches) > 0 {
		for _, rec := range <-tl.batches {
			got = append(got, string(rec.Text))
		}
	}
	if want := []string{"first", "partial"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("records %q, want %q", got, want)
	}
}
