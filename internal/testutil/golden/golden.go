package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update is the -update flag of every test binary that imports golden:
// Golden then rewrites the files instead of comparing.
var update = flag.Bool("update", false, "rewrite golden files instead of comparing with them")

// Check compares got with the file at path (relative to the package's
// directory, usually under testdata/). Under -update it writes got there
// instead, creating directories. A difference names the first line that
// differs and shows the whole output.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -run '%s' -update writes it)", err, t.Name())
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	line := 0
	for line < len(gl) && line < len(wl) && gl[line] == wl[line] {
		line++
	}
	at := func(l []string) string {
		if line < len(l) {
			return l[line]
		}
		return "(end of file)"
	}
	t.Errorf("%s differs at line %d (go test -run '%s' -update rewrites it after review):\n got  %s\n want %s\n--- whole output:\n%s",
		path, line+1, t.Name(), at(gl), at(wl), got)
}
