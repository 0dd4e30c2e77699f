package gen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/wedadiag/wedadiag/catalog"
)

// Dashboard fixed values: users link to the uid and provision the file.
const (
	DashboardUID   = "wedadiag"
	DashboardTitle = "WeDa diagnostics (wedadiag)"
	// ExplainPath is where the status page explains an entry: the link of
	// the dashboard's tables is ${wedadiag_url}/explain/<id>, and ids carry
	// a slash (datasource/flexdb-resource-overdue).
	ExplainPath   = "/explain/"
	schemaVersion = 39
)

// ds is the datasource every panel and target uses: the dashboard's
// `datasource` variable, so file provisioning needs no ${DS_…} input.
func ds() map[string]string { return map[string]string{"type": "prometheus", "uid": "${datasource}"} }

type gridPos struct {
	H int `json:"h"`
	W int `json:"w"`
	X int `json:"x"`
	Y int `json:"y"`
}

type target struct {
	Datasource   map[string]string `json:"datasource"`
	Expr         string            `json:"expr"`
	Format       string            `json:"format,omitempty"`
	Instant      bool              `json:"instant,omitempty"`
	Range        bool              `json:"range,omitempty"`
	LegendFormat string            `json:"legendFormat,omitempty"`
	RefID        string            `json:"refId"`
}

type panel struct {
	ID              int               `json:"id"`
	Type            string            `json:"type"`
	Title           string            `json:"title"`
	Description     string            `json:"description,omitempty"`
	Collapsed       *bool             `json:"collapsed,omitempty"`
	Datasource      map[string]string `json:"datasource,omitempty"`
	GridPos         gridPos           `json:"gridPos"`
	FieldConfig     map[string]any    `json:"fieldConfig,omitempty"`
	Options         map[string]any    `json:"options,omitempty"`
	Targets         []target          `json:"targets,omitempty"`
	Transformations []map[string]any  `json:"transformations,omitempty"`
	Panels          *[]panel          `json:"panels,omitempty"` // rows only
}

// layout places panels left to right in rows of 24 columns.
type layout struct {
	panels []panel
	x, y   int
	rowH   int
	nextID int
}

func (l *layout) row(title string) {
	l.wrap()
	f := false
	l.nextID++
	l.panels = append(l.panels, panel{ID: l.nextID, Type: "row", Title: title, Collapsed: &f, GridPos: gridPos{H: 1, W: 24, X: 0, Y: l.y}, Panels: &[]panel{}})
	l.y++
}

func (l *layout) wrap() {
	if l.x > 0 {
		l.x, l.y, l.rowH = 0, l.y+l.rowH, 0
	}
}

func (l *layout) add(p panel, w, h int) {
	if l.x+w > 24 {
		l.wrap()
	}
	l.nextID++
	p.ID = l.nextID
	p.Datasource = ds()
	p.GridPos = gridPos{H: h, W: w, X: l.x, Y: l.y}
	for i := range p.Targets {
		p.Targets[i].Datasource = ds()
		p.Targets[i].RefID = string(rune('A' + i))
	}
	l.panels = append(l.panels, p)
	l.x += w
	if h > l.rowH {
		l.rowH = h
	}
}

// Selector filters of the dashboard's variables.
const (
	srcSel  = `source=~"$source"`
	diagSel = `source=~"$source", domain=~"$domain", severity=~"$severity"`
)

func rangeQ(expr, legend string) target { return target{Expr: expr, LegendFormat: legend, Range: true} }

func instantQ(expr, legend string) target {
	return target{Expr: expr, LegendFormat: legend, Instant: true}
}

func tableQ(expr string) target { return target{Expr: expr, Format: "table", Instant: true} }

func defaults(unit string, extra map[string]any) map[string]any {
	d := map[string]any{"unit": unit}
	for k, v := range extra {
		d[k] = v
	}
	return map[string]any{"defaults": d, "overrides": []any{}}
}

