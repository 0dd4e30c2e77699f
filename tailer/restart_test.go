package tailer

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	tu "github.com/wedadiag/wedadiag/internal/testutil"
)

// runs collects the records of successive tailer runs on one state dir.
type runs struct {
	texts []string
}

func (r *runs) add(h *harness) { r.texts = append(r.texts, h.texts()...) }

func TestFirstStartAtEndThenFromStart(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, numbered("old", 1, 5))
	h := start(t, testConfig(dir, src("app", log)))
	tu.AppendFile(t, log, numbered("new", 1, 3))
	waitCount(t, h, "new", 3)
	if n := len(seqCounts(h.texts(), "old")); n != 0 {
		t.Fatalf("first start read %d existing lines, want 0", n)
	}

	dir2 := t.TempDir()
	log2 := filepath.Join(dir2, "app.log")
	tu.WriteFile(t, log2, numbered("old", 1, 5))
	cfg := testConfig(dir2, src("app", log2))
	cfg.FromStart = true
	h2 := start(t, cfg)
	waitCount(t, h2, "old", 5)
	exactlyOnce(t, h2.texts(), "old", 5)
}

// steadyWriter appends "prefix-N" lines to path, one every interval, until
// stopped; it returns how many it wrote.
type steadyWriter struct {
	stop chan struct{}
	done chan int
}

func writeSteadily(t testing.TB, path, prefix string, every time.Duration) *steadyWriter {
	w := &steadyWriter{stop: make(chan struct{}), done: make(chan int, 1)}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		defer f.Close()
		tick := time.NewTicker(every)
		defer tick.Stop()
		n := 0
		for {
			select {
			case <-w.stop:
				w.done <- n
				return
			case <-tick.C:
				n++
				fmt.Fprintf(f, "%s-%06d\n", prefix, n)
			}
		}
	}()
	return w
}

func (w *steadyWriter) finish() int {
	close(w.stop)
	return <-w.done
}

func testRestartMidStream(t *testing.T, save bool) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "")
	cfg := testConfig(dir, src("app", log))
	cfg.skipFinalSave = !save
	var all runs
	var w *steadyWriter
	for range 3 {
		h := start(t, cfg)
		if w == nil {
			// After the first start: lines that exist then are skipped.
			w = writeSteadily(t, log, "l", 200*time.Microsecond)
		}
		h.eventually(5*time.Second, func() bool { return h.count() > 200 }, "no progress")
		h.stop(save)
		all.add(h)
	}
	h := start(t, cfg)
	n := w.finish()
	h.eventually(10*time.Second, func() bool {
		c := seqCounts(append(all.texts, h.texts()...), "l")
		return c[n] > 0
	}, "last line %d not read", n)
	h.stop(save)
	all.add(h)
	c := seqCounts(all.texts, "l")
	var missing, dup []int
	for i := 1; i <= n; i++ {
		if c[i] == 0 {
			missing = append(missing, i)
		}
		if c[i] > 1 {
			dup = append(dup, i)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("%d of %d lines missing: %v", len(missing), n, head(missing))
	}
	if save && len(dup) > 0 {
		t.Fatalf("graceful restarts duplicated %d lines: %v", len(dup), head(dup))
	}
	t.Logf("%d lines, %d read twice", n, len(dup))
}

func TestRestartMidStream(t *testing.T) { testRestartMidStream(t, true) }

// TestRestartWithoutFinalSave simulates kill -9: only the periodic saves
// are on disk. Lines may be read twice, none may be missing.
func TestRestartWithoutFinalSave(t *testing.T) { testRestartMidStream(t, false) }

