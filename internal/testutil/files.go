package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

// WriteFile writes data to name (created with mode 0644, replaced if it
// exists), creating its directory, and fails the test on error.
func WriteFile(t testing.TB, name string, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// AppendFile appends data to name, creating it if needed, the way a logger
// opened with O_APPEND writes, and fails the test on error.
func AppendFile(t testing.TB, name string, data string) {
	t.Helper()
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(data); err != nil {
		f.Close()
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
