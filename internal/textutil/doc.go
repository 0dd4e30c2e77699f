// Package textutil owns small string helpers shared by the runtime
// packages: Cut (shorten at a rune boundary, marking the cut),
// Levenshtein (edit distance for "did you mean" hints) and Hex (the value
// of hex digits, for \u and \x escapes). diagnose and notify cut samples
// and error bodies with it; catalog and rules suggest names; parse and
// record/containerlog decode escapes.
// It imports only the standard library.
package textutil
