// Package tailer owns following log files: every line written to a file
// that a source's globs match is read at least once — and, unless the
// daemon crashes, exactly once — whatever logrotate, the app or a restart
// does underneath. It turns a set of globs (or standard input) into
// record.Record values on one bounded channel, and keeps the positions that
// let a restart resume where the pipeline stopped.
//
// It hands Records (Source, Path, Offset, End, Text, Stream) to the pipeline
// (package rules and after), which acknowledges each one with Ack. Its job
// ends there: it does not parse records. It imports record (the
// Framer groups lines into multi-line records) and internal/fsutil.
// `wedadiag scan` reads files once with the same Framer, not with this
// package.
//
// How files are identified, positions kept, records framed, hpcloud/tail
// contained, its limits, metrics and logs: docs/tailer.md.
package tailer
