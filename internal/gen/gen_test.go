package gen

import (
	"bytes"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/internal/daemon"
)

// TestGeneratedFilesAreCommitted regenerates every artefact in memory and
// compares it with the file committed under configs/.
func TestGeneratedFilesAreCommitted(t *testing.T) {
	files, err := Generate(defaultCatalog(t), Metrics(), "all")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		path := "configs/" + f.Path
		have, err := os.ReadFile(repoPath(path))
		switch {
		case err != nil:
			t.Errorf("%s: %v; run: go run ./cmd/wedadiag generate all", path, err)
		case !bytes.Equal(have, f.Data):
			t.Errorf("%s differs from what the generator produces; run: go run ./cmd/wedadiag generate all", path)
		}
	}
}

func TestGenerateTargets(t *testing.T) {
	cat := defaultCatalog(t)
	paths := func(target string) []string {
		files, err := Generate(cat, Metrics(), target)
		if err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		var out []string
		for _, f := range files {
			out = append(out, f.Path)
		}
		return out
	}
	grafana := []string{DashboardPath, DashboardProviderPath, DatasourceProvisioning}
	prom := []string{RulesPath, RulesTestPath}
	if got := paths("grafana"); !reflect.DeepEqual(got, grafana) {
		t.Errorf("grafana: %v, want %v", got, grafana)
	}
	if got := paths("prometheus"); !reflect.DeepEqual(got, prom) {
		t.Errorf("prometheus: %v, want %v", got, prom)
	}
	if got, want := paths("all"), append(grafana, prom...); !reflect.DeepEqual(got, want) {
		t.Errorf("all: %v, want %v", got, want)
	}
	if _, err := Generate(cat, Metrics(), "kibana"); err == nil || !strings.Contains(err.Error(), `"kibana"`) {
		t.Errorf("unknown target: err = %v", err)
	}
	// A generator refuses a metric the daemon does not export.
	short := slices.DeleteFunc(Metrics(), func(m Metric) bool { return m.Name == "wedadiag_diagnoses_total" })
	for _, target := range Targets() {
		if _, err := Generate(cat, short, target); err == nil || !strings.Contains(err.Error(), "wedadiag_diagnoses_total") {
			t.Errorf("%s without wedadiag_diagnoses_total: err = %v", target, err)
		}
	}
}

func TestMetricsList(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range Metrics() {
		if seen[m.Name] {
			t.Errorf("%s listed twice", m.Name)
		}
		seen[m.Name] = true
		if !strings.HasPrefix(m.Name, "wedadiag_") {
			t.Errorf("%s: want the wedadiag_ prefix", m.Name)
		}
		switch m.Type {
		case "counter":
			if !strings.HasSuffix(m.Name, "_total") {
				t.Errorf("counter %s: want _total", m.Name)
			}
		case "gauge":
			if strings.HasSuffix(m.Name, "_total") {
				t.Errorf("gauge %s ends in _total", m.Name)
			}
		default:
			t.Errorf("%s: type %q", m.Name, m.Type)
		}
		if m.Help == "" {
			t.Errorf("%s: no help", m.Name)
		}
	}
	// DESIGN's 15, and wedadiag_source_files and wedadiag_state_errors_total
	// (issue 14).
	if len(seen) != 17 {
		t.Errorf("%d metrics, DESIGN.md lists 17", len(seen))
	}
	// Callers may change what they get.
	Metrics()[0].Name = "changed"
	if Metrics()[0].Name == "changed" {
		t.Error("Metrics returns shared state")
	}
}

func TestMetricNames(t *testing.T) {
	for _, c := range []struct {
		expr string
		want []string
		err  bool
	}{
		{`wedadiag_lines_total`, []string{"wedadiag_lines_total"}, false},
		{`sum by (source, reason) (rate(wedadiag_bad_records_total{source=~"$source"}[$__rate_interval])) * 60`, []string{"wedadiag_bad_records_total"}, false},
		{`topk(10, sum without (instance) (increase(a_total{x="by (b)", y='c{d}'}[5m:1m] offset 1h)))`, []string{"a_total"}, false},
		{`(sum(increase(x_total[1h])) or vector(0)) + on (job) group_left (version) y_info`, []string{"x_total", "y_info"}, false},
		{`time() - min(ts_seconds) > bool 1e3 and Inf`, []string{"ts_seconds"}, false},
		{`label_replace(m, "title", "$1", "id", "(.*)")`, []string{"m"}, false},
		{`job_source:wedadiag_lines:rate5m == 0`, []string{"job_source:wedadiag_lines:rate5m"}, false},
		{`{__name__=~"wedadiag_.*"}`, nil, true},
		{`m{a="unterminated}`, nil, true},
	} {
		got, err := metricNames(c.expr)
		if (err != nil) != c.err {
			t.Errorf("%s: err = %v", c.expr, err)
			continue
		}
		if !c.err && !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v, want %v", c.expr, got, c.want)
		}
	}
}

