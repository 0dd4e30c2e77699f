// Package source owns what every non-file log source shares with the
// others: the Source interface the daemon drives (records out, acks in, Run
// until cancelled, Ready for /readyz) and the three per-source series every
// source keeps — wedadiag_source_records_total, wedadiag_source_errors_total
// and wedadiag_source_lag, all labelled by the configured source name only.
//
// The sources themselves live in sub-packages (source/cloudbase,
// source/kafka); each takes its own config, a state directory, a logger and
// metrics, and hands record.Record values to the pipeline, which
// acknowledges each one. Positions, offsets and marks are each source's own
// business. This package imports internal/record and nothing else of ours.
package source
