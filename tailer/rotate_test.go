package tailer

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tu "github.com/wedadiag/wedadiag/internal/testutil"
)

// exactlyOnce fails unless the "prefix-N" records are exactly 1..n, each
// once, in order.
func exactlyOnce(t *testing.T, texts []string, prefix string, n int) {
	t.Helper()
	var got []string
	for _, s := range texts {
		if strings.HasPrefix(s, prefix+"-") {
			got = append(got, s)
		}
	}
	want := strings.Split(strings.TrimSuffix(numbered(prefix, 1, n), "\n"), "\n")
	if strings.Join(got, "|") != strings.Join(want, "|") {
		c := seqCounts(got, prefix)
		var missing, dup []int
		for i := 1; i <= n; i++ {
			switch {
			case c[i] == 0:
				missing = append(missing, i)
			case c[i] > 1:
				dup = append(dup, i)
			}
		}
		t.Fatalf("%s: %d records, want %d exactly once in order; missing %v, duplicated %v", prefix, len(got), n, head(missing), head(dup))
	}
}

// eachOnce fails unless every "prefix-N", N in 1..n, was seen exactly once
// (in any order: records of different files).
func eachOnce(t *testing.T, texts []string, prefix string, n int) {
	t.Helper()
	c := seqCounts(texts, prefix)
	var missing, dup []int
	for i := 1; i <= n; i++ {
		switch {
		case c[i] == 0:
			missing = append(missing, i)
		case c[i] > 1:
			dup = append(dup, i)
		}
	}
	if len(missing)+len(dup) > 0 || len(c) != n {
		t.Fatalf("%s: missing %v, duplicated %v, %d distinct (want %d)", prefix, head(missing), head(dup), len(c), n)
	}
}

func head(s []int) []int {
	if len(s) > 20 {
		return s[:20]
	}
	return s
}

func waitCount(t *testing.T, h *harness, prefix string, n int) {
	t.Helper()
	h.eventually(10*time.Second, func() bool {
		return len(seqCounts(h.texts(), prefix)) >= n
	}, "want %d distinct %s records, have %v\nlog:\n%s", n, prefix,
		lazy(func() any { return len(seqCounts(h.texts(), prefix)) }), lazy(func() any { return h.logs.String() }))
}

func TestRenameRotation(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "")
	h := start(t, testConfig(dir, src("app", filepath.Join(dir, "*.log"))))

	w, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	w.WriteString(numbered("l", 1, 100))
	// logrotate "create": rename, create; the app writes on to its old
	// descriptor until it reopens.
	if err := os.Rename(log, log+".1"); err != nil {
		t.Fatal(err)
	}
	tu.WriteFile(t, log, "")
	w.WriteString(numbered("l", 101, 150))
	w.Close()
	tu.AppendFile(t, log, numbered("l", 151, 200))
	waitCount(t, h, "l", 200)
	exactlyOnce(t, h.texts(), "l", 200)
	if got := h.metric("wedadiag_tailer_rotations_total", "source", "app", "kind", "rename"); got != 1 {
		t.Errorf("rename rotations = %v, want 1", got)
	}
	// The rotated file is released once quiet.
	h.eventually(5*time.Second, func() bool {
		return h.metric("wedadiag_files_followed", "source", "app") == 1
	}, "files_followed = %v, want 1", lazy(func() any { return h.metric("wedadiag_files_followed", "source", "app") }))
}

// A writer quiet for longer than ReleaseAfter before its file is rotated
// still gets ReleaseAfter after the rotation to write to its old descriptor
// (until it is told to reopen): the rotated file is not released the moment
// it leaves its glob.
func TestQuietFileRotatedKeepsWritesUntilReopen(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "")
	cfg := testConfig(dir, src("app", log))
	cfg.ReleaseAfter = time.Second
	h := start(t, cfg)
	w, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.WriteString(numbered("l", 1, 10))
	waitCount(t, h, "l", 10)
	// The precondition, not a wait for work: the file is quiet for longer
	// than ReleaseAfter.
	time.Sleep(cfg.ReleaseAfter + 200*time.Millisecond)
	if err := os.Rename(log, log+".1"); err != nil {
		t.Fatal(err)
	}
	tu.WriteFile(t, log, "")
	h.eventually(5*time.Second, func() bool {
		return strings.Contains(h.logs.String(), "left its glob")
	}, "rotation not seen")
	w.WriteString(numbered("l", 11, 20))
	waitCount(t, h, "l", 20)
	exactlyOnce(t, h.texts(), "l", 20)
}

