package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/internal/testutil"
)

// suggestLog holds error lines no built-in rule explains, of several
// kinds: plain text with numbers, JSON, Chinese text, a browser console line.
const suggestLog = `2024-06-21 10:00:00.001 ERROR [pay] gateway refused order 1001: quota 7 exceeded
2024-06-21 10:00:01.002 ERROR [pay] gateway refused order 1002: quota 9 exceeded
{"level":"error","msg":"inventory service unreachable after 3 retries","traceId":"a1b2c3d4e5f60718"}
2024-06-21 10:00:02.003 ERROR 库存同步失败，仓库 12 未响应
[Error] Failed to load resource: the server responded with a status of 502 () (main.js, line 0)
2024-06-21 10:00:03.004 INFO all good
`

// TestRulesSuggest: the skeleton suggested for unmatched templates passes
// `rules check` and `rules test` as written, and with it the same log has
// no unmatched template left.
func TestRulesSuggest(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "app.log")
	testutil.WriteFile(t, logPath, suggestLog)
	code, out, errOut := runCLI(t, "", "rules", "suggest", logPath)
	if code != 0 {
		t.Fatalf("suggest: exit %d\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "4 of 4 unmatched templates suggested") {
		t.Errorf("suggest stderr: %s", errOut)
	}
	for _, want := range []string{"entries:", "id: custom/pay-gateway-refused-order", "message: '[pay] gateway refused order {0} quota {1} exceeded'", "rules:", "want: custom/"} {
		if !strings.Contains(out, want) {
			t.Errorf("suggested file lacks %q:\n%s", want, out)
		}
	}
	sugg := filepath.Join(dir, "suggested.yaml")
	testutil.WriteFile(t, sugg, out)
	if code, o, e := runCLI(t, "", "rules", "check", sugg); code != 0 {
		t.Fatalf("rules check of the suggestion: exit %d\n%s%s", code, o, e)
	}
	code, o, e := runCLI(t, "", "rules", "test", sugg)
	if code != 0 || !strings.Contains(o, "ok    custom-pay-gateway-refused-order") {
		t.Fatalf("rules test of the suggestion: exit %d\n%s%s", code, o, e)
	}
	code, o, _ = runCLI(t, "", "scan", "--format", "json", "--rules", sugg, logPath)
	if code != 0 || !strings.Contains(o, `"unmatched": []`) || strings.Count(o, `"source": "custom"`) != 4 {
		t.Errorf("scan with the suggestion: exit %d\n%s", code, o)
	}
}

// TestRulesSuggestFromState reads what a daemon saved.
func TestRulesSuggestFromState(t *testing.T) {
	dir := t.TempDir()
	u := diagnose.NewUnknowns()
	u.Add("2024-06-21 10:00:00 ERROR payment callback rejected: signature mismatch for order 77")
	if err := diagnose.SaveUnmatched(dir, u.Top(10)); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "", "rules", "suggest", "--from-state", "--state-dir", dir)
	if code != 0 || !strings.Contains(out, `has("ERROR payment callback rejected: signature mismatch for order")`) {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	// An empty directory: one error line, exit 1.
	code, out, errOut = runCLI(t, "", "rules", "suggest", "--from-state", "--state-dir", t.TempDir())
	if code != 1 || out != "" || !strings.Contains(errOut, "no daemon has saved unmatched templates") {
		t.Errorf("empty state: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, _, _ := runCLI(t, "", "rules", "suggest"); code != 2 {
		t.Errorf("suggest without input: exit %d, want 2", code)
	}
}

// TestRulesDocs: `rules --help` leads to the reference, and `rules docs`
// prints docs/rules.md as committed.
func TestRulesDocs(t *testing.T) {
	code, out, _ := runCLI(t, "", "rules", "--help")
	if code != 0 || !strings.Contains(out, "docs/rules.md") || !strings.Contains(out, "rules docs") {
		t.Errorf("rules --help: exit %d\n%s", code, out)
	}
	code, out, errOut := runCLI(t, "", "rules", "docs")
	want, err := os.ReadFile(filepath.Join("..", "..", "docs", "rules.md"))
	if err != nil {
		t.Fatal(err)
	}
	if code != 0 || out != string(want) {
		t.Errorf("rules docs: exit %d, %d bytes (want %d)\n%s", code, len(out), len(want), errOut)
	}
}
