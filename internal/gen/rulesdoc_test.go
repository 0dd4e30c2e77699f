package gen

import (
	"bytes"
	"strings"
	"testing"

	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/rules"
)

// TestRulesDocIsCommitted: docs/rules.md is what the code generates.
func TestRulesDocIsCommitted(t *testing.T) {
	data, err := RulesDoc(defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(readRepo(t, RulesDocPath), data) {
		t.Errorf("%s differs from what the code generates; run: go run ./cmd/wedadiag generate docs", RulesDocPath)
	}
	// Every built-in rule is listed, with its file and line.
	cat := defaultCatalog(t)
	set, err := diagnose.CompileRules(cat, rules.Builtin()...)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range set.Rules() {
		if !bytes.Contains(data, []byte("| `"+r.ID+"` | `"+r.File)) {
			t.Errorf("built-in rule %s is not in %s", r.ID, RulesDocPath)
		}
	}
	for _, v := range rules.Variables() {
		if v.Doc == "" {
			t.Errorf("variable %s has no description (rules.variableDocs)", v.Name)
		}
	}
}

// TestRulesDocExample: the example rule file of the page compiles and its
// examples pass.
func TestRulesDocExample(t *testing.T) {
	k, err := diagnose.Compile(defaultCatalog(t), append(rules.Builtin(), rules.File{Name: "example.yaml", Data: []byte(exampleRuleFile)})...)
	if err != nil {
		t.Fatal(err)
	}
	res := diagnose.NewResolver(k.Catalog)
	n := 0
	for _, x := range rules.Test(k.Set, res.ResolveID) {
		if x.File == "example.yaml" || x.Rule == diagnose.CustomCodeRule {
			n++
			if !x.Pass {
				t.Errorf("example of %s at line %d: want %q, got %v", x.Rule, x.Line, x.Want, x.Got)
			}
		}
	}
	if n != 3 || !strings.Contains(exampleRuleFile, "entries:") {
		t.Errorf("%d examples ran, want 3", n)
	}
}