func TestRenameRotationGlobMatchesRotated(t *testing.T) {
	// app.log* matches the rotated file too: it is the same file under a new
	// name, not a new file to read again.
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "")
	h := start(t, testConfig(dir, src("app", filepath.Join(dir, "app.log*"))))
	tu.AppendFile(t, log, numbered("l", 1, 50))
	waitCount(t, h, "l", 50)
	for i := range 3 {
		if err := os.Rename(log, log+"."+string(rune('1'+i))); err != nil {
			t.Fatal(err)
		}
		tu.AppendFile(t, log, numbered("l", 51+50*i, 100+50*i))
		waitCount(t, h, "l", 100+50*i)
	}
	exactlyOnce(t, h.texts(), "l", 200)
}

// blockReader makes the tailer fall behind: the consumer stops taking
// records, and with a tiny buffer the tailer blocks mid-file.
func behindConfig(dir string, s Source) Config {
	cfg := testConfig(dir, s)
	cfg.Buffer = 1
	return cfg
}

func TestCopyTruncateWhileBehind(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "")
	h := start(t, behindConfig(dir, src("app", log)))
	h.setPause(true)
	tu.AppendFile(t, log, numbered("l", 1, 3000))
	// The tailer has read a little and waits on the pipeline.
	h.eventually(5*time.Second, func() bool {
		return h.metric("wedadiag_bytes_total", "source", "app") > 0 &&
			h.metric("wedadiag_bytes_behind", "source", "app") > 0
	}, "no lag")
	copyFile(t, log, log+".1")
	if err := os.Truncate(log, 0); err != nil {
		t.Fatal(err)
	}
	tu.AppendFile(t, log, numbered("l", 3001, 3100))
	h.setPause(false)
	waitCount(t, h, "l", 3100)
	exactlyOnce(t, h.texts(), "l", 3100)
	if got := h.metric("wedadiag_tailer_rotations_total", "source", "app", "kind", "copytruncate"); got != 1 {
		t.Errorf("copytruncate rotations = %v, want 1\n%s", got, h.logs.String())
	}
	if got := h.metric("wedadiag_tailer_lost_bytes_total", "source", "app"); got != 0 {
		t.Errorf("lost bytes = %v", got)
	}
}

func TestCopyTruncateCopyMatchedByGlob(t *testing.T) {
	// The copy is matched by the glob: it must be held, not read from 0.
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "")
	h := start(t, testConfig(dir, src("app", filepath.Join(dir, "app.log*"))))
	tu.AppendFile(t, log, numbered("l", 1, 100))
	waitCount(t, h, "l", 100)
	for i := range 3 {
		copyFile(t, log, log+"."+string(rune('1'+i)))
		// Let the tailer see the copy before the truncation, as it may.
		if i%2 == 0 {
			h.eventually(5*time.Second, func() bool { return strings.Contains(h.logs.String(), "copy of a followed file") }, "copy not seen")
		}
		if err := os.Truncate(log, 0); err != nil {
			t.Fatal(err)
		}
		tu.AppendFile(t, log, numbered("l", 101+100*i, 200+100*i))
		waitCount(t, h, "l", 200+100*i)
	}
	exactlyOnce(t, h.texts(), "l", 400)
}

func TestTruncateToZero(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "")
	h := start(t, testConfig(dir, src("app", log)))
	tu.AppendFile(t, log, numbered("l", 1, 100))
	waitCount(t, h, "l", 100)
	if err := os.Truncate(log, 0); err != nil {
		t.Fatal(err)
	}
	tu.AppendFile(t, log, numbered("l", 101, 110))
	waitCount(t, h, "l", 110)
	exactlyOnce(t, h.texts(), "l", 110)
	if got := h.metric("wedadiag_tailer_rotations_total", "source", "app", "kind", "truncate"); got != 1 {
		t.Errorf("truncate rotations = %v, want 1", got)
	}
}

func TestTruncateToSmallerSize(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "")
	h := start(t, testConfig(dir, src("app", log)))
	tu.AppendFile(t, log, numbered("l", 1, 100))
	waitCount(t, h, "l", 100)
	// Keep the first 20 lines (9 bytes each): they were read already.
	if err := os.Truncate(log, 20*9); err != nil {
		t.Fatal(err)
	}
	tu.AppendFile(t, log, numbered("l", 101, 110))
	waitCount(t, h, "l", 110)
	exactlyOnce(t, h.texts(), "l", 110)
}

