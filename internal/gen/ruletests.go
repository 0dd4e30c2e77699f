package gen

import (
	"fmt"
	"sort"
	"strings"

	"github.com/wedadiag/wedadiag/catalog"
)

type unitTests struct {
	RuleFiles          []string   `yaml:"rule_files"`
	EvaluationInterval string     `yaml:"evaluation_interval"`
	Tests              []unitTest `yaml:"tests"`
}

type unitTest struct {
	Name           string      `yaml:"name"`
	Interval       string      `yaml:"interval"`
	InputSeries    []series    `yaml:"input_series"`
	AlertRuleTests []alertTest `yaml:"alert_rule_test,omitempty"`
	ExprTests      []exprTest  `yaml:"promql_expr_test,omitempty"`
}

type series struct {
	Series string `yaml:"series"`
	Values string `yaml:"values"`
}

type alertTest struct {
	EvalTime  string     `yaml:"eval_time"`
	Alertname string     `yaml:"alertname"`
	ExpAlerts []expAlert `yaml:"exp_alerts"`
}

type expAlert struct {
	ExpLabels      map[string]string `yaml:"exp_labels"`
	ExpAnnotations map[string]string `yaml:"exp_annotations"`
}

type exprTest struct {
	Expr       string   `yaml:"expr"`
	EvalTime   string   `yaml:"eval_time"`
	ExpSamples []sample `yaml:"exp_samples"`
}

type sample struct {
	Labels string  `yaml:"labels"`
	Value  float64 `yaml:"value"`
}

// seriesOf writes a series in promtool's notation, labels sorted.
func seriesOf(name string, labels map[string]string) string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%q", k, labels[k])
	}
	return name + "{" + strings.Join(parts, ", ") + "}"
}

// expand renders the only template forms our annotations use,
// {{ $labels.x }} and the escaped {{ "{{" }}, as Prometheus would.
func expand(s string, labels map[string]string) (string, error) {
	const esc, mark = `{{ "{{" }}`, "\x00"
	s = strings.ReplaceAll(s, esc, mark)
	for {
		i := strings.Index(s, "{{ $labels.")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], " }}")
		if j < 0 {
			return "", fmt.Errorf("unterminated action in %q", s)
		}
		s = s[:i] + labels[s[i+len("{{ $labels."):i+j]] + s[i+j+3:]
	}
	if strings.Contains(s, "{{") {
		return "", fmt.Errorf("template action the test generator cannot expand in %q", s)
	}
	return strings.ReplaceAll(s, mark, "{{"), nil
}

// expected turns a rule's labels and annotations into what promtool should
// see for an alert on a series with the given labels.
func expected(r rule, labels map[string]string) (expAlert, error) {
	l := map[string]string{}
	for k, v := range labels {
		if v != "" {
			l[k] = v
		}
	}
	for k, v := range r.Labels {
		l[k] = v
	}
	a := r.Annotations
	ann := map[string]string{}
	for k, v := range map[string]string{"summary": a.Summary, "summary_en": a.SummaryEn, "description": a.Description,
		"description_en": a.DescriptionEn, "remedy": a.Remedy, "remedy_en": a.RemedyEn, "docs": a.Docs, "explain": a.Explain} {
		if v == "" {
			continue
		}
		x, err := expand(v, l)
		if err != nil {
			return expAlert{}, fmt.Errorf("alert %s: %s: %w", r.Alert, k, err)
		}
		ann[k] = x
	}
	return expAlert{ExpLabels: l, ExpAnnotations: ann}, nil
}

func diagLabels(e *catalog.Entry, source string) map[string]string {
	return map[string]string{"id": e.ID, "code": e.Code, "domain": e.Domain, "severity": string(e.Severity), "source": source}
}

// target labels Prometheus adds to every scraped series in the tests.
func scraped(l map[string]string) map[string]string {
	out := map[string]string{"job": "wedadiag", "instance": "app-0:9894"}
	for k, v := range l {
		out[k] = v
	}
	return out
}

