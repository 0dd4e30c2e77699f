// Package tailer owns following log files: every line written to a file
// that a source's globs match is read at least once — and, unless the
// daemon crashes, exactly once — whatever logrotate, the app or a restart
// does underneath. It turns a set of globs (or standard input) into
// record.Record values on one bounded channel, and keeps the positions that
// let a restart resume where the pipeline stopped.
//
// It hands Records (Source, Path, Offset, End, Text, Stream) to the pipeline
// (package rules and after), which acknowledges each one with Ack. Its job
// ends there: it does not parse records. It imports record (the
// Framer groups lines into multi-line records) and nothing else of ours.
// `wedadiag scan` reads files once with the same Framer, not with this
// package.
//
// # Using it
//
//	t, err := tailer.New(cfg, log, tailer.NewMetrics(reg))
//	go t.Run(ctx)                       // until ctx is done; then closes Records()
//	for rec := range t.Records() { …; t.Ack(rec) }
//	t.SavePositions()                   // after the pipeline drained
//
// Shutdown order: cancel ctx → Run stops reading and closes Records() → the
// pipeline drains and Acks → SavePositions. Update(sources) applies a
// reload; Ready() is for /readyz (Run is following and every source has
// evaluated its globs and resolved its saved positions).
//
// The API is the one the daemon was promised, with these details: Config
// has ReleaseAfter (how long a rotated or deleted file stays open after its
// end, for writers that still hold it), Poll (no inotify at all) and Stdin
// (a reader for "-"); test hooks (kill -9 without a final save, a poll
// clock the test drives) are unexported fields set by the tests. Run saves
// once more when it returns (what was acknowledged by then); SavePositions
// saves the final state. A nil logger discards, nil metrics are
// unregistered.
//
// # Files are identities, not names
//
// A followed file is known by device+inode and by a fingerprint: the first
// 1 KiB of its content (or all of it while it is shorter; re-taken as the
// file grows). Each round (at every inotify event, and every PollInterval
// whatever inotify says) a source evaluates its globs, stats each match and
// reconciles by identity:
//
//   - A known identity under a new name (renamed, still matched): the same
//     file, never read again.
//   - A known identity no longer matched (rotated away, deleted): its open
//     descriptor is read to its end — the rest of the old file comes before
//     the new one — and closed once it has been quiet for ReleaseAfter. A
//     rotated file that gets compressed and deleted meanwhile is still read
//     through the descriptor.
//   - A new identity at a name that held another one: a rotation (rename,
//     or symlink when the name is a symlink), read from 0 after the old one.
//   - Any other new identity: a file that appeared while running, read from
//     0 — unless its content starts with a followed file's fingerprint: then
//     it may be a copy (copytruncate in progress) and is held, not read. If
//     the original is truncated, the copy supplies the unread rest. If not
//     within ReleaseAfter (or the original goes away), it is compared with
//     the original: a real copy (not longer, the same bytes where sampled)
//     is followed from its end, anything else (a file that only starts
//     alike, e.g. a fixed banner) is read from 0. An empty file, or one that
//     is still a prefix of such a fingerprint, is looked at again next round.
//   - Compressed names (.gz, .bz2, .xz, .zst, …) are never followed as live
//     files.
//   - At most MaxFilesPerSource files per source, the most recently
//     modified (wedadiag_tailer_files_capped_total counts the others).
//
// Truncation is found three ways, for followed and rotated-away files alike
// (a file can be truncated and rewritten before it is renamed): the size
// drops below our offset; the byte
// before our offset is no longer the newline we stopped after (each read
// starts one byte early to check); or the first bytes no longer match the
// fingerprint (checked after every read and whenever the file changed
// without growing). The rest of the old content is then looked for in a copy
// with its fingerprint (the held copy, a sibling whose name starts like the
// file's, a glob match, or a .gz sibling, decompressed) and read from our
// offset first (copytruncate, or gzip). Reading then restarts at 0 — or,
// when the file was cut to a smaller size and kept at least 64 bytes of its
// old start (to a line end), after what it kept, which was read already.
// What was neither read nor copied is counted in
// wedadiag_tailer_lost_bytes_total and logged.
//
// # Positions
//
// Per stream (one generation of one file, or the rest read from a copy),
// positions.json in StateDir keeps source, path, device, inode, fingerprint
// and offset. The offset is the End of the longest prefix of records the
// pipeline acknowledged (acks may come out of order), never what was merely
// read; a multi-line record held by the Framer, or a partial line, is not
// past it. The file is written every SaveInterval and on stop: temporary
// file, fsync, rename, fsync of the directory. A file that cannot be parsed
// is moved aside (positions.json.bad) with a warning.
//
// On start each saved position is resolved: the same identity with the same
// fingerprint wherever it is now (among the glob's matches, or renamed in
// its directory); else a copy with the fingerprint (copytruncate while
// down); else a .gz sibling whose decompressed start has it, which is read
// from the saved offset. Several positions leading to one file resume at the
// lowest. The same inode with another fingerprint is another file (inode
// reuse, or rewritten while down): read from 0. Files without a position are
// read from 0 (they appeared while the daemon was down), except on a
// source's first start — no positions for it, or its globs changed — when
// existing files start at their end (at 0 with FromStart). Positions of a
// source that is no longer configured are kept 7 days, so it resumes if it
// comes back. With StateDir empty positions live in memory only.
//
// # Reading and framing
//
// A source's files are read by one goroutine with one 64 KiB buffer, with
// pread at exact offsets. Lines go to a record.Framer per file. A partial
// last line is held until its newline or IdleFlush; a held multi-line record
// likewise. A line longer than MaxLineBytes is cut there (Record.Cut; the
// pipeline counts bad records, wedadiag_tailer_lines_cut_total counts cut
// lines) and the rest of it is skipped as it is read: at most MaxLineBytes
// of a line is in memory. Records are sent on a channel of Buffer records;
// when the pipeline is slow the source waits (nothing is dropped) and
// wedadiag_bytes_behind{source} shows the bytes written but not yet
// acknowledged. A "-" source reads standard input (no positions; records
// carry Stream 0 and need no Ack).
//
// # hpcloud/tail, and what is done around it
//
// github.com/hpcloud/tail v1.0.0 is used for what it does well: its inotify
// tracker (package watch: Watch, Events, RemoveWatch) gives each followed
// file's path an inotify watch — following symlinks, so a write to the
// target of /var/log/containers/*.log wakes its source at once — from a
// goroutine this package owns and joins. Its Tail is not used: it reopens a
// renamed file without finishing the old one (hpcloud/tail#127), its Line
// has no offset and Tell runs ahead of what was processed, MaxLineSize
// splits lines instead of cutting them, the RateLimiter's cool-off seeks to
// the end, Stop hangs unless Lines is drained, and its FileWatchers call
// os.Exit on an unexpected stat error (ESTALE on NFS) and cannot be joined.
// So offsets, reading, rotation and positions are this package's own. The
// tracker creates an inotify instance on first use and exits the process if
// it cannot (util.Fatal): the first watch is made right after a probe under
// a lock, and the library's fatal logger is replaced by one that parks the
// failing goroutine instead of returning to os.Exit; files are then polled
// (a warning, wedadiag_tailer_poll_fallback 1). TestInotifyExhaustedNeverExits
// proves both cases in a child process whose user has no instance left. The
// tracker goroutine is process-wide (the library's global), the only
// goroutine here not joined.
//
// Directories are watched with github.com/fsnotify/fsnotify (new files,
// renames, directories that appear later: a glob's nearest existing
// ancestor is watched until its directories exist). All notifications are
// hints: the poll every PollInterval finds everything they would, so when
// inotify instances or watches run out, or on network volumes where inotify
// sees nothing, reading goes on by polling (wedadiag_tailer_poll_fallback).
//
// # Limits
//
//   - copytruncate of content the tailer never read a byte of (written,
//     copied and truncated between two looks, a few milliseconds with
//     inotify) leaves nothing to recognise the truncation by: those lines
//     are only in the copy. Any reader has this race; logrotate's own
//     copy-then-truncate window loses lines written in between, too.
//   - Fingerprints are content: a copy is recognised by starting with the
//     original's first bytes, so two different files whose first 1 KiB is
//     identical (a long fixed banner) can be mistaken for copies; a file cut
//     to a smaller size is told from one truncated and rewritten by its kept
//     start. Numbered or timestamped lines make both unambiguous.
//   - After a symlink switch while the daemon was down, the old target's
//     rest is found only if a glob also matches the target's name.
//   - Standard input that is not a file is read as it is: Run returns only
//     when its Read does.
//
// # Metrics and logs
//
// Labels are source names only: wedadiag_lines_total, wedadiag_bytes_total,
// wedadiag_files_followed, wedadiag_bytes_behind; wedadiag_tailer_
// rotations_total{kind=rename|copytruncate|truncate|symlink|gzip},
// files_capped_total, lines_cut_total, lost_bytes_total, read_errors_total,
// poll_fallback; position_save_errors_total and
// position_last_save_timestamp_seconds (no labels). A source's series exist
// at 0 from New or Update and are deleted when it is removed. The pipeline
// owns wedadiag_records_total and wedadiag_bad_records_total. Logs use the
// keys source, path and err: Info for lifecycle (start, resume, rotation,
// stop), Warn when degraded (polling, lost bytes, save errors, on change).
package tailer
