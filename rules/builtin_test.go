package rules

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestBuiltinListsEveryFile: Builtin hands on every builtin/*.yaml, in name
// order, with the bytes on disk (a file added to the directory must be
// embedded in builtin.go too).
func TestBuiltinListsEveryFile(t *testing.T) {
	paths, err := filepath.Glob("builtin/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files := Builtin()
	if len(files) != len(paths) {
		t.Fatalf("Builtin has %d files, builtin/ has %d: %v (embed the new file in builtin.go)", len(files), len(paths), paths)
	}
	for i, p := range paths {
		if files[i].Name != filepath.ToSlash(p) {
			t.Errorf("file %d: Builtin names %q, builtin/ has %q", i, files[i].Name, p)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(files[i].Data, data) {
			t.Errorf("%s: embedded bytes differ from the file's", p)
		}
	}
}
