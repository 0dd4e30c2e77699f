package testutil

import (
	"testing"
	"time"
)

// Eventually polls cond until it returns true or timeout (scaled by
// TimeoutScale) has passed, then fails the test with msg. It polls often
// (every few milliseconds) so a test waits no longer than the work takes;
// it never sleeps for a fixed time in the hope that work is done.
func Eventually(t testing.TB, timeout time.Duration, cond func() bool, msg string, args ...any) {
	t.Helper()
	deadline := time.Now().Add(timeout * TimeoutScale)
	wait := time.Millisecond
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v: "+msg, append([]any{timeout * TimeoutScale}, args...)...)
		}
		time.Sleep(wait)
		if wait < 20*time.Millisecond {
			wait *= 2
		}
	}
}
