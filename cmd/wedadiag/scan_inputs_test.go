package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// zeros is an endless stream of NUL bytes, as /dev/zero gives.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	clear(p)
	z.n += int64(len(p))
	return len(p), nil
}

// scan refuses what would block or never end, and says so on stderr only.
func TestScanRefusesNonRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{fifo, "/dev/zero", dir} {
		code, out, errs := runCLI(t, "", "scan", path)
		if code != 1 || out != "" || !strings.Contains(errs, "not a regular file") || !strings.Contains(errs, "scan - <") {
			t.Errorf("scan %s: exit %d, stdout %q, stderr %q", path, code, out, errs)
		}
	}
}

// A stream that never ends its line is given up after MaxLineRun bytes with
// a clear message, whatever reads it (here: standard input from /dev/zero).
func TestScanStopsWithoutNewline(t *testing.T) {
	z := &zeros{}
	var out, errb bytes.Buffer
	code := run([]string{"scan", "-"}, z, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "no newline in 64 MiB") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
	if z.n > 80<<20 {
		t.Errorf("read %d MiB before stopping", z.n>>20)
	}
}

// A missing file: the error and nothing else; a bad --top: usage.
func TestScanMissingFileAndBadFlags(t *testing.T) {
	code, out, errs := runCLI(t, "", "scan", filepath.Join(t.TempDir(), "nope.log"))
	if code != 1 || out != "" || !strings.Contains(errs, "no such file") {
		t.Errorf("missing file: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	for _, bad := range [][]string{{"--top", "-1"}, {"--top", "x"}} {
		code, out, errs := runCLI(t, "", append(append([]string{"scan"}, bad...), "-")...)
		if code != 2 || out != "" || errs == "" {
			t.Errorf("scan %v: exit %d, stdout %q, stderr %q", bad, code, out, errs)
		}
	}
}

// A quoted glob is expanded, in name order; one that matches nothing is a
// usage error naming it.
func TestScanExpandsQuotedGlobs(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"b.log", "a.log"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("INFO fine\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := runCLI(t, "", "scan", "--format", "json", filepath.Join(dir, "*.log"))
	if code != 0 || !strings.Contains(out, `"lines": 2`) || strings.Index(out, "a.log") > strings.Index(out, "b.log") {
		t.Errorf("glob: exit %d, stderr %q\n%s", code, errs, out)
	}
	code, _, errs = runCLI(t, "", "scan", filepath.Join(dir, "*.txt"))
	if code != 2 || !strings.Contains(errs, "matches no file") {
		t.Errorf("empty glob: exit %d, stderr %q", code, errs)
	}
}
