// Package catalog owns the WeDa knowledge base: every row of the error-code
// tables of the WeDa FAQ and every FAQ question with its answer, kept as
// embedded YAML under data/ and loaded and validated once.
//
// It hands on *Entry values: an error code with its verbatim message and
// 操作建议, or a FAQ answer with the log signals that reveal its problem, each
// with an English rendering. Lookups are by id, by code, by code and message
// (placeholder-aware), and a ranked text search for `wedadiag explain`.
// Finding codes inside log text is the job of package rules, not this one.
//
// This package imports nothing of ours; every other package may import it.
package catalog
