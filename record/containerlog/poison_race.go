//go:build race

package containerlog

// poisonReused: with the race detector on (the tests in CI), a batch's
// texts and records are overwritten when it is taken back for reuse.
const poisonReused = true
