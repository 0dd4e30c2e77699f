// Package textutil owns small string helpers shared by the runtime
// packages: Cut (shorten at a rune boundary, marking the cut) and
// Levenshtein (edit distance for "did you mean" hints). diagnose and notify
// cut samples and error bodies with it; catalog and rules suggest names.
// It imports only the standard library.
package textutil
