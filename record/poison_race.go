//go:build race

package record

// PoisonReused: with the race detector on (the tests in CI), Reuse
// overwrites a batch's texts and records when it takes the batch back.
const PoisonReused = true
