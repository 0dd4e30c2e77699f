// Package tailer owns following log files: every line written to a file
// that a source's globs match is read at least once — and, unless the
// daemon crashes, exactly once — whatever logrotate, the app or a restart
// does underneath. It turns globs (or standard input) into record.Record
// values on one bounded channel, and keeps the positions that let a
// restart resume where the pipeline stopped, and the rotated generations
// written while it was down.
//
// It hands Records (Source, Path, Offset, End, Text, Stream) to the
// pipeline, which acknowledges each one with Ack; it does not parse them.
// It imports record (the Framer groups lines into records) and
// internal/fsutil, nothing else of ours.
//
//	t, err := tailer.New(cfg, log, tailer.NewMetrics(reg))
//	go t.Run(ctx)                       // until ctx is done; then closes Records()
//	for rec := range t.Records() { …; t.Ack(rec) }
//	// or t.Batches(): a read chunk's records per receive (the daemon)
//	t.SavePositions()                   // after the pipeline drained
//
// Files are followed by identity (device, inode, fingerprint of the first
// KiB), not by name. Directory watches (inotify) wake the sources, and
// hpcloud/tail's inotify tracker for files reached through a symlink; it
// is started so that it cannot exit the process (hptail.go). How rotation,
// truncation, positions, symlinks, the file cap and scanning work, their
// limits, metrics and measurements: docs/tailer.md.
package tailer