func thresholds(steps ...any) map[string]any {
	var s []map[string]any
	for i := 0; i+1 < len(steps); i += 2 {
		s = append(s, map[string]any{"color": steps[i], "value": steps[i+1]})
	}
	return map[string]any{"mode": "absolute", "steps": s}
}

func stat(title, desc, unit string, t target, th map[string]any) panel {
	extra := map[string]any{"color": map[string]any{"mode": "thresholds"}}
	if th != nil {
		extra["thresholds"] = th
	}
	return panel{Type: "stat", Title: title, Description: desc, Targets: []target{t},
		FieldConfig: defaults(unit, extra),
		Options: map[string]any{"colorMode": "value", "graphMode": "area", "justifyMode": "auto", "textMode": "auto",
			"orientation": "auto", "wideLayout": true, "showPercentChange": false, "percentChangeColorMode": "standard",
			"reduceOptions": map[string]any{"calcs": []string{"lastNotNull"}, "fields": "", "values": false}}}
}

func timeseries(title, desc, unit string, ts ...target) panel {
	return panel{Type: "timeseries", Title: title, Description: desc, Targets: ts,
		FieldConfig: defaults(unit, map[string]any{"min": 0,
			"custom": map[string]any{"drawStyle": "line", "lineWidth": 1, "fillOpacity": 10, "showPoints": "never", "spanNulls": false}}),
		Options: map[string]any{
			"legend":  map[string]any{"displayMode": "table", "placement": "bottom", "showLegend": true, "calcs": []string{"max", "lastNotNull"}},
			"tooltip": map[string]any{"mode": "multi", "sort": "desc"}}}
}

// severityColor colours the catalog's severities alike everywhere.
func severityColor(s catalog.Severity) string {
	switch s {
	case catalog.Critical:
		return "red"
	case catalog.Error:
		return "orange"
	}
	return "yellow"
}

func severityOverrides() []any {
	var out []any
	for _, s := range []catalog.Severity{catalog.Critical, catalog.Error, catalog.Warning} {
		out = append(out, map[string]any{
			"matcher":    map[string]any{"id": "byName", "options": string(s)},
			"properties": []any{map[string]any{"id": "color", "value": map[string]any{"mode": "fixed", "fixedColor": severityColor(s)}}},
		})
	}
	return out
}

// Diagnosable reports whether a catalog entry can show up in
// wedadiag_diagnoses_total: every error-code row, and FAQ entries that
// a log line can reveal.
func Diagnosable(e *catalog.Entry) bool { return e.Kind == catalog.KindErrorCode || e.Loggable }

