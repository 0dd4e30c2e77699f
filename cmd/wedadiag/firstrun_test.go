package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wedadiag/wedadiag/internal/testutil"
)

// TestREADMEFirstRun runs the commands of the README's "First run"
// section, as written, on a sample log put where they name the user's.
func TestREADMEFirstRun(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	sec := string(readme)
	i := strings.Index(sec, "## First run")
	if i < 0 {
		t.Fatal("README has no First run section")
	}
	sec = sec[i+len("## First run"):]
	sec = sec[:strings.Index(sec, "\n## ")]
	block := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(sec)
	if block == nil {
		t.Fatal("First run has no sh block")
	}
	dir := t.TempDir()
	logDir := filepath.Join(dir, "var", "log", "app")
	sample, err := os.ReadFile(filepath.Join("..", "..", "configs", "examples", "app.log"))
	if err != nil {
		t.Fatal(err)
	}
	testutil.WriteFile(t, filepath.Join(logDir, "app.log"), string(sample)+suggestLog)
	fix := func(s string) string {
		s = strings.ReplaceAll(s, "/var/log/app/", logDir+"/")
		return strings.ReplaceAll(s, "my-rules.yaml", filepath.Join(dir, "my-rules.yaml"))
	}
	ran := 0
	for _, line := range strings.Split(strings.TrimSpace(block[1]), "\n") {
		var env []string
		for strings.HasPrefix(line, "WEDADIAG_") {
			k, rest, _ := strings.Cut(line, " ")
			env, line = append(env, fix(k)), rest
		}
		if !strings.HasPrefix(line, "go run ./cmd/wedadiag ") {
			t.Fatalf("First run: %q is not a wedadiag command", line)
		}
		line = strings.TrimPrefix(line, "go run ./cmd/wedadiag ")
		out := ""
		if a, b, ok := strings.Cut(line, " > "); ok {
			line, out = a, fix(strings.TrimSpace(b))
		}
		var args []string
		for _, f := range strings.Fields(line) {
			args = append(args, fix(strings.Trim(f, "'")))
		}
		ran++
		if args[0] == "run" {
			firstRunDaemon(t, dir, env, args[1:])
			continue
		}
		if len(env) > 0 {
			t.Fatalf("%v: variables only go with run here", args)
		}
		code, stdout, stderr := runCLI(t, "", args...)
		if code != 0 {
			t.Fatalf("wedadiag %s: exit %d\n%s%s", strings.Join(args, " "), code, stdout, stderr)
		}
		if out != "" {
			testutil.WriteFile(t, out, stdout)
		}
		switch {
		case args[0] == "scan" && args[1] == "--rules":
			if !strings.Contains(stdout, "[custom · 自定义]") || strings.Contains(stdout, "未识别的错误（") {
				t.Errorf("scan with the suggested rules:\n%s", stdout)
			}
		case args[0] == "scan":
			if !strings.Contains(stdout, "FailedOperation.FlexdbResourceOverdue") || !strings.Contains(stdout, "未识别的错误（") {
				t.Errorf("first scan:\n%s", stdout)
			}
		}
	}
	if ran != 6 {
		t.Errorf("%d commands ran, the README shows 6", ran)
	}
}

var customSource = regexp.MustCompile(`"source":\s*"custom"`)

// firstRunDaemon runs `wedadiag run` as the README does (its state in the
// test's directory: startE2E sets WEDADIAG_STATE_DIR) and waits for a FAQ
// diagnosis and a custom one on the API.
func firstRunDaemon(t *testing.T, dir string, env, args []string) {
	t.Helper()
	d := startE2E(t, dir, env, args...)
	testutil.Eventually(t, 30*time.Second, func() bool {
		_, body, err := d.get("/api/v1/diagnoses")
		return err == nil && strings.Contains(body, `"datasource/flexdb-resource-overdue"`) && customSource.MatchString(body)
	}, "the daemon never showed the FAQ and the custom diagnoses")
	s := d.mustScrape()
	if n := s.sum("wedadiag_diagnoses_total", map[string]string{"source": "app", "id": "datasource/flexdb-resource-overdue"}); n < 1 {
		t.Errorf("no diagnosis counted for source app: %v", n)
	}
	if code, _ := d.stop(syscall.SIGTERM, stopLimit); code != 0 {
		t.Errorf("exit %d", code)
	}
}
