package gen

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	gbargauge "github.com/grafana/grafana-foundation-sdk/go/bargauge"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	gdash "github.com/grafana/grafana-foundation-sdk/go/dashboard"
	gprom "github.com/grafana/grafana-foundation-sdk/go/prometheus"
	gstat "github.com/grafana/grafana-foundation-sdk/go/stat"
	gtable "github.com/grafana/grafana-foundation-sdk/go/table"
	gtimeseries "github.com/grafana/grafana-foundation-sdk/go/timeseries"
	"go.yaml.in/yaml/v3"
)

type gPanel struct {
	ID          int               `json:"id"`
	Type        string            `json:"type"`
	Title       string            `json:"title"`
	Datasource  map[string]string `json:"datasource"`
	GridPos     map[string]int    `json:"gridPos"`
	FieldConfig json.RawMessage   `json:"fieldConfig"`
	Targets     []struct {
		Datasource map[string]string `json:"datasource"`
		Expr       string            `json:"expr"`
		RefID      string            `json:"refId"`
	} `json:"targets"`
}

type gDashboard struct {
	ID            *int     `json:"id"`
	UID           string   `json:"uid"`
	Title         string   `json:"title"`
	SchemaVersion int      `json:"schemaVersion"`
	Panels        []gPanel `json:"panels"`
	Templating    struct {
		List []struct {
			Name       string            `json:"name"`
			Type       string            `json:"type"`
			Query      any               `json:"query"`
			Definition string            `json:"definition"`
			Datasource map[string]string `json:"datasource"`
		} `json:"list"`
	} `json:"templating"`
}

func loadDashboard(t *testing.T) ([]byte, gDashboard) {
	t.Helper()
	raw := readRepo(t, "configs/"+DashboardPath)
	var d gDashboard
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	if err := dec.Decode(&d); err != nil {
		t.Fatal(err)
	}
	return raw, d
}

var wantDS = map[string]string{"type": "prometheus", "uid": "${datasource}"}

