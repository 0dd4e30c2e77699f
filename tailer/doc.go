// Package tailer owns following log files: it turns a set of globs (or
// standard input) into one stream of record.Record values per source,
// whatever rotation, truncation, restarts or crashes do underneath, and keeps
// the positions that make a restart resume where it stopped.
//
// It wraps github.com/hpcloud/tail and fixes around it what it lacks. Records
// are framed with internal/record's Framer and handed on to package rules.
// It imports only internal/record.
package tailer
