//go:build !race

package testutil

// TimeoutScale multiplies test deadlines: the race detector makes code
// several times slower.
const TimeoutScale = 1

// RaceEnabled reports whether the race detector is on.
const RaceEnabled = false
