package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/internal/gen"
)

func TestGenerate(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	want, err := gen.Generate(cat, gen.Metrics(), "all")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	generate := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := run(append([]string{"generate"}, args...), strings.NewReader(""), &out, &errOut)
		return code, out.String(), errOut.String()
	}

	code, out, errOut := generate("--dir", dir)
	if code != exitOK {
		t.Fatalf("generate: exit %d: %s", code, errOut)
	}
	for _, f := range want {
		path := filepath.Join(dir, filepath.FromSlash(f.Path))
		have, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(have, f.Data) {
			t.Errorf("%s: not what the generator produces (%v)", path, err)
		}
		if !strings.Contains(out, path+"\n") {
			t.Errorf("%s written but not printed:\n%s", path, out)
		}
	}
	if code, out, _ := generate("all", "--dir", dir); code != exitOK || out != "" {
		t.Errorf("second run: exit %d, printed %q; want nothing rewritten", code, out)
	}
	if code, _, errOut := generate("--check", "--dir", dir); code != exitOK {
		t.Errorf("--check on fresh files: exit %d: %s", code, errOut)
	}

	stale := filepath.Join(dir, "prometheus", "rules.yml")
	if err := os.WriteFile(stale, []byte("groups: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = generate("prometheus", "--check", "--dir", dir)
	if code != exitFail || out != "" || !strings.Contains(errOut, stale+": differs") ||
		!strings.Contains(errOut, "run: wedadiag generate prometheus --dir "+dir) {
		t.Errorf("--check on a stale file: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, out, _ := generate("prometheus", "--dir", dir); code != exitOK || out != stale+"\n" {
		t.Errorf("regenerating: exit %d, printed %q, want only %s", code, out, stale)
	}

	for _, bad := range [][]string{{"kibana"}, {"grafana", "prometheus"}, {"--bogus"}} {
		if code, _, errOut := generate(bad...); code != exitUsage || !strings.Contains(errOut, "wedadiag: ") {
			t.Errorf("generate %v: exit %d, stderr %q; want usage error 2", bad, code, errOut)
		}
	}
}

// TestCommittedFilesAreGenerated runs the command's --check against the
// repository's configs/, as a user would before committing.
func TestCommittedFilesAreGenerated(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"generate", "--check", "--dir", "../../configs"}, strings.NewReader(""), &out, &errOut); code != exitOK {
		t.Errorf("exit %d: %s(run: go run ./cmd/wedadiag generate all)", code, errOut.String())
	}
}

// TestCompiledFilesAreGenerated: the catalog and the built-in rules
// compiled to Go values are what their YAML makes (generate catalog and
// rules-go --check, as `go generate ./catalog ./rules` would write them),
// and a stale file is reported with the command that rewrites it.
func TestCompiledFilesAreGenerated(t *testing.T) {
	for _, c := range []struct{ target, flag, path string }{
		{"catalog", "--catalog-out", "../../catalog/catalog_gen.go"},
		{"rules-go", "--rules-go-out", "../../rules/builtin_gen.go"},
	} {
		var out, errOut bytes.Buffer
		if code := run([]string{"generate", c.target, "--check", c.flag, c.path}, strings.NewReader(""), &out, &errOut); code != exitOK {
			t.Errorf("%s: exit %d: %s(run: go generate ./catalog ./rules)", c.target, code, errOut.String())
		}
		stale := filepath.Join(t.TempDir(), "x_gen.go")
		if err := os.WriteFile(stale, []byte("package x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		errOut.Reset()
		if code := run([]string{"generate", c.target, "--check", c.flag, stale}, strings.NewReader(""), &out, &errOut); code != exitFail ||
			!strings.Contains(errOut.String(), "run: wedadiag generate "+c.target) {
			t.Errorf("%s --check of a stale file: exit %d, stderr %q", c.target, code, errOut.String())
		}
	}
}
