package gen

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wedadiag/wedadiag/configs"
	"github.com/wedadiag/wedadiag/internal/config"
	"github.com/wedadiag/wedadiag/internal/testutil"
)

// dockerfile returns the instructions of the Dockerfile: continuation lines
// joined, comments dropped, each as [INSTRUCTION, rest].
func dockerfile(t *testing.T) [][2]string {
	t.Helper()
	var out [][2]string
	var cur strings.Builder
	for _, line := range strings.Split(string(readRepo(t, "Dockerfile")), "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") || (trimmed == "" && cur.Len() == 0) {
			continue
		}
		if strings.HasSuffix(trimmed, "\\") {
			cur.WriteString(strings.TrimSuffix(trimmed, "\\") + " ")
			continue
		}
		cur.WriteString(trimmed)
		instr, rest, _ := strings.Cut(cur.String(), " ")
		out = append(out, [2]string{strings.ToUpper(instr), strings.TrimSpace(rest)})
		cur.Reset()
	}
	return out
}

func TestDockerfile(t *testing.T) {
	ins := dockerfile(t)
	var froms []string
	var final [][2]string // instructions of the last stage
	for _, in := range ins {
		if in[0] == "FROM" {
			froms = append(froms, in[1])
			final = nil
		}
		final = append(final, in)
	}
	if len(froms) < 2 {
		t.Fatalf("FROM %v: want a multi-stage build", froms)
	}
	if !regexp.MustCompile(`^golang:1\.26\S* AS build$`).MatchString(froms[0]) {
		t.Errorf("builder %q: want golang:1.26 AS build", froms[0])
	}
	last := froms[len(froms)-1]
	if last != "scratch" && !strings.HasPrefix(last, "gcr.io/distroless/static") {
		t.Errorf("final image %q: want distroless static or scratch", last)
	}
	var build string
	for _, in := range ins {
		if in[0] == "RUN" && strings.Contains(in[1], "go build") {
			build = in[1]
		}
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", `-ldflags "-s -w -X main.version=${VERSION} -X main.revision=${REVISION}"`, "./cmd/wedadiag"} {
		if !strings.Contains(build, want) {
			t.Errorf("go build lacks %s: %s", want, build)
		}
	}
	has := func(instr, value string) bool {
		return slices.ContainsFunc(final, func(in [2]string) bool { return in[0] == instr && in[1] == value })
	}
	var user string
	for _, in := range final {
		if in[0] == "USER" {
			user = in[1]
		}
	}
	if uid, _, _ := strings.Cut(user, ":"); uid == "" || uid == "root" || uid == "0" {
		t.Errorf("USER %q: want a non-root user in the final stage", user)
	}
	if !has("EXPOSE", "9894") {
		t.Error("no EXPOSE 9894")
	}
	if !has("ENTRYPOINT", `["/wedadiag", "run"]`) {
		t.Error(`no ENTRYPOINT ["/wedadiag", "run"]`)
	}
	if !slices.ContainsFunc(final, func(in [2]string) bool { return in[0] == "COPY" && strings.HasPrefix(in[1], "--from=build ") }) {
		t.Error("the final stage copies nothing from the builder")
	}
	// The state directory: owned by the user, and where the config points.
	if !has("ENV", "WEDADIAG_STATE_DIR=/var/lib/wedadiag") {
		t.Error("no ENV WEDADIAG_STATE_DIR=/var/lib/wedadiag")
	}
	ignore := string(readRepo(t, ".dockerignore"))
	for _, want := range []string{".git", "*.test"} {
		if !strings.Contains(ignore, want+"\n") {
			t.Errorf(".dockerignore lacks %s", want)
		}
	}
}