// aggregated drops the labels a diagBy or per-instance sum removes.
func without(l map[string]string, drop ...string) map[string]string {
	out := map[string]string{}
	for k, v := range l {
		out[k] = v
	}
	for _, d := range drop {
		delete(out, d)
	}
	return out
}

// RulesTests returns configs/prometheus/rules_test.yml: promtool unit tests
// that every critical entry's alert fires with the catalog's annotations
// (and the generic critical rule does not double it), that the generic and
// self rules fire, and that a recording rule computes what it should.
func RulesTests(cat *catalog.Catalog) ([]byte, error) {
	var tests []unitTest
	ruleByName := map[string]rule{}
	var critical []*catalog.Entry
	own := []string{}
	for _, e := range CriticalEntries(cat) {
		r := entryAlert(cat, e)
		ruleByName[r.Alert] = r
		critical = append(critical, e)
		own = append(own, e.ID)
	}
	for _, r := range append(severityAlerts(own), selfAlerts()...) {
		ruleByName[r.Alert] = r
	}
	alert := func(name string, labels map[string]string) (expAlert, error) {
		return expected(ruleByName[name], labels)
	}
	none := []expAlert{}

	for _, e := range critical {
		l := scraped(diagLabels(e, "app"))
		want, err := alert(AlertName(e.ID), without(l, "instance"))
		if err != nil {
			return nil, err
		}
		tests = append(tests, unitTest{
			Name: "critical entry " + e.ID + " alerts with the FAQ's remedy", Interval: "1m",
			InputSeries: []series{{seriesOf("wedadiag_diagnoses_total", l), "0 0 1 1 1 1"}},
			AlertRuleTests: []alertTest{
				{EvalTime: "1m", Alertname: AlertName(e.ID), ExpAlerts: none},
				{EvalTime: "5m", Alertname: AlertName(e.ID), ExpAlerts: []expAlert{want}},
				{EvalTime: "5m", Alertname: "WeDaCriticalDiagnosis", ExpAlerts: none},
			},
		})
	}

	custom := scraped(map[string]string{"id": "custom/payment-callback-down", "code": "", "domain": "custom", "severity": "critical", "source": "app"})
	want, err := alert("WeDaCriticalDiagnosis", without(custom, "instance"))
	if err != nil {
		return nil, err
	}
	tests = append(tests, unitTest{
		Name: "a critical diagnosis without a rule of its own alerts generically", Interval: "1m",
		InputSeries: []series{{seriesOf("wedadiag_diagnoses_total", custom), "0 0 1 2 2 2"}},
		AlertRuleTests: []alertTest{
			{EvalTime: "1m", Alertname: "WeDaCriticalDiagnosis", ExpAlerts: none},
			{EvalTime: "5m", Alertname: "WeDaCriticalDiagnosis", ExpAlerts: []expAlert{want}},
		},
	})

	var errEntry *catalog.Entry
	for _, e := range cat.Entries() {
		if e.Severity == catalog.Error && e.Code != "" {
			errEntry = e
			break
		}
	}
	if errEntry != nil {
		l := scraped(diagLabels(errEntry, "fn"))
		want, err := alert("WeDaErrorDiagnoses", without(l, "instance"))
		if err != nil {
			return nil, err
		}
		tests = append(tests, unitTest{
			Name: "errors that keep coming alert", Interval: "1m",
			InputSeries: []series{{seriesOf("wedadiag_diagnoses_total", l), "0+1x10"}},
			AlertRuleTests: []alertTest{
				{EvalTime: "1m", Alertname: "WeDaErrorDiagnoses", ExpAlerts: none},
				{EvalTime: "10m", Alertname: "WeDaErrorDiagnoses", ExpAlerts: []expAlert{want}},
			},
			ExprTests: []exprTest{{
				Expr: "job_severity:wedadiag_diagnoses:rate5m", EvalTime: "10m",
				ExpSamples: []sample{{Labels: seriesOf("job_severity:wedadiag_diagnoses:rate5m",
					map[string]string{"job": "wedadiag", "severity": string(errEntry.Severity)}), Value: 1.0 / 60}},
			}},
		})
	}

	reload := scraped(map[string]string{"result": "failure"})
	want, err = alert("WeDaDiagConfigReloadFailed", reload)
	if err != nil {
		return nil, err
	}
	dropped := scraped(map[string]string{"receiver": "ops"})
	wantDropped, err := alert("WeDaDiagAlertsDropped", dropped)
	if err != nil {
		return nil, err
	}
	tests = append(tests, unitTest{
		Name: "a failed reload and dropped alerts alert", Interval: "1m",
		InputSeries: []series{
			{seriesOf("wedadiag_config_reloads_total", reload), "0 0 1 1"},
			{seriesOf("wedadiag_config_reloads_total", scraped(map[string]string{"result": "success"})), "1 2 3 4"},
			{seriesOf("wedadiag_alerts_dropped_total", dropped), "0 0 5 5"},
		},
		AlertRuleTests: []alertTest{
			{EvalTime: "1m", Alertname: "WeDaDiagConfigReloadFailed", ExpAlerts: none},
			{EvalTime: "3m", Alertname: "WeDaDiagConfigReloadFailed", ExpAlerts: []expAlert{want}},
			{EvalTime: "3m", Alertname: "WeDaDiagAlertsDropped", ExpAlerts: []expAlert{wantDropped}},
		},
	})

	quiet := scraped(map[string]string{"source": "app"})
	wantQuiet, err := alert("WeDaDiagNoLines", quiet)
	if err != nil {
		return nil, err
	}
	behind := scraped(map[string]string{"source": "fn"})
	wantBehind, err := alert("WeDaDiagFallingBehind", behind)
	if err != nil {
		return nil, err
	}
	tests = append(tests, unitTest{
		Name: "a silent source and a growing lag alert after their hold time", Interval: "1m",
		InputSeries: []series{
			{seriesOf("wedadiag_lines_total", quiet), "5x60"},
			{seriesOf("wedadiag_bytes_behind", behind), "0+1048576x60"},
		},
		AlertRuleTests: []alertTest{
			{EvalTime: "20m", Alertname: "WeDaDiagNoLines", ExpAlerts: none},
			{EvalTime: "40m", Alertname: "WeDaDiagNoLines", ExpAlerts: []expAlert{wantQuiet}},
			{EvalTime: "10m", Alertname: "WeDaDiagFallingBehind", ExpAlerts: none},
			{EvalTime: "20m", Alertname: "WeDaDiagFallingBehind", ExpAlerts: []expAlert{wantBehind}},
		},
	})

	// Kafka consumption two hours behind: CLS's retention. The age climbs
	// a minute a minute from 80 minutes: past 90 at 11m, firing 5m later.
	kafka := scraped(map[string]string{"source": "fn"})
	wantNear, err := alert("WeDaDiagKafkaNearRetention", kafka)
	if err != nil {
		return nil, err
	}
	wantExpired, err := alert("WeDaDiagKafkaRecordsExpired", kafka)
	if err != nil {
		return nil, err
	}
	tests = append(tests, unitTest{
		Name: "kafka consumption nearing CLS's 2-hour retention, then records expiring unread", Interval: "1m",
		InputSeries: []series{
			{seriesOf("wedadiag_kafka_oldest_unacked_age_seconds", kafka), "4800+60x40"},
			{seriesOf("wedadiag_kafka_skipped_records_total", kafka), "0x30 25x10"},
		},
		AlertRuleTests: []alertTest{
			{EvalTime: "12m", Alertname: "WeDaDiagKafkaNearRetention", ExpAlerts: none},
			{EvalTime: "17m", Alertname: "WeDaDiagKafkaNearRetention", ExpAlerts: []expAlert{wantNear}},
			{EvalTime: "25m", Alertname: "WeDaDiagKafkaRecordsExpired", ExpAlerts: none},
			{EvalTime: "32m", Alertname: "WeDaDiagKafkaRecordsExpired", ExpAlerts: []expAlert{wantExpired}},
		},
	})

	return marshalYAML(unitTests{RuleFiles: []string{RulesFile}, EvaluationInterval: "1m", Tests: tests},
		generatedHeader("prometheus", "promtool unit tests of rules.yml. Run: promtool test rules rules_test.yml"))
}
