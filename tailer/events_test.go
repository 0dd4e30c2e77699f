package tailer

import (
	"os"
	"path/filepath"
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