// TestDockerBuildGivesStaticBinary links wedadiag with the Dockerfile's
// -ldflags and checks the binary is stripped and carries the version, and
// that CGO_ENABLED=0 makes it static (no Docker engine needed). Without the
// race detector (go test ./internal/gen) it builds as the Dockerfile does,
// CGO_ENABLED=0, and checks the ELF file. Under -race (scripts/test) the
// other tests compiled every package with -race, and a CGO_ENABLED=0 build,
// which cannot have -race, would compile the standard library and every
// dependency once more: minutes of CPU. There it links those -race packages
// with the Dockerfile's -ldflags instead, and takes the static half from the
// package graph: with CGO_ENABLED=0 every package of cmd/wedadiag loads
// without cgo and runtime/cgo is not among them, so the Go linker links the
// binary internally and statically. Both leave out -trimpath (TestDockerfile
// checks the Dockerfile has it): it changes every package's build key, so it
// would recompile everything for a flag that changes no file names this test
// looks at.
func TestDockerBuildGivesStaticBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	goBin := tool(t, "go", "golang-go")
	var ldflags string
	for _, in := range dockerfile(t) {
		if m := regexp.MustCompile(`-ldflags "([^"]+)"`).FindStringSubmatch(in[1]); m != nil {
			ldflags = m[1]
		}
	}
	if ldflags == "" {
		t.Fatal("no -ldflags in the Dockerfile")
	}
	ldflags = strings.NewReplacer("${VERSION}", "9.8.7-test", "${REVISION}", "cafe123").Replace(ldflags)
	bin := filepath.Join(t.TempDir(), "wedadiag")
	args := []string{"build", "-ldflags", ldflags, "-o", bin}
	if testutil.RaceEnabled {
		args = append(args, "-race")
	}
	cmd := exec.Command(goBin, append(args, "./cmd/wedadiag")...)
	cmd.Dir = root
	if !testutil.RaceEnabled {
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if testutil.RaceEnabled {
		checkCgoFreeGraph(t, goBin)
	} else {
		checkStaticELF(t, goBin, bin)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Section(".symtab") != nil {
		t.Error("symbol table present: -s did not apply")
	}
	out, errOut, err := runTool(t, root, bin, "version")
	if err != nil || !strings.Contains(out, "9.8.7-test") || !strings.Contains(out, "cafe123") {
		t.Errorf("wedadiag version: %q %q %v", out, errOut, err)
	}
}

// checkStaticELF checks a CGO_ENABLED=0 build of wedadiag: the build setting
// is recorded and the ELF file asks for no interpreter and no library.
func checkStaticELF(t *testing.T, goBin, bin string) {
	t.Helper()
	if info, _, err := runTool(t, root, goBin, "version", "-m", bin); err != nil || !strings.Contains(info, "CGO_ENABLED=0") {
		t.Errorf("go version -m: want build setting CGO_ENABLED=0 (%v):\n%s", err, info)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("program header %v: the binary is dynamically linked", p.Type)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary needs %v", libs)
	}
	if fileBin, err := exec.LookPath("file"); err == nil {
		out, _, _ := runTool(t, root, fileBin, bin)
		if !strings.Contains(out, "statically linked") {
			t.Errorf("file: %s", out)
		}
	}
}

// checkCgoFreeGraph checks, without compiling, that with CGO_ENABLED=0 every
// package cmd/wedadiag imports loads (none is left without files by cgo's
// build constraint) and that runtime/cgo, which would make the linker link
// externally against the C library, is not among them.
func checkCgoFreeGraph(t *testing.T, goBin string) {
	t.Helper()
	cmd := exec.Command(goBin, "list", "-e", "-deps", "-f", "{{.ImportPath}}{{with .Error}}\t{{.}}{{end}}", "./cmd/wedadiag")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(pkgs) < 50 {
		t.Fatalf("go list -deps ./cmd/wedadiag: only %d packages:\n%s", len(pkgs), out)
	}
	for _, line := range pkgs {
		if path, problem, bad := strings.Cut(line, "\t"); bad {
			t.Errorf("with CGO_ENABLED=0, %s: %s", path, problem)
		} else if path == "runtime/cgo" {
			t.Error("with CGO_ENABLED=0, cmd/wedadiag still imports runtime/cgo")
		}
	}
}

// yamlDocs decodes every document of a multi-document YAML file.
func yamlDocs(t *testing.T, path string) []map[string]any {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(readRepo(t, path)))
	var docs []map[string]any
	for {
		var d map[string]any
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if d != nil {
			docs = append(docs, d)
		}
	}
}

// dig walks maps and lists: dig(v, "spec", "template", 0, "name").
func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func list(v any) []any { l, _ := v.([]any); return l }

func str(v any) string { s, _ := v.(string); return s }

// loadConfig runs a configuration through the daemon's own loader.
func loadConfig(t *testing.T, name, data string) *config.Config {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Options{File: path, Env: func(string) string { return "" }})
	if err != nil {
		t.Fatalf("%s does not load: %v", name, err)
	}
	return cfg
}

func toStrings(l []any) []string {
	var out []string
	for _, v := range l {
		out = append(out, fmt.Sprint(v))
	}
	return out
}

// unitDirectives reads a systemd unit into key → values.
func unitDirectives(data string) map[string][]string {
	out := map[string][]string{}
	for _, line := range strings.Split(data, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "[") {
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		out[k] = append(out[k], v)
	}
	return out
}