func TestRotatedWhileDown(t *testing.T) {
	for _, tc := range []struct {
		name   string
		rotate func(t *testing.T, log string)
		kind   string
	}{
		{"rename", func(t *testing.T, log string) {
			os.Rename(log, log+".1")
			tu.WriteFile(t, log, numbered("l", 61, 70))
		}, KindRename},
		{"rename twice", func(t *testing.T, log string) {
			os.Rename(log, log+".1")
			os.Rename(log+".1", log+".2")
			tu.WriteFile(t, log, numbered("l", 61, 70))
		}, KindRename},
		{"rename and gzip", func(t *testing.T, log string) {
			os.Rename(log, log+".1")
			gzipFile(t, log+".1")
			tu.WriteFile(t, log, numbered("l", 61, 70))
		}, KindGzip},
		{"copytruncate", func(t *testing.T, log string) {
			copyFile(t, log, log+".1")
			os.Truncate(log, 0)
			tu.AppendFile(t, log, numbered("l", 61, 70))
		}, KindCopyTruncate},
		{"copytruncate and gzip", func(t *testing.T, log string) {
			copyFile(t, log, log+"-20240621")
			os.Truncate(log, 0)
			gzipFile(t, log+"-20240621")
			tu.AppendFile(t, log, numbered("l", 61, 70))
		}, KindGzip},
		{"truncate", func(t *testing.T, log string) {
			// Lines 51-60 are lost with the truncation: no copy exists.
			os.Truncate(log, 0)
			tu.AppendFile(t, log, numbered("l", 51, 70))
		}, KindTruncate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			log := filepath.Join(dir, "app.log")
			tu.WriteFile(t, log, "")
			cfg := testConfig(dir, src("app", log))
			h0 := start(t, cfg)
			tu.AppendFile(t, log, numbered("l", 1, 50))
			waitCount(t, h0, "l", 50)
			h0.stop(true)
			if tc.kind != KindTruncate {
				tu.AppendFile(t, log, numbered("l", 51, 60))
			}
			tc.rotate(t, log)
			h := start(t, cfg)
			waitCount(t, h, "l", 20)
			all := append(h0.texts(), h.texts()...)
			exactlyOnce(t, all, "l", 70)
			if got := h.metric("wedadiag_tailer_rotations_total", "source", "app", "kind", tc.kind); got != 1 {
				t.Errorf("%s rotations = %v, want 1\n%s", tc.kind, got, h.logs.String())
			}
		})
	}
}

func TestNewFileWhileDown(t *testing.T) {
	dir := t.TempDir()
	glob := filepath.Join(dir, "*.log")
	cfg := testConfig(dir, src("app", glob))
	h0 := start(t, cfg)
	h0.stop(true)
	tu.WriteFile(t, filepath.Join(dir, "new.log"), numbered("l", 1, 10))
	h := start(t, cfg)
	waitCount(t, h, "l", 10)
	exactlyOnce(t, h.texts(), "l", 10)
}

func TestGlobsChangedWhileDown(t *testing.T) {
	// A source whose globs changed starts the files it now matches at
	// their end, as on a first start, and resumes those it followed.
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.txt")
	tu.WriteFile(t, a, "")
	tu.WriteFile(t, b, numbered("old", 1, 5))
	h0 := start(t, testConfig(dir, src("app", a)))
	tu.AppendFile(t, a, numbered("l", 1, 5))
	waitCount(t, h0, "l", 5)
	h0.stop(true)
	tu.AppendFile(t, a, numbered("l", 6, 10))
	h := start(t, testConfig(dir, src("app", a, b)))
	tu.AppendFile(t, b, numbered("l", 11, 12))
	waitCount(t, h, "l", 7)
	exactlyOnce(t, append(h0.texts(), h.texts()...), "l", 12)
	if n := len(seqCounts(h.texts(), "old")); n != 0 {
		t.Errorf("existing lines of a newly matched file were read: %d", n)
	}
}

func TestInodeReuse(t *testing.T) {
	// The same device and inode with other content: the fingerprint tells
	// it is another file, read from 0, not from the old offset.
	t.Run("rewritten in place", func(t *testing.T) {
		dir := t.TempDir()
		log := filepath.Join(dir, "app.log")
		tu.WriteFile(t, log, "")
		cfg := testConfig(dir, src("app", log))
		h0 := start(t, cfg)
		tu.AppendFile(t, log, numbered("a", 1, 50))
		waitCount(t, h0, "a", 50)
		h0.stop(true)
		// Same inode, longer new content: the old offset is inside it.
		f, err := os.OpenFile(log, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(numbered("b", 1, 100))
		f.Close()
		h := start(t, cfg)
		waitCount(t, h, "b", 100)
		exactlyOnce(t, h.texts(), "b", 100)
	})
	t.Run("deleted and recreated", func(t *testing.T) {
		dir := t.TempDir()
		log := filepath.Join(dir, "app.log")
		tu.WriteFile(t, log, "")
		cfg := testConfig(dir, src("app", log))
		h0 := start(t, cfg)
		tu.AppendFile(t, log, numbered("a", 1, 50))
		waitCount(t, h0, "a", 50)
		h0.stop(true)
		old := inode(t, log)
		os.Remove(log)
		tu.WriteFile(t, log, numbered("b", 1, 100))
		if inode(t, log) == old {
			t.Log("the file system reused the inode")
		}
		h := start(t, cfg)
		waitCount(t, h, "b", 100)
		exactlyOnce(t, h.texts(), "b", 100)
	})
}

func inode(t testing.TB, path string) uint64 {
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Sys().(*syscall.Stat_t).Ino
}

func TestPositionsFile(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "")
	cfg := testConfig(dir, src("app", log))
	h := start(t, cfg)
	tu.AppendFile(t, log, numbered("l", 1, 10))
	waitCount(t, h, "l", 10)
	h.stop(true)
	data, err := os.ReadFile(filepath.Join(cfg.StateDir, PositionsFile))
	if err != nil {
		t.Fatal(err)
	}
	var pf posFile
	if err := json.Unmarshal(data, &pf); err != nil {
		t.Fatal(err)
	}
	if len(pf.Files) != 1 || pf.Files[0].Path != log || pf.Files[0].Offset != 90 ||
		pf.Files[0].Ino != inode(t, log) || pf.Files[0].FPLen != 90 {
		t.Fatalf("positions = %s", data)
	}
	if !samePaths(pf.Sources["app"].Paths, []string{log}) {
		t.Errorf("sources = %+v", pf.Sources)
	}
	ents, _ := os.ReadDir(cfg.StateDir)
	for _, e := range ents {
		if e.Name() != PositionsFile && e.Name() != PositionsFile+".prev" {
			t.Errorf("state dir holds %s; want only %s and its .prev", e.Name(), PositionsFile)
		}
	}
}

