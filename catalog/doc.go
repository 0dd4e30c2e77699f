// Package catalog owns the WeDa knowledge base: every row of the error-code
// tables of the WeDa FAQ and every FAQ question with its answer (the FAQ
// tier, verbatim), and beside it the platform tier: CloudBase, wx.cloud,
// cloud-function and Tencent Cloud API codes the FAQ does not list, whose
// remedies wedadiag wrote from the official docs (platform.go). Both are
// embedded YAML under data/, loaded and validated once.
//
// It hands on *Entry values: an error code with its message and remedy, or
// a FAQ answer with the log signals that reveal its problem, each with an
// English rendering and a Source (faq, platform, custom) that says whose
// words they are. Lookups are by id, by code (the FAQ tier first) and
// message (placeholder-aware, every message of a cell that lists several;
// resolve.go: context words of 接口/场景, generic rows, alternatives), and
// the ranked text matcher (BM25 over words and CJK bigrams, textindex.go,
// textmatch.go) that the pipeline's last step and `wedadiag explain` share.
// Resolving costs little per record: each code's rows, with those of the
// codes below it, are gathered once, and the rows each message fits are
// remembered within a byte budget (lookup.go).
// Finding codes inside log text is the job of package rules, not this one.
//
// Of ours it imports internal/textutil, internal/automaton (to find many
// templates' first segments at once), and internal/gosrc for its
// generator (gosource.go); every other package may import it.
package catalog

//go:generate go run -tags yamlsource ../cmd/wedadiag generate catalog --catalog-out catalog_gen.go
