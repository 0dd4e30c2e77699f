package tailer

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	tu "github.com/wedadiag/wedadiag/internal/testutil"
	"github.com/wedadiag/wedadiag/record"
)

func TestNoTrailingNewline(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "")
	h := start(t, testConfig(dir, src("app", log)))
	tu.AppendFile(t, log, "first\nlast without newline")
	// The partial last line is held, then sent after IdleFlush.
	h.waitTexts("first", "last without newline")
	tu.AppendFile(t, log, "\nnext\n")
	h.waitTexts("first", "last without newline", "next")
	recs := h.records()
	if recs[1].End != int64(len("first\nlast without newline")) {
		t.Errorf("partial line End = %d", recs[1].End)
	}
}

func TestPartialLineCompletedBeforeFlush(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "")
	cfg := testConfig(dir, src("app", log))
	cfg.IdleFlush = time.Hour
	h := start(t, cfg)
	tu.AppendFile(t, log, "hel")
	h.eventually(5*time.Second, func() bool {
		return h.metric("wedadiag_bytes_total", "source", "app") == 3
	}, "not read")
	tu.AppendFile(t, log, "lo\n")
	h.waitTexts("hello")
}

func TestMultilineRecords(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "")
	s := src("app", log)
	s.Multiline = record.Auto
	h := start(t, testConfig(dir, s))
	tu.AppendFile(t, log, "Error: boom\n    at f (a.js:1:2)\n    at g (b.js:3:4)\nnext\n")
	// "next" may continue too until the next line or IdleFlush says not.
	h.waitTexts("Error: boom\n    at f (a.js:1:2)\n    at g (b.js:3:4)", "next")
	if r := h.records()[0]; r.Lines != 3 || r.Offset != 0 {
		t.Errorf("record %+v", r)
	}
}

func TestLongLineIsCut(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "")
	h := start(t, testConfig(dir, src("app", log)))
	const size = 5 << 20
	f, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	f.WriteString("before\n")
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	for range size / len(chunk) {
		f.Write(chunk)
	}
	f.WriteString("\nafter\n")
	f.Close()
	h.eventually(10*time.Second, func() bool { return h.count() == 3 }, "want 3 records, have %v", lazy(func() any { return h.count() }))
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	recs := h.records()
	long := recs[1]
	if string(recs[0].Text) != "before" || string(recs[2].Text) != "after" {
		t.Fatalf("neighbours: %q, %q", recs[0].Text, recs[2].Text)
	}
	if len(long.Text) != record.DefaultMaxBytes || !long.Cut || long.Offset != 7 || long.End != 7+size+1 {
		t.Fatalf("long record: %d bytes, cut %v, %d..%d", len(long.Text), long.Cut, long.Offset, long.End)
	}
	if got := h.metric("wedadiag_tailer_lines_cut_total", "source", "app"); got != 1 {
		t.Errorf("lines_cut_total = %v", got)
	}
	// The 5 MB line never sat in memory whole: everything allocated while
	// reading it (the cut line in the splitter, the framer and the record)
	// stays well under its size.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size {
		t.Errorf("allocated %d bytes reading a %d-byte line", alloc, size)
	}
}

func TestMaxFilesPerSource(t *testing.T) {
	dir := t.TempDir()
	for i, name := range []string{"a.log", "b.log", "c.log"} {
		p := filepath.Join(dir, name)
		tu.WriteFile(t, p, "")
		mt := time.Now().Add(time.Duration(i-3) * time.Hour) // c is the newest
		os.Chtimes(p, mt, mt)
	}
	cfg := testConfig(dir, src("app", filepath.Join(dir, "*.log")))
	cfg.MaxFilesPerSource = 2
	h := start(t, cfg)
	h.eventually(5*time.Second, func() bool {
		return h.metric("wedadiag_files_followed", "source", "app") == 2
	}, "files_followed = %v, want 2", lazy(func() any { return h.metric("wedadiag_files_followed", "source", "app") }))
	if got := h.metric("wedadiag_tailer_files_capped_total", "source", "app"); got != 1 {
		t.Errorf("files_capped_total = %v, want 1", got)
	}
	tu.AppendFile(t, filepath.Join(dir, "c.log"), "c\n")
	h.waitTexts("c")
	if !strings.Contains(h.logs.String(), "too many files") {
		t.Error("no warning about the cap")
	}
}