func TestCorruptPositionsFile(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, numbered("old", 1, 3))
	cfg := testConfig(dir, src("app", log))
	tu.WriteFile(t, filepath.Join(cfg.StateDir, PositionsFile), "{not json")
	h := start(t, cfg)
	if !strings.Contains(h.logs.String(), "positions lost") {
		t.Errorf("no warning:\n%s", h.logs.String())
	}
	if _, err := os.Stat(filepath.Join(cfg.StateDir, PositionsFile+".bad")); err != nil {
		t.Errorf("corrupt file not kept aside: %v", err)
	}
	tu.AppendFile(t, log, numbered("l", 1, 2))
	waitCount(t, h, "l", 2)
}

// TestStateDirNotWritable: a state directory that cannot be made or
// written does not stop the tailer (Kubernetes would restart-loop it): it
// follows its files, says so at ERROR and in
// wedadiag_tailer_state_writable, and counts the failing saves.
func TestStateDirNotWritable(t *testing.T) {
	dir := t.TempDir()
	// Below a regular file no directory can be made, root or not.
	file := filepath.Join(dir, "file")
	tu.WriteFile(t, file, "")
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "")
	cfg := testConfig(dir, src("app", log))
	cfg.StateDir = filepath.Join(file, "state")
	h := start(t, cfg)
	tu.AppendFile(t, log, numbered("l", 1, 10))
	waitCount(t, h, "l", 10)
	if !strings.Contains(h.logs.String(), "level=ERROR msg=\"STATE DIRECTORY NOT WRITABLE") {
		t.Errorf("no loud warning:\n%s", h.logs)
	}
	h.eventually(5*time.Second, func() bool {
		return h.metric("wedadiag_tailer_position_save_errors_total") > 0
	}, "failing saves not counted")
	if v := h.metric("wedadiag_tailer_state_writable"); v != 0 {
		t.Errorf("state_writable = %v, want 0", v)
	}
	h.stop(false)
	if err := h.tl.SavePositions(); err == nil {
		t.Error("SavePositions: no error")
	}
}

// corruptions are the ways a positions file was found unusable.
var corruptions = map[string]func(data []byte) []byte{
	"empty":     func([]byte) []byte { return nil },
	"truncated": func(d []byte) []byte { return d[:len(d)/2] },
	"garbage":   func([]byte) []byte { return []byte("\x00\x00\x00{not json") },
}

