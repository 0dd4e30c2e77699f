package daemon

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wedadiag/wedadiag/internal/testutil"
)

// A state directory that cannot be written (here: under a regular file, so
// even root cannot create it) does not stop the daemon: it starts, reads,
// diagnoses and stops cleanly; the failure is a metric and a log line.
func TestStateDirUnwritableStartsAnyway(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "state")
	if err := os.WriteFile(blocker, []byte("not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	writeConfig(t, dir, "")
	// writeConfig points state_dir at dir/state: a file, so dir/state/… is unwritable.
	cfg, err := os.ReadFile(filepath.Join(dir, "wedadiag.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	testutil.WriteFile(t, filepath.Join(dir, "wedadiag.yaml"), strings.Replace(string(cfg), blocker, filepath.Join(blocker, "sub"), 1))
	writeLog(t, dir, "app.log", `{"level":"error","error":{"Response":{"Error":{"Code":"UserError.DsNotFound","Message":"找不到数据源"}}}}`+"\n")
	sink := newRecordSink("")
	h := newHarness(t, dir, sink, time.Second)
	h.start(t)
	sink.wait(t, 1)
	if err := h.stop(t); err != nil {
		t.Errorf("stop with an unwritable state dir: %v", err)
	}
}