func TestTruncatedAndRewrittenPastOffset(t *testing.T) {
	// The file is truncated and rewritten beyond our position before the
	// tailer looks again: its size never drops below our offset, but its
	// content changed. The tailer must notice and read the new content
	// from 0.
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "")
	h := start(t, behindConfig(dir, src("app", log)))
	h.setPause(true)
	tu.AppendFile(t, log, numbered("a", 1, 50))
	h.eventually(5*time.Second, func() bool {
		return h.metric("wedadiag_bytes_total", "source", "app") == 50*9
	}, "tailer did not read the first lines")
	tu.WriteFile(t, log, numbered("b", 1, 100)) // truncate + write 2× as much
	h.setPause(false)
	waitCount(t, h, "b", 100)
	exactlyOnce(t, h.texts(), "a", 50)
	exactlyOnce(t, h.texts(), "b", 100)
}

func TestSymlinkSwitch(t *testing.T) {
	dir := t.TempDir()
	v1, v2 := filepath.Join(dir, "v1.txt"), filepath.Join(dir, "v2.txt")
	link := filepath.Join(dir, "current.log")
	tu.WriteFile(t, v1, "")
	if err := os.Symlink(v1, link); err != nil {
		t.Fatal(err)
	}
	h := start(t, testConfig(dir, src("app", filepath.Join(dir, "*.log"))))
	tu.AppendFile(t, v1, numbered("l", 1, 50))
	waitCount(t, h, "l", 50)
	tu.AppendFile(t, v1, numbered("l", 51, 60))
	tu.WriteFile(t, v2, numbered("l", 61, 100))
	tmp := filepath.Join(dir, "current.tmp")
	if err := os.Symlink(v2, tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, link); err != nil {
		t.Fatal(err)
	}
	waitCount(t, h, "l", 100)
	exactlyOnce(t, h.texts(), "l", 100)
	if got := h.metric("wedadiag_tailer_rotations_total", "source", "app", "kind", "symlink"); got != 1 {
		t.Errorf("symlink rotations = %v, want 1", got)
	}
	for _, r := range h.records() {
		if r.Path != link {
			t.Fatalf("record path %q, want the glob's path %q", r.Path, link)
		}
	}
}

func TestRenameThenGzipWhileBehind(t *testing.T) {
	// logrotate create + compress: the rotated file is compressed and
	// deleted before the tailer finished it. The open descriptor still
	// reads it.
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "")
	h := start(t, behindConfig(dir, src("app", log)))
	h.setPause(true)
	tu.AppendFile(t, log, numbered("l", 1, 2000))
	h.eventually(5*time.Second, func() bool {
		return h.metric("wedadiag_bytes_total", "source", "app") > 0
	}, "tailer did not start reading")
	if err := os.Rename(log, log+".1"); err != nil {
		t.Fatal(err)
	}
	gzipFile(t, log+".1")
	tu.WriteFile(t, log, numbered("l", 2001, 2100))
	h.setPause(false)
	waitCount(t, h, "l", 2100)
	exactlyOnce(t, h.texts(), "l", 2100)
}

func TestDeleteRecreateReleasesFile(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "")
	h := start(t, testConfig(dir, src("app", log)))
	tu.AppendFile(t, log, numbered("l", 1, 10))
	waitCount(t, h, "l", 10)
	if err := os.Remove(log); err != nil {
		t.Fatal(err)
	}
	h.eventually(5*time.Second, func() bool {
		return h.metric("wedadiag_files_followed", "source", "app") == 0 && !fdOpen(t, log)
	}, "deleted file not released (files_followed %v)", lazy(func() any { return h.metric("wedadiag_files_followed", "source", "app") }))
	tu.WriteFile(t, log, numbered("l", 11, 20))
	waitCount(t, h, "l", 20)
	exactlyOnce(t, h.texts(), "l", 20)
}

func TestGlobMatchesNothingYet(t *testing.T) {
	dir := t.TempDir()
	h := start(t, testConfig(dir, src("app", filepath.Join(dir, "*.log"))))
	if !h.tl.Ready() {
		t.Fatal("not ready with a glob that matches nothing")
	}
	// A file that appears while running is read from its beginning.
	tu.WriteFile(t, filepath.Join(dir, "late.log"), numbered("l", 1, 5))
	waitCount(t, h, "l", 5)
	exactlyOnce(t, h.texts(), "l", 5)
}

