package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
)

// The pieces of `scan`'s start-up, apart: the catalog's YAML load (what
// `wedadiag generate catalog` does; catalog.Default builds the catalog
// from the compiled values instead: catalog's BenchmarkDefaultCompiled),
// the rules' compile against it (built-in rules from their compiled form,
// built on first use), and the rest of a scan of an empty file (the
// catalog already loaded).

func BenchmarkStartupCatalogLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := catalog.Load(os.DirFS("../../catalog/data")); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStartupRules(b *testing.B) {
	cat, err := catalog.Default()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := diagnose.LoadRules(cat, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStartupScanEmpty(b *testing.B) {
	empty := filepath.Join(b.TempDir(), "empty.log")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if code := run([]string{"scan", "--format", "json", empty}, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
