// Package fsutil owns the one way wedadiag replaces a file: WriteAtomic
// writes a temporary file next to the target, syncs it, renames it over the
// target and syncs the directory, so a crash leaves the old file or the new
// one, never half of either. tailer (positions.json), notify (alerts.json)
// and `wedadiag generate` use it. It imports only the standard library.
package fsutil
