package tailer

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	tu "github.com/wedadiag/wedadiag/internal/testutil"
)

// TestGoroutinesJoined checks that every goroutine a Tailer starts is gone
// when Run has returned: the sources, the savers, the directory watcher, one
// hint goroutine per followed file. (hpcloud/tail's inotify tracker is
// process-wide and started by the first Tailer: it is in the baseline.)
func TestGoroutinesJoined(t *testing.T) {
	dir := t.TempDir()
	warm := start(t, testConfig(dir, src("warm", filepath.Join(dir, "w.log"))))
	tu.WriteFile(t, filepath.Join(dir, "w.log"), "x\n")
	warm.waitTexts("x")
	warm.stop(true)
	base := runtime.NumGoroutine()

	cfg := testConfig(dir, src("a", filepath.Join(dir, "*.log")), src("b", filepath.Join(dir, "sub", "*.txt")))
	h := start(t, cfg)
	for _, n := range []string{"1.log", "2.log", "3.log"} {
		tu.WriteFile(t, filepath.Join(dir, n), numbered("l", 1, 3))
	}
	tu.WriteFile(t, filepath.Join(dir, "sub", "x.txt"), numbered("m", 1, 3))
	waitCount(t, h, "m", 3)
	os.Rename(filepath.Join(dir, "1.log"), filepath.Join(dir, "1.old"))
	if runtime.NumGoroutine() <= base {
		t.Fatal("no goroutines while running: the test measures nothing")
	}
	h.stop(true)
	tu.Eventually(t, 5*time.Second, func() bool { return runtime.NumGoroutine() <= base },
		"%v goroutines after Run returned, %d before", lazy(func() any { return runtime.NumGoroutine() }), base)
}
