// Package diagnose owns the one path from a log record to a diagnosis, which
// `wedadiag scan` and the daemon both run (Pipeline): match the record with
// a Program (compiled rules and each source's input format), resolve the
// matches against the catalog (Resolver: one diagnosis per record, with
// alternatives; error-like records no rule explains go to the ranked text
// matcher last), make samples (cut to MaxSampleBytes, then an optional
// hook), and hand on what it found.
//
// It takes record.Record values from a Scanner (files and streams read once,
// start to end, in batches — a large file in byte ranges split at record
// boundaries, read in parallel (ScanFile) — each record numbered so that
// what is reported does not depend on the number of workers) or from a Source (the tailer
// and any live source: Records, Ack, Run, Ready) through Pipeline.Consume.
// The rules' literals are found once per block of records, not once per
// record — over the whole lines of each read of ScanFile (prescan), over
// a batch's texts joined (Worker.HandleBatch) — and each record is matched
// with its share of the hits.
//
// It hands on Occurrence values to Sinks (Aggregator: counts, first and last
// seen, samples, sliding window; Metrics: wedadiag_diagnoses_total; the
// daemon's notifier) and each record's Outcome to RecordSinks (Unknowns:
// templates of unexplained errors; the daemon's per-record counters, a
// WorkerSink that each worker tallies apart and publishes once a batch). The
// Aggregator's Diagnosis values are what `scan --format json`,
// /api/v1/diagnoses and the status page show; Report renders a scan.
//
// It also loads rule sets for both (Load: built-in rules, rule files, their
// custom entries added to the catalog, yield ids checked against it), keeps
// the live state in the state directory (SaveLive, SaveUnmatched) and turns
// unmatched templates into rule-file skeletons (Suggest).
//
// It imports catalog, rules, parse, redact, record, internal/textutil and
// internal/fsutil.
package diagnose
