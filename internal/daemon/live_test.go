package daemon

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wedadiag/wedadiag/diagnose"
)

// TestRestartKeepsLiveDiagnoses: after a restart the live diagnoses (count
// in the window, samples, first and last seen) and the unmatched templates
// are what they were before it, read back from the state directory.
func TestRestartKeepsLiveDiagnoses(t *testing.T) {
	dir := t.TempDir()
	writeConfig(t, dir, "")
	writeLog(t, dir, "app.log", `2024-06-21 10:00:00 ERROR {"Response":{"Error":{"Code":"FailedOperation.FlexdbResourceOverdue","Message":"x"},"RequestId":"r1"}}
2024-06-21 10:00:05 ERROR {"Response":{"Error":{"Code":"FailedOperation.FlexdbResourceOverdue","Message":"x"},"RequestId":"r2"}}
2024-06-21 10:00:06 ERROR payment callback rejected for order 7
`)
	sink := newRecordSink("")
	h := newHarness(t, dir, sink, 5*time.Second)
	h.start(t)
	sink.wait(t, 3)
	before := h.d.agg.Diagnoses("zh")
	unmatched := h.d.unknown.Top(10)
	if len(before) != 1 || before[0].Count != 2 || len(unmatched) != 1 {
		t.Fatalf("before the restart: %+v, unmatched %+v", before, unmatched)
	}
	if err := h.stop(t); err != nil {
		t.Fatal(err)
	}

	// The log is gone: whatever the new daemon shows came from state_dir.
	if err := os.Remove(filepath.Join(dir, "logs", "app.log")); err != nil {
		t.Fatal(err)
	}
	h2 := newHarness(t, dir, newRecordSink(""), 5*time.Second)
	after := h2.d.agg.Diagnoses("zh")
	if len(after) != 1 || after[0].ID != before[0].ID || after[0].Count != 2 ||
		!after[0].FirstSeen.Equal(*before[0].FirstSeen) || !after[0].LastSeen.Equal(*before[0].LastSeen) ||
		len(after[0].Samples) != len(before[0].Samples) || after[0].Sources[0] != "app" {
		t.Errorf("after the restart: %+v\nwant %+v", after, before)
	}
	if got := h2.d.unknown.Top(10); len(got) != 1 || got[0].Template != unmatched[0].Template || got[0].Count != 1 {
		t.Errorf("unmatched after the restart: %+v, want %+v", got, unmatched)
	}
}

// TestCorruptLiveStateIsACountedWarning: a state file that is not one does
// not stop the daemon; it is counted and the daemon starts empty.
func TestCorruptLiveStateIsACountedWarning(t *testing.T) {
	dir := t.TempDir()
	writeConfig(t, dir, "")
	state := filepath.Join(dir, "state")
	if err := os.MkdirAll(state, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{diagnose.LiveFile, diagnose.UnmatchedFile} {
		if err := os.WriteFile(filepath.Join(state, f), []byte("{not json"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarness(t, dir, newRecordSink(""), 5*time.Second)
	for _, f := range []string{diagnose.LiveFile, diagnose.UnmatchedFile} {
		if n := testutil.ToFloat64(h.d.stateErrors.WithLabelValues(f)); n != 1 {
			t.Errorf("wedadiag_state_errors_total{file=%q} = %v, want 1", f, n)
		}
	}
	if len(h.d.agg.Diagnoses("zh")) != 0 {
		t.Error("diagnoses from a corrupt file")
	}
	// The next save replaces the bad file with a good one.
	h.d.saveLive()
	data, err := os.ReadFile(filepath.Join(state, diagnose.LiveFile))
	if err != nil || !strings.HasPrefix(string(data), `{"version":1`) {
		t.Errorf("after a save: %q, %v", data, err)
	}
}