func TestAlertName(t *testing.T) {
	for id, want := range map[string]string{
		"datasource/flexdb-resource-overdue":        "WeDaDatasourceFlexdbResourceOverdue",
		"faq/cdn-traffic-exhausted-app-unreachable": "WeDaFaqCdnTrafficExhaustedAppUnreachable",
		"workbench/home-100009":                     "WeDaWorkbenchHome100009",
	} {
		if got := AlertName(id); got != want {
			t.Errorf("AlertName(%q) = %q, want %q", id, got, want)
		}
	}
	// Every catalog id gives a distinct, valid name.
	seen := map[string]string{}
	for _, e := range defaultCatalog(t).Entries() {
		n := AlertName(e.ID)
		if !alertNameRE().MatchString(n) {
			t.Errorf("%s: alert name %q", e.ID, n)
		}
		if prev, dup := seen[n]; dup {
			t.Errorf("%s and %s both give %s", prev, e.ID, n)
		}
		seen[n] = e.ID
	}
}

func TestExpand(t *testing.T) {
	l := map[string]string{"source": "app", "id": "apis/x"}
	got, err := expand(escapeTemplate("在 {{params.AAA}} 中")+" {{ $labels.source }}/{{ $labels.id }}{{ $labels.none }}.", l)
	if err != nil || got != "在 {{params.AAA}} 中 app/apis/x." {
		t.Errorf("expand = %q, %v", got, err)
	}
	if _, err := expand("{{ $value }}", l); err == nil {
		t.Error("expand accepted an action it cannot render")
	}
}

// TestBuiltinRulesUpToDate fails when rules/builtin/catalog.yaml differs
// from what the catalog generates (every example in it is run while
// generating).
func TestBuiltinRulesUpToDate(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	want, err := BuiltinRules(cat)
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile("../../" + BuiltinRulesPath)
	if err != nil {
		t.Fatal(err)
	}
	if string(have) != string(want) {
		t.Errorf("%s differs from what the generator produces; run: go run ./cmd/wedadiag generate rules", BuiltinRulesPath)
	}
}

// TestDescribeMatchesGather: what Describe reads from the descriptors is
// what a scrape of the daemon's own registry says, for every family that
// has series before any log is read (plain counters and gauges, vectors
// created at zero, constant labels, the Go collector).
func TestDescribeMatchesGather(t *testing.T) {
	described, err := Describe(daemon.RegisterMetrics)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Metric{}
	for _, m := range described {
		byName[m.Name] = m
	}
	reg := prometheus.NewRegistry()
	daemon.RegisterMetrics(reg)
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range fams {
		m, ok := byName[f.GetName()]
		if !ok {
			t.Errorf("%s: gathered, not described", f.GetName())
			continue
		}
		if f.GetHelp() != m.Help {
			t.Errorf("%s: help %q, described %q", f.GetName(), f.GetHelp(), m.Help)
		}
		want := map[dto.MetricType]string{dto.MetricType_COUNTER: "counter", dto.MetricType_GAUGE: "gauge"}[f.GetType()]
		if m.Type != "" && m.Type != want {
			t.Errorf("%s: type %s, described %s", f.GetName(), f.GetType(), m.Type)
		}
		if strings.HasPrefix(m.Name, "wedadiag_") {
			checked++
			if m.Type == "" {
				t.Errorf("%s: no type", m.Name)
			}
		}
		var got []string
		for _, lp := range f.GetMetric()[0].GetLabel() {
			got = append(got, lp.GetName())
		}
		if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(m.Labels))) {
			t.Errorf("%s: labels %v, described %v", f.GetName(), got, m.Labels)
		}
	}
	if checked < 4 {
		t.Errorf("only %d wedadiag_ families compared", checked)
	}
}
