// Package automaton owns the multi-literal matcher under the rules
// prefilter: New compiles a list of literals into keys anchored at their
// rarest bytes and the filters over where those keys may start, and Scan
// reports, in one pass over a record's bytes and without allocating,
// every occurrence of every literal (overlapping ones included) as Hits of
// literal ids and end offsets.
//
// It takes literals and bytes and knows nothing of rules, records or log
// formats; package rules derives the literals from its rules and decides
// what a hit means. Each literal is anchored at its rarest byte in log text
// (anchor.go) so that few positions can start a key; a tight loop finds
// them (skip), or, on amd64 with AVX2, a vector loop that decides 16
// positions at a time (teddy.go, teddy_amd64.s; GODEBUG=cpu.avx2=off turns
// it off; its buckets are weighed by the bytes' shares in log text,
// bytefreq.go), a position passes when its first two bytes begin a key
// and its first four may (a bit set of them, hashed), and the keys that
// begin there are compared a word at a time.
// Scan takes any run of bytes: a record, or a block of many lines whose
// hits the caller shares out by offset.
//
// Finder (finder.go) is the one-string counterpart by the same byte
// ranks: strings.Index, looking for the rarest byte of the string rather
// than its first; package parse uses it for the words it looks for in
// every record it parses.
//
// It imports nothing of ours.
package automaton