// TestCorruptPositionsUsesPrevious: an unusable positions.json is set aside
// and the previous good one (.prev) is used: what was read after it is read
// again, nothing is lost; counted and logged at ERROR.
func TestCorruptPositionsUsesPrevious(t *testing.T) {
	for name, corrupt := range corruptions {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			log := filepath.Join(dir, "app.log")
			tu.WriteFile(t, log, "")
			cfg := testConfig(dir, src("app", log))
			h := start(t, cfg)
			tu.AppendFile(t, log, numbered("l", 1, 100))
			waitCount(t, h, "l", 100)
			h.stop(true)
			h = start(t, cfg)
			tu.AppendFile(t, log, numbered("l", 101, 200))
			waitCount(t, h, "l", 100)
			h.stop(true)
			tu.AppendFile(t, log, numbered("l", 201, 300))
			pos := filepath.Join(cfg.StateDir, PositionsFile)
			data, err := os.ReadFile(pos)
			if err != nil {
				t.Fatal(err)
			}
			tu.WriteFile(t, pos, string(corrupt(data)))
			h = start(t, cfg)
			// .prev is the save before the last one: somewhere in the
			// second run, after line 100.
			tu.AppendFile(t, log, numbered("m", 1, 1))
			waitCount(t, h, "m", 1)
			c := seqCounts(h.texts(), "l")
			for i := 1; i <= 300; i++ {
				if i <= 100 && c[i] != 0 || i > 200 && c[i] != 1 {
					t.Fatalf("line %d read %d times\n%s", i, c[i], h.logs)
				}
			}
			if v := h.metric("wedadiag_tailer_positions_unusable_total"); v != 1 {
				t.Errorf("positions_unusable_total = %v, want 1", v)
			}
			if !strings.Contains(h.logs.String(), "level=ERROR msg=\"positions file unusable\"") {
				t.Errorf("not logged at ERROR:\n%s", h.logs)
			}
		})
	}
}

// TestCorruptPositionsNoPrevious: with no usable positions at all, a file
// modified after the positions file was written is read from its beginning
// (start_at_unknown: modified), one that was not from its end.
func TestCorruptPositionsNoPrevious(t *testing.T) {
	for _, policy := range []string{StartModified, StartBeginning, StartEnd} {
		t.Run(policy, func(t *testing.T) {
			dir := t.TempDir()
			app, quiet := filepath.Join(dir, "app.log"), filepath.Join(dir, "quiet.log")
			tu.WriteFile(t, app, "")
			tu.WriteFile(t, quiet, numbered("q", 1, 10))
			cfg := testConfig(dir, src("app", filepath.Join(dir, "*.log")))
			cfg.FromStart = true
			cfg.StartAtUnknown = policy
			h := start(t, cfg)
			waitCount(t, h, "q", 10)
			tu.AppendFile(t, app, numbered("l", 1, 100))
			waitCount(t, h, "l", 100)
			h.stop(true)
			pos := filepath.Join(cfg.StateDir, PositionsFile)
			os.Remove(pos + ".prev")
			saved, err := os.Stat(pos)
			if err != nil {
				t.Fatal(err)
			}
			tu.AppendFile(t, app, numbered("l", 101, 150))
			// Cut short when it was last written.
			tu.WriteFile(t, pos, "")
			os.Chtimes(pos, saved.ModTime(), saved.ModTime())
			h = start(t, cfg)
			want := map[string]int{StartModified: 150, StartBeginning: 150, StartEnd: 0}[policy]
			wantQ := map[string]int{StartModified: 0, StartBeginning: 10, StartEnd: 0}[policy]
			tu.AppendFile(t, app, numbered("m", 1, 1))
			waitCount(t, h, "m", 1)
			h.poll()
			if got, gotQ := len(seqCounts(h.texts(), "l")), len(seqCounts(h.texts(), "q")); got != want || gotQ != wantQ {
				t.Errorf("read %d app lines and %d quiet lines again, want %d and %d\n%s", got, gotQ, want, wantQ, h.logs)
			}
			if !strings.Contains(h.logs.String(), "level=ERROR msg=\"positions lost") {
				t.Errorf("not logged at ERROR:\n%s", h.logs)
			}
		})
	}
}

// TestSaveAfterProgress: positions are saved once enough was acknowledged,
// not only on the timer, so a kill -9 re-reads little.
func TestSaveAfterProgress(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "")
	cfg := testConfig(dir, src("app", log))
	cfg.SaveInterval = time.Hour
	cfg.SaveAfterRecords = 100
	cfg.SaveAfterBytes = -1
	cfg.skipFinalSave = true
	h := start(t, cfg)
	tu.AppendFile(t, log, numbered("l", 1, 1000))
	waitCount(t, h, "l", 1000)
	offset := func() int64 {
		data, err := os.ReadFile(filepath.Join(cfg.StateDir, PositionsFile))
		if err != nil {
			return -1
		}
		var pf posFile
		if json.Unmarshal(data, &pf) != nil || len(pf.Files) != 1 {
			return -1
		}
		return pf.Files[0].Offset
	}
	// 1,000 lines are 9,000 bytes: the last save came at most 100 records
	// before the end.
	h.eventually(5*time.Second, func() bool { return offset() >= 9000-100*9 },
		"positions not saved after progress: offset %v", lazy(func() any { return offset() }))
}