// TestDashboardSchema checks what Grafana's file provisioning needs and what
// the issue asks of the panels.
func TestDashboardSchema(t *testing.T) {
	raw, d := loadDashboard(t)
	var generic map[string]any
	if err := json.Unmarshal(raw, &generic); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"uid", "title", "schemaVersion", "panels", "templating", "time", "annotations", "version"} {
		if _, ok := generic[key]; !ok {
			t.Errorf("no %q", key)
		}
	}
	if _, ok := generic["__inputs"]; ok {
		t.Error("__inputs: an export for the UI's import, not for file provisioning")
	}
	if strings.Contains(string(raw), "${DS_") {
		t.Error("${DS_…} datasource inputs: provisioning cannot fill them")
	}
	if d.ID != nil {
		t.Errorf("id %d: provisioned dashboards leave it null", *d.ID)
	}
	if d.UID != DashboardUID || len(d.UID) > 40 || d.Title == "" || d.SchemaVersion < 36 {
		t.Errorf("uid %q, title %q, schemaVersion %d", d.UID, d.Title, d.SchemaVersion)
	}

	vars := map[string]string{}
	for _, v := range d.Templating.List {
		vars[v.Name] = v.Type
		switch v.Name {
		case "datasource":
			if v.Type != "datasource" || v.Query != "prometheus" {
				t.Errorf("datasource variable: type %q query %v", v.Type, v.Query)
			}
		case "source":
			if v.Definition != "label_values(wedadiag_lines_total, source)" || !equalMaps(v.Datasource, wantDS) {
				t.Errorf("source variable: %q from %v", v.Definition, v.Datasource)
			}
		}
	}
	for _, name := range []string{"datasource", "source", "domain", "severity", "wedadiag_url"} {
		if _, ok := vars[name]; !ok {
			t.Errorf("no variable %q", name)
		}
	}

	allowedTypes := map[string]bool{"row": true, "stat": true, "timeseries": true, "bargauge": true, "table": true}
	ids := map[int]bool{}
	cells := map[[2]int]string{}
	var exprs []string
	for _, p := range d.Panels {
		if ids[p.ID] || p.ID <= 0 {
			t.Errorf("panel %q: id %d repeated or not positive", p.Title, p.ID)
		}
		ids[p.ID] = true
		if !allowedTypes[p.Type] || p.Title == "" {
			t.Errorf("panel %d: type %q title %q", p.ID, p.Type, p.Title)
		}
		g := p.GridPos
		if g["w"] < 1 || g["h"] < 1 || g["x"] < 0 || g["x"]+g["w"] > 24 || g["y"] < 0 {
			t.Errorf("panel %q: gridPos %v", p.Title, g)
		}
		for x := g["x"]; x < g["x"]+g["w"]; x++ {
			for y := g["y"]; y < g["y"]+g["h"]; y++ {
				if other, taken := cells[[2]int{x, y}]; taken {
					t.Errorf("panel %q overlaps %q at %d,%d", p.Title, other, x, y)
				}
				cells[[2]int{x, y}] = p.Title
			}
		}
		if p.Type == "row" {
			continue
		}
		if !equalMaps(p.Datasource, wantDS) {
			t.Errorf("panel %q: datasource %v, want the variable", p.Title, p.Datasource)
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q: no query", p.Title)
		}
		refs := map[string]bool{}
		for _, tg := range p.Targets {
			if tg.Expr == "" || tg.RefID == "" || refs[tg.RefID] || !equalMaps(tg.Datasource, wantDS) {
				t.Errorf("panel %q: target %+v", p.Title, tg)
			}
			refs[tg.RefID] = true
			exprs = append(exprs, tg.Expr)
			if strings.Contains(tg.Expr, "rate(") && !strings.Contains(tg.Expr, "[$__rate_interval]") {
				t.Errorf("panel %q: rate without $__rate_interval: %s", p.Title, tg.Expr)
			}
		}
	}

	// Every variable a query or link uses is defined or one of Grafana's own
	// (catalog titles in value mappings may hold a $ of their own).
	used := regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)
	urls := regexp.MustCompile(`"url": "([^"]*)"`)
	var places []string
	for _, m := range urls.FindAllStringSubmatch(string(raw), -1) {
		places = append(places, m[1])
	}
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			places = append(places, tg.Expr)
		}
	}
	for _, place := range places {
		for _, m := range used.FindAllStringSubmatch(place, -1) {
			if _, ok := vars[m[1]]; !ok && !strings.HasPrefix(m[1], "__") {
				t.Errorf("variable $%s is not defined (in %s)", m[1], place)
			}
		}
	}

	// What the issue asks to see.
	all := strings.Join(exprs, "\n")
	for what, needle := range map[string]string{
		"diagnoses by severity":    "sum by (severity) (rate(wedadiag_diagnoses_total",
		"diagnoses by domain":      "sum by (domain) (rate(wedadiag_diagnoses_total",
		"top codes":                "topk(10, sum by (id, code)",
		"per-source panels":        "sum by (source) (rate(wedadiag_lines_total",
		"unmatched errors":         "wedadiag_unmatched_errors_total",
		"lag":                      "wedadiag_bytes_behind",
		"files followed":           "wedadiag_files_followed",
		"alert deliveries":         "wedadiag_alerts_sent_total",
		"alert failures":           "wedadiag_alerts_failed_total",
		"reloads":                  "wedadiag_config_reloads_total",
		"table of current codes":   "sum by (id, code, domain, severity)",
		"a source filter":          `source=~"$source"`,
		"filters of the catalog's": `domain=~"$domain", severity=~"$severity"`,
	} {
		if !strings.Contains(all, needle) {
			t.Errorf("no query for %s (%s)", what, needle)
		}
	}
	link := `"url": "${wedadiag_url}` + ExplainPath + `${__data.fields.id}"`
	if !strings.Contains(string(raw), link) {
		t.Errorf("the table of current codes lacks the link %s", link)
	}
}

