package gen

// Metric is one metric the daemon exports.
type Metric struct {
	Name   string
	Type   string // counter or gauge
	Labels []string
	Help   string
}

// Metrics returns the metrics wedadiag exports, as DESIGN.md fixes them:
// the only names a generated dashboard or rule may use, and the list an
// end-to-end test compares with a real scrape. It returns a fresh slice.
func Metrics() []Metric {
	src := []string{"source"}
	rcv := []string{"receiver"}
	return []Metric{
		{"wedadiag_diagnoses_total", "counter", []string{"id", "code", "domain", "severity", "source"}, "Diagnoses: records recognised as a catalog entry."},
		{"wedadiag_lines_total", "counter", src, "Lines read."},
		{"wedadiag_bytes_total", "counter", src, "Bytes read."},
		{"wedadiag_records_total", "counter", src, "Records framed from the lines (multi-line records count once)."},
		{"wedadiag_unmatched_errors_total", "counter", src, "Records that look like errors but match no rule."},
		{"wedadiag_bad_records_total", "counter", []string{"source", "reason"}, "Records that could not be parsed or were cut."},
		{"wedadiag_rule_errors_total", "counter", []string{"rule"}, "Errors evaluating a rule."},
		{"wedadiag_files_followed", "gauge", src, "Files of the source being followed."},
		{"wedadiag_bytes_behind", "gauge", src, "Bytes written to followed files and not processed yet."},
		{"wedadiag_alerts_sent_total", "counter", rcv, "Alert notifications delivered."},
		{"wedadiag_alerts_failed_total", "counter", rcv, "Alert notifications that failed after retries."},
		{"wedadiag_alerts_dropped_total", "counter", rcv, "Alert notifications dropped because the receiver's queue was full or the daemon stopped."},
		{"wedadiag_config_reloads_total", "counter", []string{"result"}, "Configuration reloads by result: success or failure."},
		{"wedadiag_config_last_reload_success_timestamp_seconds", "gauge", nil, "Time of the last successful configuration load."},
		{"wedadiag_build_info", "gauge", []string{"version", "revision", "goversion"}, "Always 1; the labels carry the build."},
	}
}

// names returns the set of metric names in ms.
func names(ms []Metric) map[string]bool {
	out := make(map[string]bool, len(ms))
	for _, m := range ms {
		out[m.Name] = true
	}
	return out
}
