package tailer

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	tu "github.com/wedadiag/wedadiag/internal/testutil"
)

// TestExcludeAndIgnoreOlder: excluded files (by name or by path) and files
// found already older than IgnoreOlder are not followed; the others are.
func TestExcludeAndIgnoreOlder(t *testing.T) {
	dir := t.TempDir()
	tu.WriteFile(t, filepath.Join(dir, "a.log"), "a-1\n")
	tu.WriteFile(t, filepath.Join(dir, "debug.log"), "debug-1\n")
	tu.WriteFile(t, filepath.Join(dir, "b.log"), "b-1\n")
	old := filepath.Join(dir, "old.log")
	tu.WriteFile(t, old, "old-1\n")
	long := time.Now().Add(-3 * time.Hour)
	if err := os.Chtimes(old, long, long); err != nil {
		t.Fatal(err)
	}
	s := src("app", filepath.Join(dir, "*.log"))
	s.Exclude = []string{"debug*", filepath.Join(dir, "b.log")}
	s.IgnoreOlder = time.Hour
	cfg := testConfig(dir, s)
	cfg.FromStart = true
	h := start(t, cfg)
	h.waitTexts("a-1")
	// A new excluded file stays unread, a new file is read.
	tu.WriteFile(t, filepath.Join(dir, "debug-2.log"), "debug-2\n")
	tu.AppendFile(t, filepath.Join(dir, "a.log"), "a-2\n")
	h.waitTexts("a-1", "a-2")
	h.poll()
	if got := h.texts(); len(got) != 2 {
		t.Errorf("records %q, want a-1 and a-2 only", got)
	}
}
