package rules

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompileBadFiles compiles each file of testdata/bad, which holds one
// fault, and expects exactly its message.
func TestCompileBadFiles(t *testing.T) {
	tests := map[string][]string{
		"yaml-syntax.yaml":          {`2:1: yaml: did not find expected '-' indicator (in the block that opens on this line: check the indentation and brackets below it)`},
		"unknown-field.yaml":        {`3:5: rule "ds-not-found": unknown field "descripton" (did you mean "description"?)`},
		"unknown-name.yaml":         {`3:42: rule "ds-not-found": when: unknown name Evnt (variables: Source, Path, Raw, Format, Time, Level, Message, RequestID, Code, ErrMessage, Status, Fields, Codes; functions: has("literal"), bestCode())`},
		"not-bool.yaml":             {`4:11: rule "level": when: expected bool, but got string`},
		"syntax-block.yaml":         {`5:20: rule "block": when: unexpected token EOF`},
		"no-prefilter.yaml":         {`3:11: rule "any-error": when can be true of a record that holds none of the rule's literals, so the prefilter cannot select it: add prefilter: [literals one of which every matching record holds], or build when from has("…"), Code == "…", "…" in Codes, len(Codes) > 0, Status == N joined by && and ||`},
		"has-not-literal.yaml":      {`3:11: rule "dyn": when: has takes one string literal: has("FnError.")`},
		"bad-code.yaml":             {`3:13: rule "codes": "FailedOperation." is not a code: letters, digits, _ and dots (FailedOperation.FlexdbResourceOverdue), or a number (100009, 100,009, -501000)`},
		"code-not-in-vocab.yaml":    {`4:11: rule "vocab": when: "UserError.DsNotFund" in Codes is never true: "UserError.DsNotFund" is not in the rule's codes`},
		"yield-both.yaml":           {`5:13: rule "both": yield has id and a lookup: give either id, or code/message/question`},
		"yield-type.yaml":           {`5:19: rule "status": yield code: expected string, but got int`},
		"bad-severity.yaml":         {`6:24: rule "severity": severity must be one of critical, error, warning, not "high"`},
		"unknown-label.yaml":        {`6:14: rule "labels": unknown label "owner" (labels are severity, component, team)`},
		"duplicate-id.yaml":         {`6:5: rule "twice": id given to rule #1 too: ids are unique within a file`},
		"missing-id.yaml":           {`2:5: rule #1: missing id`},
		"missing-yield.yaml":        {`2:5: rule "no-yield": missing yield: what the rule finds ({id: <catalog id>} or {code: <expr>, message: <expr>})`},
		"missing-when.yaml":         {`2:5: rule "no-when": missing when: an expression, or codes: to match any of them`},
		"example-without-want.yaml": {`7:9: rule "ex": example without want (write want: "" for a record the rule must not match)`},
		"not-a-list.yaml":           {"2:3: `rules:` must be a list of rules, found a mapping"},
	}
	files, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no bad files: %v", err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			want, ok := tests[name]
			if !ok {
				t.Fatalf("no expectation for %s", name)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Compile(File{Name: path, Data: data})
			if err == nil {
				t.Fatal("compiled without error")
			}
			var faults Faults
			if !errors.As(err, &faults) {
				t.Fatalf("error %T is not Faults", err)
			}
			var got []string
			for _, f := range faults {
				got = append(got, strings.TrimPrefix(f.String(), path+":"))
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
	if n, _ := filepath.Glob("testdata/bad/*.yaml"); len(n) != len(tests) {
		t.Errorf("%d bad files, %d expectations", len(n), len(tests))
	}
}

func TestCompileAllFilesFaults(t *testing.T) {
	// Every fault of every file is reported, in file order.
	a := File{Name: "a.yaml", Data: []byte("rules:\n  - id: x\n    when: nope(\n    yield: {id: faq/x}\n")}
	b := File{Name: "b.yaml", Data: []byte("rules:\n  - id: y\n    prefilter: [\"\"]\n    when: has(\"y\")\n    yield: {id: faq/y}\n")}
	_, err := Compile(a, b)
	var faults Faults
	if !errors.As(err, &faults) || len(faults) != 2 || faults[0].File != "a.yaml" || faults[1].File != "b.yaml" {
		t.Fatalf("got %v", err)
	}
	if faults[1].Line != 3 || faults[1].Col != 17 {
		t.Errorf("prefilter fault at %d:%d, want 3:17", faults[1].Line, faults[1].Col)
	}
}

func TestCompileOverride(t *testing.T) {
	base := File{Name: "base.yaml", Data: []byte(`rules:
  - id: one
    when: has("alpha")
    yield: {id: faq/one}
  - id: two
    when: has("beta")
    yield: {id: faq/two}
`)}
	user := File{Name: "user.yaml", Data: []byte(`rules:
  - id: one
    when: has("gamma")
    yield: {id: faq/one-user}
  - id: three
    when: has("delta")
    yield: {id: faq/three}
`)}
	s, err := Compile(base, user)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range s.Rules() {
		ids = append(ids, r.ID+"@"+r.File)
	}
	if got := strings.Join(ids, " "); got != "one@user.yaml two@base.yaml three@user.yaml" {
		t.Errorf("rules %s", got)
	}
	m := s.NewMatcher()
	if res := m.Match(rec("alpha")); len(res.Matches) != 0 {
		t.Errorf("overridden rule still matches: %+v", res.Matches)
	}
	if res := m.Match(rec("gamma")); len(res.Matches) != 1 || res.Matches[0].ID != "faq/one-user" {
		t.Errorf("overriding rule: %+v", res.Matches)
	}
}

func TestNeedlesDerived(t *testing.T) {
	ok := []string{
		`has("a")`,
		`has("a") && Level == "error"`,
		`Level == "error" && (has("a") || has("b"))`,
		`Code == "UserError.DsNotFound"`,
		`Code in ["-504002", "-504003"]`,
		`Status == 433 && (has("errorMessage") || has("timed out")) || has("TimeLimitReached")`,
		`Raw contains "x" || Code startsWith "FnError."`,
		`len(Codes) > 0`,
		`"A.B" in Codes`,
		`Level == "error" ? has("x") : has("y")`,
		`Status == 402 && has("x")`,
		`Status in [433, 434] && has("errorCode")`,
		`false || has("x")`,
	}
	for _, w := range ok {
		src := "rules:\n  - id: r\n    codes: [A.B]\n    when: '" + strings.ReplaceAll(w, "'", "''") + "'\n    yield: {code: Code}\n"
		if _, err := Compile(File{Name: "t.yaml", Data: []byte(src)}); err != nil {
			t.Errorf("%s: %v", w, err)
		}
	}
	bad := []string{
		`Level == "error"`,
		`has("a") || Level == "error"`,
		`not has("a")`,
		`Code != "X"`,
		`Code contains "100"`,
		`len(Codes) == 0`,
	}
	for _, w := range bad {
		src := "rules:\n  - id: r\n    codes: [A.B]\n    when: '" + strings.ReplaceAll(w, "'", "''") + "'\n    yield: {code: Code}\n"
		if _, err := Compile(File{Name: "t.yaml", Data: []byte(src)}); err == nil || !strings.Contains(err.Error(), "prefilter cannot select it") {
			t.Errorf("%s: want a prefilter fault, got %v", w, err)
		}
	}
}

// TestPrefilterClauses: a rule is a candidate only when every clause of
// its when has a literal in the record.
func TestPrefilterClauses(t *testing.T) {
	s, err := Compile(File{Name: "t.yaml", Data: []byte(`rules:
  - id: cdn
    codes: [ENV_SUSPENDED]
    when: '"ENV_SUSPENDED" in Codes || Status == 402 && (has("tcloudbaseapp.com") || has("tcloudbase.com"))'
    yield: {id: faq/cdn}
`)})
	if err != nil {
		t.Fatal(err)
	}
	m := s.NewMatcher()
	for in, want := range map[string]bool{
		`1.2.3.4 - - [02/Apr/2025:20:41:09 +0800] "GET / HTTP/1.1" 200 187 "-" "UA" "a.tcloudbaseapp.com"`: false,
		`1.2.3.4 - - [02/Apr/2025:20:41:09 +0800] "GET / HTTP/1.1" 402 187 "-" "UA" "a.tcloudbaseapp.com"`: true,
		`{"code":"ENV_SUSPENDED"}`: true,
		`1.2.3.4 - - [02/Apr/2025:20:41:09 +0800] "GET / HTTP/1.1" 200 4021 "-" "UA" "a.tcloudbaseapp.com"`: false,
		`1.2.3.4 - - [02/Apr/2025:20:41:09 +0800] "GET / HTTP/1.1" 402 187 "-" "UA" "a.example.com"`:        false,
	} {
		m.Match(rec(in))
		if got := len(m.cands) > 0; got != want {
			t.Errorf("%s: candidate %v, want %v", in, got, want)
		}
	}
}

// TestStatusOnlyClause: a rule whose prefilter is a status alone is a
// candidate wherever the status stands as a whole number.
func TestStatusOnlyClause(t *testing.T) {
	s, err := Compile(File{Name: "t.yaml", Data: []byte(`rules:
  - id: unavailable
    when: 'Status in [503, 504] && Level == "error"'
    yield: {id: faq/x}
`)})
	if err != nil {
		t.Fatal(err)
	}
	m := s.NewMatcher()
	for in, want := range map[string]bool{
		`level=error status=503`:  true,
		`level=error status=504`:  true,
		`level=error status=5030`: false,
		`level=error status=200`:  false,
	} {
		res := m.Match(rec(in))
		if got := len(m.cands) > 0; got != want {
			t.Errorf("%s: candidate %v, want %v", in, got, want)
		}
		if want && len(res.Matches) != 1 {
			t.Errorf("%s: matches %v, want one", in, found(res))
		}
	}
}

func TestCodeForms(t *testing.T) {
	for in, want := range map[string]string{
		"100009": "100009 100,009", "100,009": "100009 100,009", "-501000": "-501000 -501,000",
		"433": "433", "FailedOperation": "FailedOperation",
	} {
		if got := strings.Join(codeForms(in), " "); got != want {
			t.Errorf("codeForms(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBuiltinCompiles(t *testing.T) {
	files := Builtin()
	if len(files) == 0 {
		t.Fatal("no built-in rule files")
	}
	s, err := Compile(files...)
	if err != nil {
		t.Fatal(err)
	}
	s.ready()
	for _, r := range s.rules {
		pos, neg := 0, 0
		for _, ex := range r.examples {
			if ex.Want == "" {
				neg++
			} else {
				pos++
			}
		}
		if pos == 0 || neg == 0 {
			t.Errorf("built-in rule %q (%s:%d) has %d positive and %d negative examples; it needs one of each", r.id, r.file, r.line, pos, neg)
		}
	}
}

// TestEnvNames: a rule's variables are the Event's fields, no more: the
// Event that the expression environment embeds is not itself a name.
func TestEnvNames(t *testing.T) {
	for when, fault := range map[string]bool{
		`has("boom") && Code == "" && Fields["k"] == "v"`: false,
		`has("boom") && Event.Code == ""`:                 true,
		`has("boom") && Field("k") == "v"`:                true,
	} {
		_, err := Compile(File{Name: "x.yaml", Data: []byte("rules:\n  - id: a\n    when: '" + when + "'\n    yield: {id: x/y}\n")})
		if got := err != nil; got != fault {
			t.Errorf("%s: error %v, want a fault %v", when, err, fault)
		}
	}
}

// TestWideOrKeepsSelectiveClauses: a disjunction of conjunctions too wide
// to expand keeps, per side, its most selective clause, so a record with
// only a common word of one conjunction does not wake the rule.
func TestWideOrKeepsSelectiveClauses(t *testing.T) {
	src := `rules:
  - id: wide
    when: (has("page") && has("no permission")) || (has("flow") && has("referenced by")) || (has("admin") && has("person in charge")) || (has("CDN") && has("traffic") && has("exhausted")) || (has("record") && has("is locked"))
    yield: {code: '"X"'}
`
	s, err := Compile(File{Name: "w.yaml", Data: []byte(src)})
	if err != nil {
		t.Fatal(err)
	}
	m := s.NewMatcher()
	for in, want := range map[string]bool{
		"GET /page/index flow record admin CDN traffic":   false,
		"ERROR no permission to access page /pages/a":     true,
		"ERROR delete flow: referenced by 3 instances":    true,
		"ERROR CDN traffic exhausted":                     true,
		"ERROR record 7 is locked":                        true,
		"ERROR exhausted":                                 false,
		"ERROR filing: admin is not the person in charge": true,
	} {
		res := m.Match(rec(in))
		if got := len(res.Matches) > 0; got != want {
			t.Errorf("%q: matched %v, want %v", in, got, want)
		}
		if in == "GET /page/index flow record admin CDN traffic" && res.Event != nil {
			t.Errorf("%q: parsed; the prefilter should have stopped it", in)
		}
	}
}