func TestDirectoryAppearsLater(t *testing.T) {
	dir := t.TempDir()
	h := start(t, testConfig(dir, src("app", filepath.Join(dir, "pods", "*", "app", "*.log"))))
	tu.WriteFile(t, filepath.Join(dir, "pods", "p1", "app", "0.log"), numbered("l", 1, 5))
	waitCount(t, h, "l", 5)
	tu.WriteFile(t, filepath.Join(dir, "pods", "p2", "app", "0.log"), numbered("l", 6, 10))
	waitCount(t, h, "l", 10)
	eachOnce(t, h.texts(), "l", 10)
}

func TestPollOnly(t *testing.T) {
	// Without inotify (network volumes): polling finds files and rotations.
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "")
	cfg := testConfig(dir, src("app", filepath.Join(dir, "*.log")))
	cfg.Poll = true
	h := start(t, cfg)
	tu.AppendFile(t, log, numbered("l", 1, 10))
	waitCount(t, h, "l", 10)
	os.Rename(log, log+".1")
	tu.WriteFile(t, log, numbered("l", 11, 20))
	waitCount(t, h, "l", 20)
	exactlyOnce(t, h.texts(), "l", 20)
	if got := h.metric("wedadiag_tailer_poll_fallback", "source", "app"); got != 1 {
		t.Errorf("poll_fallback = %v, want 1", got)
	}
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// gzipFile compresses name to name.gz and removes name, as gzip does.
func gzipFile(t testing.TB, name string) {
	t.Helper()
	in, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(name + ".gz")
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(out)
	if _, err := io.Copy(zw, in); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(name); err != nil {
		t.Fatal(err)
	}
}

// fdOpen reports whether this process has a descriptor open on path
// (deleted or not).
func fdOpen(t testing.TB, path string) bool {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	for _, e := range ents {
		target, err := os.Readlink(filepath.Join("/proc/self/fd", e.Name()))
		if err == nil && strings.TrimSuffix(target, " (deleted)") == path {
			return true
		}
	}
	return false
}

func TestRewrittenToSameSizeThenRenamed(t *testing.T) {
	// While the tailer is blocked on the pipeline, the file is truncated
	// and rewritten to exactly the size it had (fixed-length lines), then
	// renamed away. Nothing about its size says it changed: its content
	// must, although it is no longer matched by the glob.
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "")
	h := start(t, behindConfig(dir, src("app", log)))
	h.setPause(true)
	tu.AppendFile(t, log, numbered("a", 1, 50))
	h.eventually(5*time.Second, func() bool {
		return h.metric("wedadiag_bytes_total", "source", "app") == 50*9
	}, "tailer did not read the first lines")
	f, err := os.OpenFile(log, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(numbered("b", 1, 50))
	f.Close()
	if err := os.Rename(log, log+".1"); err != nil {
		t.Fatal(err)
	}
	tu.WriteFile(t, log, numbered("c", 1, 10))
	h.setPause(false)
	waitCount(t, h, "c", 10)
	exactlyOnce(t, h.texts(), "a", 50)
	exactlyOnce(t, h.texts(), "b", 50)
	exactlyOnce(t, h.texts(), "c", 10)
	texts := strings.Join(h.texts(), " ")
	if !(strings.Index(texts, "a-000050") < strings.Index(texts, "b-000001") &&
		strings.Index(texts, "b-000050") < strings.Index(texts, "c-000001")) {
		t.Errorf("out of order: %s", texts)
	}
}

func TestHeldCopyNeverTruncated(t *testing.T) {
	// cp (or logrotate's "copy") without a truncation: the copy's content
	// was read in the original; it is followed from its end, not read again.
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	tu.WriteFile(t, log, "")
	h := start(t, testConfig(dir, src("app", filepath.Join(dir, "app.log*"))))
	tu.AppendFile(t, log, numbered("l", 1, 100))
	waitCount(t, h, "l", 100)
	copyFile(t, log, log+".bak")
	h.eventually(5*time.Second, func() bool {
		return strings.Contains(h.logs.String(), "is a copy of a followed file; following it from its end")
	}, "copy not settled:\n%s", lazy(func() any { return h.logs.String() }))
	tu.AppendFile(t, log, numbered("l", 101, 110))
	tu.AppendFile(t, log+".bak", numbered("l", 111, 115)) // appended to the copy: new
	waitCount(t, h, "l", 115)
	eachOnce(t, h.texts(), "l", 115)
}