// Dashboard returns the Grafana dashboard JSON for the catalog. Every
// query may name only metrics in ms.
func Dashboard(cat *catalog.Catalog, ms []Metric) ([]byte, error) {
	l := &layout{}
	explain := "${wedadiag_url}" + ExplainPath

	l.row("Overview")
	l.add(stat("Diagnoses / min", "Records recognised as a WeDa error code or FAQ symptom, per minute.", "short",
		rangeQ(`sum(rate(wedadiag_diagnoses_total{`+diagSel+`}[$__rate_interval])) * 60`, ""),
		thresholds("green", nil, "orange", 1)), 4, 4)
	l.add(stat("Critical diagnoses", "Critical diagnoses (service down, quota or resource exhausted or expired) in the dashboard's time range.", "short",
		instantQ(`sum(increase(wedadiag_diagnoses_total{source=~"$source", domain=~"$domain", severity="critical"}[$__range]))`, ""),
		thresholds("green", nil, "red", 1)), 4, 4)
	l.add(stat("Unmatched errors / min", "Records that look like errors but match no catalog entry or rule: candidates for a new rule.", "short",
		rangeQ(`sum(rate(wedadiag_unmatched_errors_total{`+srcSel+`}[$__rate_interval])) * 60`, ""),
		thresholds("green", nil, "yellow", 1)), 4, 4)
	l.add(stat("Files followed", "Log files being followed. Zero means the source's globs match nothing.", "short",
		rangeQ(`sum(wedadiag_files_followed{`+srcSel+`})`, ""),
		thresholds("red", nil, "green", 1)), 4, 4)
	l.add(stat("Lag", "Bytes written to followed files that wedadiag has not processed yet.", "bytes",
		rangeQ(`sum(wedadiag_bytes_behind{`+srcSel+`})`, ""),
		thresholds("green", nil, "yellow", 1<<20, "red", 64<<20)), 4, 4)
	l.add(stat("Alerts failed or dropped", "Alert notifications that failed after retries or were dropped, in the dashboard's time range.", "short",
		instantQ(`(sum(increase(wedadiag_alerts_failed_total[$__range])) or vector(0)) + (sum(increase(wedadiag_alerts_dropped_total[$__range])) or vector(0))`, ""),
		thresholds("green", nil, "red", 1)), 4, 4)
	version := stat("Version", "Builds of wedadiag reporting, with their number of instances.", "short",
		rangeQ(`count by (version, revision) (wedadiag_build_info)`, "{{version}} ({{revision}})"), nil)
	version.Options["textMode"] = "value_and_name"
	version.Options["graphMode"] = "none"
	version.Options["colorMode"] = "none"
	l.add(version, 8, 3)
	l.add(stat("Lines / s", "Log lines read per second.", "short",
		rangeQ(`sum(rate(wedadiag_lines_total{`+srcSel+`}[$__rate_interval]))`, ""), nil), 8, 3)
	l.add(stat("Since last good config load", "Time since the configuration was last loaded or reloaded successfully (oldest instance).", "s",
		rangeQ(`time() - min(wedadiag_config_last_reload_success_timestamp_seconds)`, ""), nil), 8, 3)

	l.row("Diagnoses")
	bySev := timeseries("Diagnoses per minute by severity", "", "short",
		rangeQ(`sum by (severity) (rate(wedadiag_diagnoses_total{`+diagSel+`}[$__rate_interval])) * 60`, "{{severity}}"))
	bySev.FieldConfig["overrides"] = severityOverrides()
	l.add(bySev, 12, 8)
	l.add(timeseries("Diagnoses per minute by domain", "Domains are the WeDa FAQ's error tables (datasource, apis, flow, permission, workbench) and FAQ sections.", "short",
		rangeQ(`sum by (domain) (rate(wedadiag_diagnoses_total{`+diagSel+`}[$__rate_interval])) * 60`, "{{domain}}")), 12, 8)

	top := panel{Type: "bargauge", Title: "Top codes",
		Description: "The ten entries diagnosed most often in the dashboard's time range. Click a bar for the FAQ's explanation and remedy.",
		Targets:     []target{instantQ(`topk(10, sum by (id, code) (increase(wedadiag_diagnoses_total{`+diagSel+`}[$__range])))`, "{{code}} {{id}}")},
		FieldConfig: defaults("short", map[string]any{"min": 0, "color": map[string]any{"mode": "continuous-YlRd"},
			"links": []any{map[string]any{"title": "Explain (WeDa FAQ remedy)", "url": explain + "${__field.labels.id}", "targetBlank": true}}}),
		Options: map[string]any{"orientation": "horizontal", "displayMode": "gradient", "showUnfilled": true, "valueMode": "color",
			"namePlacement": "auto", "sizing": "auto", "minVizWidth": 8, "minVizHeight": 16, "maxVizHeight": 300,
			"legend":        map[string]any{"displayMode": "list", "placement": "bottom", "showLegend": false, "calcs": []string{}},
			"reduceOptions": map[string]any{"calcs": []string{"lastNotNull"}, "fields": "", "values": false}}}
	l.add(top, 12, 10)

	table, err := codesTable(cat, explain)
	if err != nil {
		return nil, err
	}
	l.add(table, 12, 10)

	l.row("Sources")
	l.add(timeseries("Lines per second", "", "short",
		rangeQ(`sum by (source) (rate(wedadiag_lines_total{`+srcSel+`}[$__rate_interval]))`, "{{source}}")), 8, 7)
	l.add(timeseries("Bytes per second", "", "Bps",
		rangeQ(`sum by (source) (rate(wedadiag_bytes_total{`+srcSel+`}[$__rate_interval]))`, "{{source}}")), 8, 7)
	l.add(timeseries("Records per second", "Records framed from lines: a multi-line stack trace is one record.", "short",
		rangeQ(`sum by (source) (rate(wedadiag_records_total{`+srcSel+`}[$__rate_interval]))`, "{{source}}")), 8, 7)
	l.add(timeseries("Diagnoses per minute by source", "", "short",
		rangeQ(`sum by (source) (rate(wedadiag_diagnoses_total{`+diagSel+`}[$__rate_interval])) * 60`, "{{source}}")), 8, 7)
	l.add(timeseries("Unmatched errors per minute", "Records that look like errors but match nothing: run `wedadiag scan` on the source to see their templates.", "short",
		rangeQ(`sum by (source) (rate(wedadiag_unmatched_errors_total{`+srcSel+`}[$__rate_interval])) * 60`, "{{source}}")), 8, 7)
	l.add(timeseries("Bad records per minute", "Records that could not be parsed or were cut, by reason.", "short",
		rangeQ(`sum by (source, reason) (rate(wedadiag_bad_records_total{`+srcSel+`}[$__rate_interval])) * 60`, "{{source}}: {{reason}}")), 8, 7)
	l.add(timeseries("Lag (bytes behind)", "Bytes written to followed files and not processed yet. Growing lag means wedadiag cannot keep up.", "bytes",
		rangeQ(`sum by (source) (wedadiag_bytes_behind{`+srcSel+`})`, "{{source}}")), 12, 7)
	l.add(timeseries("Files followed", "Files followed, and files the source's paths match (0: a glob that matches nothing yet).", "short",
		rangeQ(`sum by (source) (wedadiag_files_followed{`+srcSel+`})`, "{{source}}"),
		rangeQ(`sum by (source) (wedadiag_source_files{`+srcSel+`})`, "{{source}} matched")), 12, 7)

	l.row("Kafka and CloudBase sources")
	l.add(timeseries("Source records per second", "Records the kafka and cloudbase sources hand to the pipeline.", "short",
		rangeQ(`sum by (source) (rate(wedadiag_source_records_total{`+srcSel+`}[$__rate_interval]))`, "{{source}}")), 6, 7)
	l.add(timeseries("Source errors per minute", "Connecting, fetching, committing or polling failed (retried).", "short",
		rangeQ(`sum by (source) (rate(wedadiag_source_errors_total{`+srcSel+`}[$__rate_interval])) * 60`, "{{source}}")), 6, 7)
	l.add(timeseries("Source lag", "Kafka: records not acknowledged; cloudbase: seconds behind.", "short",
		rangeQ(`max by (source) (wedadiag_source_lag{`+srcSel+`})`, "{{source}}")), 6, 7)
	l.add(timeseries("Kafka: oldest unacknowledged record", "CLS keeps Kafka records 2 hours: near 7200 s records start to expire unread (counted as skipped).", "s",
		rangeQ(`max by (source) (wedadiag_kafka_oldest_unacked_age_seconds{`+srcSel+`})`, "{{source}}"),
		rangeQ(`sum by (source) (increase(wedadiag_kafka_skipped_records_total{`+srcSel+`}[$__rate_interval]))`, "{{source}} skipped")), 6, 7)

	l.add(timeseries("Diagnoses per minute by namespace and container", "Pod-log sources with kubernetes.labels on: the namespace and container of the log path (bounded; the rest is other).", "short",
		rangeQ(`sum by (namespace, container) (rate(wedadiag_kubernetes_diagnoses_total{`+diagSel+`}[$__rate_interval])) * 60`, "{{namespace}}/{{container}}")), 24, 7)

	l.row("Cloud functions")
	l.add(timeseries("Invocations per minute by status", "Cloud-function invocations seen in platform records, by SCF status (433 timeout, 434 memory limit).", "short",
		rangeQ(`sum by (status) (rate(wedadiag_function_invocations_total{`+srcSel+`}[$__rate_interval])) * 60`, "{{status}}")), 8, 8)
	l.add(timeseries("Duration p95 by function", "95th percentile of the functions' run time.", "s",
		rangeQ(`histogram_quantile(0.95, sum by (function, le) (rate(wedadiag_function_duration_seconds_bucket{`+srcSel+`}[$__rate_interval])))`, "{{function}}"),
		rangeQ(`sum by (function) (rate(wedadiag_function_duration_seconds_sum{`+srcSel+`}[$__rate_interval])) / sum by (function) (rate(wedadiag_function_duration_seconds_count{`+srcSel+`}[$__rate_interval]))`, "{{function}} mean")), 8, 8)
	l.add(timeseries("Memory p95 by function", "95th percentile of the functions' memory use.", "bytes",
		rangeQ(`histogram_quantile(0.95, sum by (function, le) (rate(wedadiag_function_memory_bytes_bucket{`+srcSel+`}[$__rate_interval])))`, "{{function}}"),
		rangeQ(`sum by (function) (rate(wedadiag_function_memory_bytes_sum{`+srcSel+`}[$__rate_interval])) / sum by (function) (rate(wedadiag_function_memory_bytes_count{`+srcSel+`}[$__rate_interval]))`, "{{function}} mean")), 8, 8)

	l.row("Alerts and configuration")
	l.add(timeseries("Alert deliveries per minute", "Notifications delivered, failed after retries and dropped (queue full), by receiver.", "short",
		rangeQ(`sum by (receiver) (rate(wedadiag_alerts_sent_total[$__rate_interval])) * 60`, "{{receiver}} sent"),
		rangeQ(`sum by (receiver) (rate(wedadiag_alerts_failed_total[$__rate_interval])) * 60`, "{{receiver}} failed"),
		rangeQ(`sum by (receiver) (rate(wedadiag_alerts_dropped_total[$__rate_interval])) * 60`, "{{receiver}} dropped")), 12, 7)
	reloads := timeseries("Configuration reloads", "Reloads (SIGHUP or POST /-/reload) by result. A failed reload keeps the running configuration.", "short",
		rangeQ(`sum by (result) (increase(wedadiag_config_reloads_total[$__rate_interval]))`, "{{result}}"))
	reloads.FieldConfig["defaults"].(map[string]any)["custom"].(map[string]any)["drawStyle"] = "bars"
	reloads.FieldConfig["overrides"] = []any{
		map[string]any{"matcher": map[string]any{"id": "byName", "options": "failure"},
			"properties": []any{map[string]any{"id": "color", "value": map[string]any{"mode": "fixed", "fixedColor": "red"}}}},
		map[string]any{"matcher": map[string]any{"id": "byName", "options": "success"},
			"properties": []any{map[string]any{"id": "color", "value": map[string]any{"mode": "fixed", "fixedColor": "green"}}}},
	}
	l.add(reloads, 6, 7)
	l.add(timeseries("Rule errors per minute", "Errors evaluating a rule, by rule: check it with `wedadiag rules check`; and state files (live diagnoses, unmatched templates) that could not be read back or written, by file: see the daemon's log.", "short",
		rangeQ(`sum by (rule) (rate(wedadiag_rule_errors_total[$__rate_interval])) * 60`, "{{rule}}"),
		rangeQ(`sum by (file) (rate(wedadiag_state_errors_total[$__rate_interval])) * 60`, "state {{file}}")), 6, 7)

	allowed := names(append(ms[:len(ms):len(ms)], SourceMetrics()...))
	for _, p := range l.panels {
		for _, t := range p.Targets {
			if err := checkNames(t.Expr, allowed); err != nil {
				return nil, fmt.Errorf("panel %q: %w", p.Title, err)
			}
		}
	}
	vars, err := templating(cat, allowed)
	if err != nil {
		return nil, err
	}
	d := dashboard{
		Annotations: map[string]any{"list": []any{map[string]any{
			"builtIn": 1, "datasource": map[string]string{"type": "grafana", "uid": "-- Grafana --"},
			"enable": true, "hide": true, "iconColor": "rgba(0, 211, 255, 1)", "name": "Annotations & Alerts", "type": "dashboard"}}},
		Description: "WeDa (微搭低代码) error codes and FAQ symptoms that wedadiag finds in app and cloud-function logs. " +
			"Generated from the wedadiag catalog by `wedadiag generate grafana`; do not edit by hand.",
		Editable:     true,
		GraphTooltip: 1,
		Links: []any{map[string]any{"title": "wedadiag status page", "type": "link", "url": "${wedadiag_url}/",
			"targetBlank": true, "icon": "external link", "tooltip": "Live diagnoses with the FAQ's remedies",
			"tags": []string{}, "asDropdown": false, "includeVars": false, "keepTime": false}},
		Panels:        l.panels,
		Refresh:       "30s",
		SchemaVersion: schemaVersion,
		Tags:          []string{"wedadiag", "weda"},
		Templating:    map[string]any{"list": vars},
		Time:          map[string]string{"from": "now-6h", "to": "now"},
		Timepicker:    map[string]any{},
		Timezone:      "",
		Title:         DashboardTitle,
		UID:           DashboardUID,
		Version:       1,
	}
	return marshalJSON(d)
}

