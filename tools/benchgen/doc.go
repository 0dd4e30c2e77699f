// Command benchgen writes the deterministic benchmark corpus of scripts/bench
// and checks a scan of it.
//
//	go run ./tools/benchgen -out DIR [-lines 1000000]   # DIR/corpus.log, codes.txt, expected.json
//	go run ./tools/benchgen -verify DIR/scan.json -expected DIR/expected.json
//
// The corpus mixes cloud-function (SCF) lines, JSON logs, plain text and
// static-hosting access lines, about 2 % of which carry one of about 40
// catalog codes in the forms real logs print them (API 3.0 responses, SDK
// exceptions, js-sdk messages, logfmt, object literals, plain text). The
// benign lines carry what trips naive matchers: ids with the digits of
// numeric codes, "errors=0", words that start like codes.
package main
