package main

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wedadiag/wedadiag/internal/testutil"
)

// runRules runs the CLI and returns its exit code, stdout and stderr.
func runRules(t *testing.T, argv ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(argv, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestRulesTestBuiltin(t *testing.T) {
	code, out, errs := runRules(t, "rules", "test")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if !regexp.MustCompile(`(?m)^\d+ rules, \d+ examples: ok$`).MatchString(out) || strings.Contains(out, "FAIL") {
		t.Errorf("output:\n%s", out)
	}
}

func TestRulesCheck(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	testutil.WriteFile(t, good, `rules:
  - id: flowable-task-listener-on-start
    when: has("onStart failed")
    yield: {id: flow/start-task-listener-on-start}
  - id: order-sync
    codes: [UserError.DsNotFound]
    yield: {code: bestCode()}
`)
	bad := filepath.Join(dir, "bad.yaml")
	testutil.WriteFile(t, bad, `rules:
  - id: ds-not-found
    when: has("UserError.DsNotFound") && Evnt.Code == "x"
    yield: {id: apis/ds-not-found}
  - id: sev
    prefilter: [x]
    when: "true"
    yield: {id: faq/x}
    labels: {severity: high}
`)

	code, out, errs := runRules(t, "rules", "check", good)
	if code != exitOK || !strings.Contains(out, good+": 2 rules, 1 replacing built-in rules\n") || !strings.HasSuffix(out, "examples: ok\n") {
		t.Errorf("good file: exit %d\n%s%s", code, out, errs)
	}

	code, out, errs = runRules(t, "rules", "check", good, bad)
	want := bad + `:3:42: rule "ds-not-found": when: unknown name Evnt`
	if code != exitFail || out != "" || !strings.HasPrefix(errs, want) ||
		!strings.Contains(errs, bad+`:9:24: rule "sev": severity must be one of critical, error, warning, not "high"`) ||
		!strings.HasSuffix(errs, "wedadiag: 2 faults in rule files\n") {
		t.Errorf("bad file: exit %d\nstdout %q\nstderr:\n%s", code, out, errs)
	}

	// A rule that compiles but yields an id the catalog lacks.
	unknown := filepath.Join(dir, "unknown.yaml")
	testutil.WriteFile(t, unknown, `rules:
  - id: typo
    when: has("FlexdbResourceOverdue")
    yield: {id: datasource/flexdb-resource-overdu}
`)
	code, _, errs = runRules(t, "rules", "check", unknown)
	if code != exitFail || !strings.Contains(errs, unknown+`:4:17: rule "typo": yield id "datasource/flexdb-resource-overdu" is not in the catalog (see `+"`wedadiag catalog`"+`); did you mean datasource/flexdb-resource-overdue`) {
		t.Errorf("unknown yield id: exit %d\n%s", code, errs)
	}

	if code, _, errs := runRules(t, "rules", "check", filepath.Join(dir, "missing.yaml")); code != exitFail || !strings.Contains(errs, "missing.yaml") {
		t.Errorf("missing file: exit %d %s", code, errs)
	}
	if code, out, _ := runRules(t, "rules", "check", filepath.Join(dir, "none-*.yaml")); code != exitOK || strings.Contains(out, "none-") {
		t.Errorf("empty glob: exit %d %s", code, out)
	}
	if code, _, _ := runRules(t, "rules", "check", filepath.Join(dir, "*.yaml")); code != exitFail {
		t.Errorf("glob with the bad file: exit %d", code)
	}
}

func TestRulesTestFailure(t *testing.T) {
	f := filepath.Join(t.TempDir(), "ex.yaml")
	testutil.WriteFile(t, f, `rules:
  - id: ds
    codes: [UserError.DsNotFound]
    yield: {code: bestCode(), message: ErrMessage}
    examples:
      - {input: '{"code":"UserError.DsNotFound","message":"找不到数据源order，或该数据源未正确更新"}', want: apis/ds-not-found}
      - {input: 'ERROR lookup failed: UserError.DsNotFound', want: ""}
      - {input: 'code=FnError.HTTP.NetworkError', want: apis/http-network-error}
`)
	code, out, _ := runRules(t, "rules", "test", f)
	if code != exitFail {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, want := range []string{
		"FAIL  ds ",
		"2 of 3 examples failed",
		f + `:7: want no match, got apis/ds-not-found`,
		f + `:8: want apis/http-network-error, got nothing`,
		"input: code=FnError.HTTP.NetworkError",
		"2 failed\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestRulesUsage(t *testing.T) {
	for _, argv := range [][]string{{"rules"}, {"rules", "frob"}, {"rules", "check", "--bogus"}} {
		if code, _, _ := runRules(t, argv...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", argv, code, exitUsage)
		}
	}
}
