package tailer

import (
	"path/filepath"
	"testing"

	tu "github.com/wedadiag/wedadiag/internal/testutil"
)

func TestFollowAppends(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "old-1\nold-2\n")
	h := start(t, testConfig(dir, src("app", filepath.Join(dir, "*.log"))))
	tu.AppendFile(t, log, "new-1\nnew-2\n")
	h.waitTexts("new-1", "new-2")
	rec := h.records()[0]
	if rec.Source != "app" || rec.Path != log || rec.Offset != 12 || rec.End != 18 || rec.Stream == 0 {
		t.Errorf("record = %+v", rec)
	}
}