func TestFileThatOnlyStartsLikeAnotherIsRead(t *testing.T) {
	// Every log of this app starts with the same banner. A new file that
	// begins like a followed one is held as a possible copy only briefly.
	dir := t.TempDir()
	a := filepath.Join(dir, "a.log")
	tu.WriteFile(t, a, "")
	h := start(t, testConfig(dir, src("app", filepath.Join(dir, "*.log"))))
	tu.AppendFile(t, a, "=== app v1.2 started ===\n")
	h.waitTexts("=== app v1.2 started ===")
	tu.WriteFile(t, filepath.Join(dir, "b.log"), "=== app v1.2 started ===\n"+numbered("l", 1, 20))
	waitCount(t, h, "l", 20)
	exactlyOnce(t, h.texts(), "l", 20)
	if n := strings.Count(strings.Join(h.texts(), "\n"), "started"); n != 2 {
		t.Errorf("banner read %d times, want 2 (once per file)", n)
	}
	if !strings.Contains(h.logs.String(), "not a copy after all") {
		t.Errorf("b.log was not held as a possible copy: the test misses its point\n%s", h.logs.String())
	}
}

// TestSymlinksOutsideRootsRefused: a symlink matched by a glob is followed
// only when it leads inside the glob's directory or an allow_roots entry; a
// link to anything else (/etc/shadow, a private file elsewhere) is not read,
// and is counted and logged.
func TestSymlinksOutsideRootsRefused(t *testing.T) {
	dir := t.TempDir()
	logs, other, secret := filepath.Join(dir, "logs"), filepath.Join(dir, "other"), filepath.Join(dir, "secret")
	for _, d := range []string{logs, filepath.Join(logs, "sub"), other, secret} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	tu.WriteFile(t, filepath.Join(secret, "shadow"), "root:SECRET\n")
	tu.WriteFile(t, filepath.Join(logs, "sub", "real.txt"), "")
	tu.WriteFile(t, filepath.Join(other, "ok.txt"), "")
	for link, target := range map[string]string{
		"shadow.log": filepath.Join(secret, "shadow"),
		"etc.log":    "/etc/passwd",
		"inside.log": filepath.Join(logs, "sub", "real.txt"),
		"other.log":  filepath.Join(other, "ok.txt"),
	} {
		if err := os.Symlink(target, filepath.Join(logs, link)); err != nil {
			t.Fatal(err)
		}
	}
	cfg := testConfig(dir, src("app", filepath.Join(logs, "*.log")))
	cfg.FromStart = true
	cfg.AllowRoots = []string{other}
	h := start(t, cfg)
	tu.AppendFile(t, filepath.Join(logs, "sub", "real.txt"), "inside\n")
	tu.AppendFile(t, filepath.Join(other, "ok.txt"), "other\n")
	h.eventually(5*time.Second, func() bool { return len(h.texts()) >= 2 }, "links inside the roots not read")
	h.poll()
	for _, s := range h.texts() {
		if s != "inside" && s != "other" {
			t.Errorf("read %q through a link outside the roots", s)
		}
	}
	if got := h.metric("wedadiag_tailer_symlinks_refused_total", "source", "app"); got != 2 {
		t.Errorf("symlinks_refused_total = %v, want 2\n%s", got, h.logs)
	}
	if n := strings.Count(h.logs.String(), "not following a symlink"); n != 2 {
		t.Errorf("%d refusals logged, want 2 (once each)", n)
	}
}

// TestTwoRotationsBetweenLooks: two rotations between two looks of the
// tailer (polling only, and no poll in between): the generation in the
// middle was never seen and is read between the old file's rest and the
// new file.
func TestTwoRotationsBetweenLooks(t *testing.T) {
	for _, compress := range []bool{false, true} {
		t.Run(fmt.Sprintf("compress=%v", compress), func(t *testing.T) {
			dir := t.TempDir()
			log := filepath.Join(dir, "app.log")
			tu.WriteFile(t, log, "")
			cfg := testConfig(dir, src("app", log))
			cfg.Poll = true
			h := start(t, cfg)
			tu.AppendFile(t, log, numbered("l", 1, 100))
			waitCount(t, h, "l", 100)
			tu.AppendFile(t, log, numbered("l", 101, 150))
			mustRename(t, log, log+".1")
			tu.WriteFile(t, log, numbered("l", 151, 200))
			mustRename(t, log+".1", log+".2")
			if compress {
				gzipFile(t, log+".2")
			}
			mustRename(t, log, log+".1")
			tu.WriteFile(t, log, numbered("l", 201, 250))
			waitCount(t, h, "l", 250)
			h.poll()
			exactlyOnce(t, h.texts(), "l", 250)
		})
	}
}

func mustRename(t *testing.T, from, to string) {
	t.Helper()
	if err := os.Rename(from, to); err != nil {
		t.Fatal(err)
	}
}
