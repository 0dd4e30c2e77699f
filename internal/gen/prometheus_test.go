package gen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"text/template"

	"go.yaml.in/yaml/v3"
)

func TestRulesPassPromtool(t *testing.T) {
	promtool := tool(t, "promtool", "prometheus")
	dir := repoPath("configs/prometheus")
	for _, args := range [][]string{
		{"check", "rules", RulesFile},
		{"test", "rules", RulesTestFile},
		{"check", "config", "prometheus.yml"},
	} {
		out, errOut, err := runTool(t, dir, promtool, args...)
		if err != nil {
			t.Errorf("promtool %s: %v\n%s%s", strings.Join(args, " "), err, out, errOut)
		}
	}
}

func loadRules(t *testing.T) ruleFile {
	t.Helper()
	var rf ruleFile
	if err := yaml.Unmarshal(readRepo(t, "configs/"+RulesPath), &rf); err != nil {
		t.Fatal(err)
	}
	return rf
}

// TestRulesCarryTheCatalog checks the committed rules against the catalog
// itself, not the generator: an alert per critical entry, annotations
// verbatim, and templates Prometheus can parse.
func TestRulesCarryTheCatalog(t *testing.T) {
	cat := defaultCatalog(t)
	rf := loadRules(t)
	alerts := map[string]rule{}
	groups := map[string]bool{}
	for _, g := range rf.Groups {
		groups[g.Name] = true
		for _, r := range g.Rules {
			if r.Alert == "" {
				if !strings.Contains(r.Record, ":") {
					t.Errorf("recording rule %q: want level:metric:operations", r.Record)
				}
				continue
			}
			alerts[r.Alert] = r
			a := r.Annotations
			if a == nil || a.Summary == "" || a.SummaryEn == "" || a.Remedy == "" || a.RemedyEn == "" || a.Description == "" {
				t.Errorf("%s: annotations summary, summary_en, description, remedy, remedy_en all needed", r.Alert)
				continue
			}
			if sev := r.Labels["severity"]; sev != "critical" && sev != "error" && sev != "warning" {
				t.Errorf("%s: severity label %q", r.Alert, sev)
			}
			// Prometheus defines $labels and $value before expanding.
			for _, text := range []string{a.Summary, a.SummaryEn, a.Description, a.DescriptionEn, a.Remedy, a.RemedyEn, a.Docs, a.Explain} {
				if _, err := template.New(r.Alert).Parse("{{$labels := .Labels}}{{$value := .Value}}" + text); err != nil {
					t.Errorf("%s: %v", r.Alert, err)
				}
			}
		}
	}
	for _, g := range []string{"wedadiag.recording", "wedadiag.catalog", "wedadiag.severity", "wedadiag.self"} {
		if !groups[g] {
			t.Errorf("no group %s", g)
		}
	}
	critical := CriticalEntries(cat)
	if len(critical) == 0 {
		t.Fatal("the catalog has no critical entry")
	}
	for _, e := range critical {
		r, ok := alerts[AlertName(e.ID)]
		if !ok {
			t.Errorf("critical entry %s has no alert %s", e.ID, AlertName(e.ID))
			continue
		}
		a := r.Annotations
		if a.Summary != escapeTemplate(e.Title("zh")) || a.Remedy != escapeTemplate(e.Remedy("zh")) ||
			a.SummaryEn != escapeTemplate(e.TitleEn) || a.RemedyEn != escapeTemplate(e.RemedyEn) {
			t.Errorf("%s: summary or remedy is not the catalog's", r.Alert)
		}
		if !strings.Contains(r.Expr, `wedadiag_diagnoses_total{id="`+e.ID+`"}`) || !strings.Contains(r.Expr, "increase(") {
			t.Errorf("%s: expr %s", r.Alert, r.Expr)
		}
		if r.Labels["severity"] != "critical" {
			t.Errorf("%s: severity %q", r.Alert, r.Labels["severity"])
		}
		for _, d := range e.Docs {
			if !strings.Contains(a.Docs, d) {
				t.Errorf("%s: docs lack %s", r.Alert, d)
			}
		}
	}
	generic, ok := alerts["WeDaCriticalDiagnosis"]
	if !ok {
		t.Fatal("no generic critical alert")
	}
	for _, e := range critical {
		if !strings.Contains(generic.Expr, e.ID) {
			t.Errorf("WeDaCriticalDiagnosis does not leave out %s, which has its own alert", e.ID)
		}
	}
	for _, name := range []string{"WeDaErrorDiagnoses", "WeDaWarningDiagnoses", "WeDaDiagConfigReloadFailed",
		"WeDaDiagAlertDeliveryFailing", "WeDaDiagAlertsDropped", "WeDaDiagFallingBehind", "WeDaDiagNoLines"} {
		if _, ok := alerts[name]; !ok {
			t.Errorf("no alert %s", name)
		}
	}
}

// TestTemplateTextIsEscaped runs an entry whose remedy holds "{{" (a WeDa
// variable) through promtool: the alert must show it literally.
func TestTemplateTextIsEscaped(t *testing.T) {
	promtool := tool(t, "promtool", "prometheus")
	cat := defaultCatalog(t)
	for _, e := range cat.Entries() {
		if !strings.Contains(e.Remedy("zh"), "{{") {
			continue
		}
		r := entryAlert(cat, e)
		labels := diagLabels(e, "app")
		want, err := expected(r, without(scraped(labels), "instance"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(want.ExpAnnotations["remedy"], "{{") {
			t.Fatalf("%s: expected remedy lost its braces: %q", e.ID, want.ExpAnnotations["remedy"])
		}
		dir := t.TempDir()
		rules, err := marshalYAML(ruleFile{Groups: []ruleGroup{{Name: "t", Rules: []rule{r}}}}, "")
		if err != nil {
			t.Fatal(err)
		}
		tests, err := marshalYAML(unitTests{RuleFiles: []string{"r.yml"}, EvaluationInterval: "1m", Tests: []unitTest{{
			Name: e.ID, Interval: "1m",
			InputSeries:    []series{{seriesOf("wedadiag_diagnoses_total", scraped(labels)), "0 1 2 3 4 5"}},
			AlertRuleTests: []alertTest{{EvalTime: "5m", Alertname: r.Alert, ExpAlerts: []expAlert{want}}},
		}}}, "")
		if err != nil {
			t.Fatal(err)
		}
		for name, data := range map[string][]byte{"r.yml": rules, "t.yml": tests} {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if out, errOut, err := runTool(t, dir, promtool, "test", "rules", "t.yml"); err != nil {
			t.Errorf("%s: %v\n%s%s", e.ID, err, out, errOut)
		}
		return
	}
	t.Skip("no catalog remedy holds {{ any more")
}