type dashboard struct {
	ID            *int              `json:"id"`
	Annotations   map[string]any    `json:"annotations"`
	Description   string            `json:"description"`
	Editable      bool              `json:"editable"`
	GraphTooltip  int               `json:"graphTooltip"`
	Links         []any             `json:"links"`
	Panels        []panel           `json:"panels"`
	Refresh       string            `json:"refresh"`
	SchemaVersion int               `json:"schemaVersion"`
	Tags          []string          `json:"tags"`
	Templating    map[string]any    `json:"templating"`
	Time          map[string]string `json:"time"`
	Timepicker    map[string]any    `json:"timepicker"`
	Timezone      string            `json:"timezone"`
	Title         string            `json:"title"`
	UID           string            `json:"uid"`
	Version       int               `json:"version"`
}

// codesTable is the table of current codes: one row per entry diagnosed in
// the time range, its FAQ title mapped from the catalog, and a link from the
// id to the status page's explanation.
func codesTable(cat *catalog.Catalog, explain string) (panel, error) {
	titles := map[string]any{}
	i := 0
	for _, e := range cat.Entries() {
		if !Diagnosable(e) {
			continue
		}
		titles[e.ID] = map[string]any{"index": i, "text": oneLine(e.Title("zh"))}
		i++
	}
	override := func(field string, props ...any) any {
		return map[string]any{"matcher": map[string]any{"id": "byName", "options": field}, "properties": props}
	}
	prop := func(id string, v any) any { return map[string]any{"id": id, "value": v} }
	var sevMap = map[string]any{}
	for i, s := range []catalog.Severity{catalog.Critical, catalog.Error, catalog.Warning} {
		sevMap[string(s)] = map[string]any{"index": i, "color": severityColor(s)}
	}
	p := panel{Type: "table", Title: "Current codes",
		Description: "Every WeDa code and FAQ symptom diagnosed in the dashboard's time range. " +
			"Click an id for the status page's explanation with the FAQ's remedy (set the wedadiag_url variable to the address of a wedadiag).",
		Targets: []target{tableQ(`sort_desc(label_replace(sum by (id, code, domain, severity) (increase(wedadiag_diagnoses_total{` + diagSel + `}[$__range])), "title", "$1", "id", "(.*)") > 0)`)},
		FieldConfig: map[string]any{
			"defaults": map[string]any{"custom": map[string]any{"align": "auto", "cellOptions": map[string]any{"type": "auto"}, "filterable": true, "inspect": false}},
			"overrides": []any{
				override("id", prop("links", []any{map[string]any{"title": "Explain (WeDa FAQ remedy)", "url": explain + "${__data.fields.id}", "targetBlank": true}}),
					prop("custom.width", 280)),
				override("title", prop("mappings", []any{map[string]any{"type": "value", "options": titles}})),
				override("severity", prop("mappings", []any{map[string]any{"type": "value", "options": sevMap}}),
					prop("custom.cellOptions", map[string]any{"type": "color-text"}), prop("custom.width", 90)),
				override("count", prop("decimals", 0), prop("custom.width", 80)),
			},
		},
		Options: map[string]any{"showHeader": true, "cellHeight": "sm", "frameIndex": 0,
			"footer": map[string]any{"show": false, "reducer": []string{"sum"}, "countRows": false, "fields": ""},
			"sortBy": []any{map[string]any{"displayName": "count", "desc": true}}},
		Transformations: []map[string]any{{"id": "organize", "options": map[string]any{
			"excludeByName": map[string]bool{"Time": true},
			"indexByName":   map[string]int{"id": 0, "code": 1, "title": 2, "domain": 3, "severity": 4, "Value": 5},
			"renameByName":  map[string]string{"Value": "count"},
		}}},
	}
	return p, nil
}

