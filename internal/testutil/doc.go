// Package testutil holds small helpers shared by tests: temporary files,
// polling with a deadline, finding or building binaries. It is imported by
// tests only.
package testutil
