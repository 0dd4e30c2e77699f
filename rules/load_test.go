package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadFiles(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"b.yaml", "a.yaml", "c.txt"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("rules: []\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files, err := LoadFiles([]string{filepath.Join(dir, "c.txt"), filepath.Join(dir, "*.yaml"), filepath.Join(dir, "none-*.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f.Name))
	}
	if got := strings.Join(names, " "); got != "c.txt a.yaml b.yaml" {
		t.Errorf("loaded %s, want the plain path, then the glob's matches in name order", got)
	}
	if _, err := LoadFiles([]string{filepath.Join(dir, "missing.yaml")}); err == nil {
		t.Error("a missing plain path loaded without error")
	}
}