// templating returns the dashboard variables: the datasource, the sources
// found in Prometheus, the catalog's domains and severities, and the base URL
// of a wedadiag for the explanation links.
func templating(cat *catalog.Catalog, allowed map[string]bool) ([]any, error) {
	domains := map[string]bool{}
	for _, e := range cat.Entries() {
		if Diagnosable(e) {
			domains[e.Domain] = true
		}
	}
	var doms []string
	for d := range domains {
		doms = append(doms, d)
	}
	sort.Strings(doms)
	custom := func(name, label string, values []string) map[string]any {
		opts := []any{map[string]any{"selected": true, "text": "All", "value": "$__all"}}
		for _, v := range values {
			opts = append(opts, map[string]any{"selected": false, "text": v, "value": v})
		}
		return map[string]any{"name": name, "label": label, "type": "custom", "query": strings.Join(values, ","),
			"multi": true, "includeAll": true, "allValue": ".*", "hide": 0, "options": opts,
			"current": map[string]any{"selected": true, "text": []string{"All"}, "value": []string{"$__all"}}}
	}
	const sourceQuery = "label_values(wedadiag_lines_total, source)"
	if err := checkNames("wedadiag_lines_total", allowed); err != nil {
		return nil, err
	}
	return []any{
		map[string]any{"name": "datasource", "label": "Data source", "type": "datasource", "query": "prometheus",
			"hide": 0, "refresh": 1, "regex": "", "options": []any{}, "current": map[string]any{"text": "", "value": ""}},
		map[string]any{"name": "source", "label": "Source", "type": "query", "datasource": ds(),
			"definition": sourceQuery,
			"query":      sourceQuery,
			"multi":      true, "includeAll": true, "allValue": ".*", "refresh": 2, "sort": 1, "hide": 0, "regex": "", "options": []any{},
			"current": map[string]any{"selected": true, "text": []string{"All"}, "value": []string{"$__all"}}},
		custom("domain", "Domain", doms),
		custom("severity", "Severity", []string{string(catalog.Critical), string(catalog.Error), string(catalog.Warning)}),
		map[string]any{"name": "wedadiag_url", "label": "wedadiag URL", "type": "textbox", "query": "http://localhost:9894", "hide": 0,
			"description": "Base URL of a wedadiag status page, for the explanation links",
			"current":     map[string]any{"text": "http://localhost:9894", "value": "http://localhost:9894"},
			"options":     []any{map[string]any{"selected": true, "text": "http://localhost:9894", "value": "http://localhost:9894"}}},
	}, nil
}

// oneLine folds whitespace runs (newlines included) into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// marshalJSON indents with two spaces, leaves <, > and & as they are, and
// ends with a newline.
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
