package tailer

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	tu "github.com/wedadiag/wedadiag/internal/testutil"
)

func TestMetricsUpFrontAndLint(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	if _, err := New(Config{Sources: []Source{src("app", "/nonexistent/*.log")}}, nil, m); err != nil {
		t.Fatal(err)
	}
	problems, err := testutil.GatherAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
	want := `
# HELP wedadiag_tailer_rotations_total Rotations detected, by kind: rename, copytruncate, truncate, symlink, gzip.
# TYPE wedadiag_tailer_rotations_total counter
wedadiag_tailer_rotations_total{kind="copytruncate",source="app"} 0
wedadiag_tailer_rotations_total{kind="gzip",source="app"} 0
wedadiag_tailer_rotations_total{kind="rename",source="app"} 0
wedadiag_tailer_rotations_total{kind="symlink",source="app"} 0
wedadiag_tailer_rotations_total{kind="truncate",source="app"} 0
# HELP wedadiag_lines_total Lines read from the source's files (or standard input).
# TYPE wedadiag_lines_total counter
wedadiag_lines_total{source="app"} 0
# HELP wedadiag_bytes_behind Bytes written to the source's followed files that the pipeline has not acknowledged yet.
# TYPE wedadiag_bytes_behind gauge
wedadiag_bytes_behind{source="app"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want),
		"wedadiag_tailer_rotations_total", "wedadiag_lines_total", "wedadiag_bytes_behind"); err != nil {
		t.Error(err)
	}
	// The pipeline's own metrics are not ours to register.
	mfs, _ := reg.Gather()
	for _, mf := range mfs {
		if n := mf.GetName(); n == "wedadiag_records_total" || n == "wedadiag_bad_records_total" {
			t.Errorf("tailer registered %s", n)
		}
	}
}

func TestUpdateAddsAndRemovesSources(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	tu.WriteFile(t, a, "")
	tu.WriteFile(t, b, numbered("old", 1, 3))
	cfg := testConfig(dir, src("a", a))
	h := start(t, cfg)
	tu.AppendFile(t, a, numbered("l", 1, 5))
	waitCount(t, h, "l", 5)

	if err := h.tl.Update([]Source{src("a", a), src("b", b)}); err != nil {
		t.Fatal(err)
	}
	h.eventually(5e9, h.tl.Ready, "not ready after adding a source")
	tu.AppendFile(t, b, numbered("l", 6, 8))
	tu.AppendFile(t, a, numbered("l", 9, 10))
	waitCount(t, h, "l", 10)
	if len(seqCounts(h.texts(), "old")) != 0 {
		t.Error("a new source read the existing lines of its files")
	}
	if got := h.metric("wedadiag_lines_total", "source", "b"); got != 3 {
		t.Errorf("lines_total{b} = %v", got)
	}

	if err := h.tl.Update([]Source{src("b", b)}); err != nil {
		t.Fatal(err)
	}
	if got := h.metric("wedadiag_lines_total", "source", "a"); got != -1 {
		t.Errorf("series of removed source a still there: %v", got)
	}
	tu.AppendFile(t, b, numbered("l", 11, 12))
	waitCount(t, h, "l", 12)
	h.stop(true)

	// b kept its position; a's is carried and resumes when a comes back.
	tu.AppendFile(t, a, numbered("l", 13, 14))
	tu.AppendFile(t, b, numbered("l", 15, 16))
	h2 := start(t, testConfig(dir, src("a", a), src("b", b)))
	waitCount(t, h2, "l", 4)
	eachOnce(t, append(h.texts(), h2.texts()...), "l", 16)
}

func TestUpdateRejectsBadSources(t *testing.T) {
	tl, err := New(Config{Sources: []Source{src("a", "/x/*.log")}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]Source{
		{src("a", "/x/[.log")},
		{src("a", "/x"), src("a", "/y")},
		{src("", "/x")},
		{src("a")},
		{src("a", Stdin, "/x")},
		{src("a", Stdin), src("b", Stdin)},
	} {
		if err := tl.Update(bad); err == nil {
			t.Errorf("Update(%+v) accepted", bad)
		}
	}
}

func TestUpdateBeforeRunChangesGlobs(t *testing.T) {
	// New globs given before Run: the files they match now start at their
	// end, as on a first start; the file followed before resumes.
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	tu.WriteFile(t, a, "")
	h0 := start(t, testConfig(dir, src("app", a)))
	h0.stop(true)
	tu.WriteFile(t, b, numbered("old", 1, 3))
	tu.AppendFile(t, a, numbered("l", 1, 2))
	h := start(t, testConfig(dir, src("app", a)), func(tl *Tailer) {
		if err := tl.Update([]Source{src("app", a, b)}); err != nil {
			t.Fatal(err)
		}
	})
	tu.AppendFile(t, b, numbered("l", 3, 4))
	waitCount(t, h, "l", 4)
	eachOnce(t, h.texts(), "l", 4)
	if n := len(seqCounts(h.texts(), "old")); n != 0 {
		t.Errorf("read %d existing lines of a file the new globs match", n)
	}
}
