// Package source owns what every log source has in common: the Source
// interface the daemon drives (the file tailer, the Kafka consumer and the
// CloudBase poller all satisfy it) and the three per-source metrics they
// share, wedadiag_source_records_total, wedadiag_source_errors_total and
// wedadiag_source_lag, each labelled by the configured source name only.
//
// A Source hands record.Record values to the pipeline on Records() and is
// told with Ack which ones the pipeline has processed; only the
// acknowledged, contiguous prefix of each stream is ever persisted or
// committed, so a crash re-reads at most what was not acknowledged. Run
// reads until its context is done. Ready reports whether the source is
// reading, for /readyz.
//
// This package imports record and nothing else of ours; the
// sources (tailer, source/kafka, source/cloudbase) import it.
package source
