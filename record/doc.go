// Package record owns the unit every later stage works on: a Record, one log
// record of one file, and the Framer that groups physical lines into records
// (a line, or a multi-line group such as a stack trace, a Python traceback or a
// pretty-printed JSON object; a logger's error header line with the exception
// printed below it at column 0; a message whose every line repeats a syslog
// or timestamp prefix, such as a util.inspect dump through syslog).
//
// LineSplitter turns a file's bytes, fed in chunks as they are read, into
// Lines with exact offsets, holding at most a limit of an unfinished line.
// The tailer (following files) and `wedadiag scan` (reading files once) both
// frame with the same Framer, so a file gives the same records whichever way it
// is read; NextBoundary finds where a file may be cut into ranges framed
// apart with the records one Framer gives. Readers that hand records on in
// batches (the tailer, containerlog) take a batch back through Reuse once
// it is acknowledged whole, and fill the next in it. Record is handed on to
// package parse (and rules). It imports nothing of ours.
package record