// schemaPanels are the panel types whose option and field-config types the
// schema test registers, and schemaQueries the query types. Only these are
// compiled into the test: the SDK's RegisterDefaultPlugins would pull in
// every panel and data source package it has (about 40, a quarter of a
// cold build of the suite). A panel or query of any other type fails the
// test until it is added here.
var (
	schemaPanels = map[string]func() variants.PanelcfgConfig{
		"bargauge": gbargauge.VariantConfig, "stat": gstat.VariantConfig,
		"table": gtable.VariantConfig, "timeseries": gtimeseries.VariantConfig,
	}
	schemaQueries = map[string]func() variants.DataqueryConfig{
		"prometheus": gprom.VariantConfig,
	}
)

// TestDashboardMatchesGrafanaSchema decodes the dashboard strictly with the
// types Grafana's own schema generates (grafana-foundation-sdk): an unknown
// field, a wrong type or a missing required field anywhere, panel options
// and field config of every panel type included, fails.
func TestDashboardMatchesGrafanaSchema(t *testing.T) {
	raw, dash := loadDashboard(t)
	runtime := cog.NewRuntime()
	for _, config := range schemaPanels {
		runtime.RegisterPanelcfgVariant(config())
	}
	for _, config := range schemaQueries {
		runtime.RegisterDataqueryVariant(config())
	}
	for _, p := range dash.Panels {
		if _, ok := schemaPanels[p.Type]; !ok && p.Type != "row" {
			t.Errorf("panel %q has type %q, which the schema test does not register: add it to schemaPanels", p.Title, p.Type)
		}
		for _, q := range p.Targets {
			if _, ok := schemaQueries[q.Datasource["type"]]; !ok {
				t.Errorf("panel %q queries a %q data source, which the schema test does not register: add it to schemaQueries", p.Title, q.Datasource["type"])
			}
		}
	}
	// The dashboard we generate is a classic (v1) dashboard JSON, which
	// Grafana provisions; dashboardv2 is a different resource format.
	//lint:ignore SA1019 the generated file is a v1 dashboard.
	var d gdash.Dashboard
	err := d.UnmarshalJSONStrict(raw)
	if be, ok := err.(cog.BuildErrors); ok && len(be) == 0 {
		err = nil // v0.0.22 returns an empty BuildErrors for success
	}
	if err != nil {
		t.Fatalf("%s does not match Grafana's dashboard schema:\n%v", DashboardPath, err)
	}
	if d.Uid == nil || *d.Uid != DashboardUID || len(d.Panels) == 0 {
		t.Errorf("decoded uid %v, %d panels", d.Uid, len(d.Panels))
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// grafanaValues replace the dashboard's variables in a query so promtool
// can parse it.
var grafanaValues = map[string]string{
	"source": ".*", "domain": ".*", "severity": ".*",
	"__rate_interval": "5m", "__interval": "1m", "__range": "1h",
}

var grafanaVar = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[a-z]+)?\}|\$([A-Za-z_][A-Za-z0-9_]*)`)

func substitute(expr string) (string, error) {
	var missing []string
	out := grafanaVar.ReplaceAllStringFunc(expr, func(m string) string {
		sm := grafanaVar.FindStringSubmatch(m)
		name := sm[1] + sm[2]
		v, ok := grafanaValues[name]
		if !ok {
			missing = append(missing, name)
		}
		return v
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("no test value for $%s", strings.Join(missing, ", $"))
	}
	return out, nil
}

// TestDashboardQueriesPassPromtool puts every query of the dashboard, its
// variables substituted, into a rules file for promtool to parse.
func TestDashboardQueriesPassPromtool(t *testing.T) {
	promtool := tool(t, "promtool", "prometheus")
	_, d := loadDashboard(t)
	var rules []rule
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			expr, err := substitute(tg.Expr)
			if err != nil {
				t.Errorf("panel %q: %v", p.Title, err)
				continue
			}
			rules = append(rules, rule{Record: fmt.Sprintf("dashboard:panel_%d:%s", p.ID, tg.RefID), Expr: expr})
		}
	}
	data, err := marshalYAML(ruleFile{Groups: []ruleGroup{{Name: "dashboard", Rules: rules}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "dashboard.yml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runTool(t, dir, promtool, "check", "rules", "dashboard.yml")
	if err != nil {
		t.Errorf("promtool check rules on the dashboard's queries: %v\n%s%s", err, out, errOut)
	}
	if !strings.Contains(out, fmt.Sprintf("SUCCESS: %d rules found", len(rules))) {
		t.Errorf("promtool checked other than %d queries:\n%s", len(rules), out)
	}
}

// TestDashboardMetricsAreExported: every metric a query names is one the
// daemon exports, and every metric it exports is on the dashboard.
func TestDashboardMetricsAreExported(t *testing.T) {
	_, d := loadDashboard(t)
	exported := names(append(Metrics(), SourceMetrics()...))
	shown := map[string]bool{}
	check := func(where, expr string) {
		ns, err := metricNames(expr)
		if err != nil {
			t.Errorf("%s: %v", where, err)
		}
		for _, n := range ns {
			shown[n] = true
			if !exported[n] {
				t.Errorf("%s: %s is not a metric wedadiag exports", where, n)
			}
		}
	}
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			check(fmt.Sprintf("panel %q", p.Title), tg.Expr)
		}
	}
	labelValues := regexp.MustCompile(`^label_values\(([^,]+),\s*[a-z_]+\)$`)
	for _, v := range d.Templating.List {
		if v.Type != "query" {
			continue
		}
		m := labelValues.FindStringSubmatch(v.Definition)
		if m == nil {
			t.Errorf("variable %s: query %q is not label_values(metric, label)", v.Name, v.Definition)
			continue
		}
		check("variable "+v.Name, m[1])
	}
	var missing []string
	for n := range exported {
		if !shown[n] {
			missing = append(missing, n)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("exported but on no panel: %s", strings.Join(missing, ", "))
	}
}

// TestTableTitlesComeFromTheCatalog: the table maps every diagnosable id to
// its FAQ title.
func TestTableTitlesComeFromTheCatalog(t *testing.T) {
	raw, _ := loadDashboard(t)
	for _, e := range defaultCatalog(t).Entries() {
		if !Diagnosable(e) {
			continue
		}
		title, _ := json.Marshal(oneLine(e.Title("zh")))
		want := fmt.Sprintf("%q: {\n", e.ID)
		i := strings.Index(string(raw), want)
		if i < 0 || !strings.Contains(string(raw[i:min(len(raw), i+len(want)+len(title)+80)]), string(title)) {
			t.Errorf("%s: no value mapping to its title", e.ID)
		}
	}
}

func TestGrafanaProvisioning(t *testing.T) {
	var prov struct {
		APIVersion int `yaml:"apiVersion"`
		Providers  []struct {
			Type    string `yaml:"type"`
			Options struct {
				Path string `yaml:"path"`
			} `yaml:"options"`
		} `yaml:"providers"`
	}
	if err := yaml.Unmarshal(readRepo(t, "configs/"+DashboardProviderPath), &prov); err != nil {
		t.Fatal(err)
	}
	if prov.APIVersion != 1 || len(prov.Providers) != 1 || prov.Providers[0].Type != "file" || prov.Providers[0].Options.Path != DashboardDir {
		t.Errorf("dashboard provider: %+v", prov)
	}
	var dsp struct {
		APIVersion  int `yaml:"apiVersion"`
		Datasources []struct {
			Type, URL string
		} `yaml:"datasources"`
	}
	if err := yaml.Unmarshal(readRepo(t, "configs/"+DatasourceProvisioning), &dsp); err != nil {
		t.Fatal(err)
	}
	if dsp.APIVersion != 1 || len(dsp.Datasources) != 1 || dsp.Datasources[0].Type != "prometheus" {
		t.Errorf("datasource provisioning: %+v", dsp)
	}
}
