package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that keeps the failure instead of failing.
type recorder struct {
	testing.TB
	msg string
}

func (r *recorder) Errorf(format string, args ...any) { r.msg = format; _ = args }
func (r *recorder) Helper()                           {}

func TestGolden(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.txt")
	if err := os.WriteFile(path, []byte("a\nb\nc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &recorder{TB: t}
	Check(r, path, []byte("a\nb\nc\n"))
	if r.msg != "" {
		t.Errorf("equal content reported: %s", r.msg)
	}
	Check(r, path, []byte("a\nB\nc\n"))
	if !strings.Contains(r.msg, "differs at line") {
		t.Errorf("a difference went unreported: %q", r.msg)
	}
}
