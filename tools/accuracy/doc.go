// Command accuracy measures how well `wedadiag scan` diagnoses WeDa logs.
//
// It generates, deterministically from a seed, a labelled corpus of its own:
// error records for every row of the FAQ's error tables (each alternative
// of a cell that lists several messages on its own) and for every FAQ
// question that can show in a log, written in some 30 formats that real
// WeDa apps, cloud functions and the platform print, between benign lines
// and near misses (success responses, codes inside ids, URLs, test names,
// commit messages, docs). It writes one file per format plus labels.tsv,
// runs `wedadiag scan-records` (one line per diagnosed record) and
// `wedadiag scan --format json` on them, and reports recall per row and per
// symptom, precision, wrong rows, false diagnoses on the benign lines,
// count exactness and a per-format table, as text or with -json.
//
// The corpus is written from the FAQ and from how real systems log, not
// from the rules: it is the instrument, not the thing measured. It imports
// catalog (for ids, codes and messages, the labels) and nothing else of
// ours; scripts/accuracy builds the binary and runs it.
package main
