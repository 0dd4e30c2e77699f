// Package rules owns turning a record.Record into matches: one pass of a
// literal prefilter over the record's bytes, a parse into an Event (package
// parse) for the few records that pass it, and the rules that the
// prefilter selected: Go checks compiled from their expressions, expr's VM
// for expressions of other shapes (a built-in rule, all checks, compiles
// no expr program). A record that no rule could match costs
// the pass and nothing else: no parse, no string, no allocation. The pass
// may also be made once over a block of many records' lines (ScanBlock),
// each record then matched with its share of the hits (MatchHits).
//
// It hands on Match values naming what a rule found (a catalog id, or a code,
// message or FAQ question to look up) and, per record, whether it looks like
// an error that no rule knows (Result.Suspect) and why it was not clean
// (Result.Bad). Resolving matches against the catalog is the job of package
// diagnose, grouping unknown errors too. It imports record, parse,
// internal/automaton, internal/textutil, internal/yamlpos and, for the
// generator of its compiled built-in rules (precompiled.go), internal/gosrc.
//
// The rule-file schema and every built-in rule are in docs/rules.md
// (generated from RuleFields, Variables and the built-in rules); events,
// codes, the prefilter and contract changes in docs/rules-engine.md.
package rules

// The catalog's rules (builtin/catalog.yaml), then every built-in file
// decoded into Go values (builtin_gen.go), both from the YAML sources.
//go:generate go run -tags yamlsource ../cmd/wedadiag generate rules --rules-out builtin/catalog.yaml
//go:generate go run -tags yamlsource ../cmd/wedadiag generate rules-go --rules-go-out builtin_gen.go
