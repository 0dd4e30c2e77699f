// Command bytefreq prints the share of each byte value in the files it is
// given, per 100,000 bytes (each file weighed by its size), as the Go table
// internal/automaton/bytefreq.go holds: the odds the vector prefilter
// spreads its keys over buckets by. The table there was made from the
// accuracy corpus (scripts/accuracy -seed 1: 44 log formats, English and
// Chinese, with the benign logs), not from the bench corpora it is
// measured on:
//
//	scripts/accuracy -seed 1 && go run ./tools/bytefreq accuracy-out/*.log
package main
