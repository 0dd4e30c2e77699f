// Package automaton owns the multi-literal matcher under the rules
// prefilter: New compiles a list of literals into an Aho-Corasick DFA over
// byte classes, and Scan reports, in one pass over a record's bytes and
// without allocating, every occurrence of every literal (overlapping ones
// included) as Hits of literal ids and end offsets.
//
// It takes literals and bytes and knows nothing of rules, records or log
// formats; package rules derives the literals from its rules and decides
// what a hit means. Each literal is anchored at its rarest byte in log text
// (anchor.go) so that most bytes pass through a tight loop without touching
// the table. It imports nothing of ours.
package automaton
