package gen

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/wedadiag/wedadiag/catalog"
)

// root is the repository, seen from this package's directory.
const root = "../.."

// repoPath returns a repository path, slash-separated, as a file path.
func repoPath(p string) string { return filepath.Join(root, filepath.FromSlash(p)) }

func readRepo(t *testing.T, p string) []byte {
	t.Helper()
	data, err := os.ReadFile(repoPath(p))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func defaultCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// tool returns the path of a binary, or skips the test naming it and the
// Debian package that has it.
func tool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s not found (apt-get install %s); skipping this check", name, pkg)
	}
	return p
}

// runTool runs a binary in dir and returns its stdout and stderr.
func runTool(t *testing.T, dir, bin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}