func TestBackpressureWaitsAndShowsLag(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "")
	cfg := testConfig(dir, src("app", log))
	cfg.Buffer = 1
	h := start(t, cfg)
	h.setPause(true)
	tu.AppendFile(t, log, numbered("l", 1, 1000))
	h.eventually(5*time.Second, func() bool {
		return h.metric("wedadiag_bytes_behind", "source", "app") > 8000
	}, "bytes_behind = %v", lazy(func() any { return h.metric("wedadiag_bytes_behind", "source", "app") }))
	if n := h.count(); n > 2 {
		t.Fatalf("%d records taken while the pipeline was paused", n)
	}
	h.setPause(false)
	waitCount(t, h, "l", 1000)
	exactlyOnce(t, h.texts(), "l", 1000)
	h.eventually(5*time.Second, func() bool {
		return h.metric("wedadiag_bytes_behind", "source", "app") == 0
	}, "bytes_behind = %v after catching up", lazy(func() any { return h.metric("wedadiag_bytes_behind", "source", "app") }))
}

func TestStdin(t *testing.T) {
	dir := t.TempDir()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cfg := testConfig(dir, src("in", Stdin))
	cfg.Stdin = r
	h := start(t, cfg)
	w.WriteString("one\ntwo\npart")
	h.waitTexts("one", "two", "part")
	w.WriteString("ial\nthree\n")
	h.waitTexts("one", "two", "part", "ial", "three")
	recs := h.records()
	if recs[1].Path != Stdin || recs[1].Offset != 4 || recs[1].Stream != 0 {
		t.Errorf("record %+v", recs[1])
	}
	w.Close()
	h.eventually(5*time.Second, func() bool {
		return h.metric("wedadiag_files_followed", "source", "in") == 0
	}, "stdin end not seen")
}

func TestStdinStopsOnCancel(t *testing.T) {
	// Run returns while nothing arrives on standard input.
	dir := t.TempDir()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	cfg := testConfig(dir, src("in", Stdin))
	cfg.Stdin = r
	h := start(t, cfg)
	h.stop(true)
}

// TestCappedFileIsDroppedAndComesBack: when newer files push a followed
// file out of the cap, the log says it was capped (not that it left its
// glob), it is counted, and if it becomes one of the newest again it goes
// on where it stopped.
func TestCappedFileIsDroppedAndComesBack(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	tu.WriteFile(t, a, "")
	cfg := testConfig(dir, src("app", filepath.Join(dir, "*.log")))
	cfg.MaxFilesPerSource = 1
	h := start(t, cfg)
	tu.AppendFile(t, a, "a1\n")
	h.waitTexts("a1")
	old := time.Now().Add(-time.Hour)
	os.Chtimes(a, old, old)
	tu.WriteFile(t, b, "b1\n") // newer: takes a's place
	h.waitTexts("a1", "b1")
	h.eventually(5*time.Second, func() bool {
		return strings.Contains(h.logs.String(), "dropped by the per-source file cap")
	}, "drop not logged\n%s", h.logs)
	if strings.Contains(h.logs.String(), "left its glob") {
		t.Errorf("a capped file is logged as having left its glob\n%s", h.logs)
	}
	if got := h.metric("wedadiag_tailer_files_capped_total", "source", "app"); got != 1 {
		t.Errorf("files_capped_total = %v, want 1", got)
	}
	tu.AppendFile(t, a, "a2\n") // now the newest again
	h.waitTexts("a1", "b1", "a2")
}