func TestSystemdUnit(t *testing.T) {
	const path = "configs/systemd/wedadiag.service"
	unit := string(readRepo(t, path))
	d := unitDirectives(unit)
	one := func(k string) string {
		if len(d[k]) == 0 {
			return ""
		}
		return d[k][len(d[k])-1]
	}
	if one("DynamicUser") != "yes" && one("User") == "" {
		t.Error("neither DynamicUser=yes nor User=")
	}
	for k, want := range map[string]string{
		"ProtectSystem": "strict", "StateDirectory": "wedadiag", "NoNewPrivileges": "yes",
		"ProtectHome": "yes", "PrivateTmp": "yes", "Environment": "WEDADIAG_STATE_DIR=/var/lib/wedadiag",
	} {
		if one(k) != want {
			t.Errorf("%s=%q, want %q", k, one(k), want)
		}
	}
	if one("ReadOnlyPaths") == "" {
		t.Error("no ReadOnlyPaths")
	}
	if !strings.HasPrefix(one("ExecStart"), "/usr/local/bin/wedadiag run ") || !strings.Contains(one("ExecReload"), "-HUP $MAINPID") {
		t.Errorf("ExecStart=%s ExecReload=%s", one("ExecStart"), one("ExecReload"))
	}

	analyze := tool(t, "systemd-analyze", "systemd")
	// verify wants ExecStart's binary to exist: point it at a stub.
	dir := t.TempDir()
	stub := filepath.Join(dir, "wedadiag")
	if err := os.WriteFile(stub, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	unitPath := filepath.Join(dir, "wedadiag.service")
	if err := os.WriteFile(unitPath, []byte(strings.ReplaceAll(unit, "/usr/local/bin/wedadiag", stub)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runTool(t, dir, analyze, "verify", unitPath)
	// Unknown or misspelt directives are only warnings: any output fails.
	if err != nil || strings.TrimSpace(out+errOut) != "" {
		t.Errorf("systemd-analyze verify %s: %v\n%s%s", path, err, out, errOut)
	}
	// Exposure 2.5 or less of 10 ("OK"); --offline needs systemd 250.
	out, errOut, err = runTool(t, dir, analyze, "security", "--offline=true", "--threshold=25", unitPath)
	switch {
	case err != nil && strings.Contains(errOut, "unrecognized option"):
		t.Logf("systemd-analyze security --offline is not supported here: %s", errOut)
	case err != nil:
		t.Errorf("systemd-analyze security: %v\n%s", err, lastLines(out+errOut, 5))
	default:
		t.Log(lastLines(out, 1))
	}
}

func lastLines(s string, n int) string {
	l := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(l[max(0, len(l)-n):], "\n")
}

// TestExampleConfigDocumentsEveryKey: configs/wedadiag.example.yaml sets
// every key of configs/default.yaml, and every field of a list item
// (sources, receivers, overrides), each with a comment, and it loads.
func TestExampleConfigDocumentsEveryKey(t *testing.T) {
	const path = "configs/wedadiag.example.yaml"
	example := readRepo(t, path)
	loadConfig(t, "example.yaml", string(example))

	var def, ex yaml.Node
	if err := yaml.Unmarshal(configs.DefaultYAML, &def); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(example, &ex); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	walkKeys(def.Content[0], "", func(key string, _ *yaml.Node) { want[key] = true })
	// Fields of list items, from the typed configuration.
	walkType(reflect.TypeOf(config.Config{}), "", want)
	if len(want) < 30 {
		t.Fatalf("only %d keys found; the walk is broken", len(want))
	}
	lines := strings.Split(string(example), "\n")
	found := map[string]bool{}
	walkKeys(ex.Content[0], "", func(key string, k *yaml.Node) {
		found[key] = true
		prev := ""
		for i := k.Line - 2; i >= 0; i-- {
			if s := strings.TrimSpace(lines[i]); s != "" {
				prev = s
				break
			}
		}
		commented := k.LineComment != "" || strings.HasPrefix(prev, "#") || strings.HasPrefix(prev, "- #")
		if want[key] && !commented {
			t.Errorf("%s:%d: %s has no comment", path, k.Line, key)
		}
	})
	for key := range want {
		if !found[key] {
			t.Errorf("%s does not document %s", path, key)
		}
	}
}

// walkKeys calls f with the dotted path of every mapping key; list items add
// "[]" to the path.
func walkKeys(n *yaml.Node, path string, f func(string, *yaml.Node)) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			if path != "" {
				key = path + "." + key
			}
			f(key, n.Content[i])
			walkKeys(n.Content[i+1], key, f)
		}
	case yaml.SequenceNode:
		for _, item := range n.Content {
			walkKeys(item, path+"[]", f)
		}
	}
}

// walkType adds the keys of struct fields inside lists of t, by their
// mapstructure tags.
func walkType(t reflect.Type, path string, out map[string]bool) {
	switch t.Kind() {
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			tag, _, _ := strings.Cut(t.Field(i).Tag.Get("mapstructure"), ",")
			if tag == "" || tag == "-" {
				continue
			}
			key := tag
			if path != "" {
				key = path + "." + tag
			}
			if strings.Contains(key, "[]") {
				out[key] = true
			}
			walkType(t.Field(i).Type, key, out)
		}
	case reflect.Slice:
		walkType(t.Elem(), path+"[]", out)
	}
}
