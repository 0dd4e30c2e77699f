// Command benchgen writes the deterministic benchmark corpora of
// scripts/bench (package internal/benchcorpus: shapes "mixed" and
// "success", error densities) and checks a scan of them.
//
//	go run ./tools/benchgen -out DIR [-lines 1000000] [-shape mixed|success] [-errors-per-mille 20]
//	    # writes DIR/corpus.log, DIR/codes.txt and DIR/expected.json
//	go run ./tools/benchgen -verify DIR/scan.json -expected DIR/expected.json
//
// The corpus mixes cloud-function (SCF) lines, JSON logs, plain text and
// static-hosting access lines, about 2 % of which carry one of about 40
// catalog codes in the forms real logs print them (API 3.0 responses, SDK
// exceptions, js-sdk messages, logfmt, object literals, plain text). The
// benign lines carry what trips naive matchers: ids with the digits of
// numeric codes, "errors=0", words that start like codes. The "success"
// shape's benign lines are ordinary success traffic (code=0, HTTP 200,
// numbers everywhere, JSON with many keys).
package main
