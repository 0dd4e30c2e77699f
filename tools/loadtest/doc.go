// Command loadtest measures `wedadiag run` under a steady write load: the
// CPU and memory of the daemon following N files written at a total rate
// of lines per second, and the latency from a line's write to the moment
// /metrics shows it counted in wedadiag_diagnoses_total.
//
// It is a measurement, not a test: it asserts nothing about time. It fails
// only when the daemon loses or double-counts a line, or will not start or
// stop. scripts/loadtest builds wedadiag and runs it:
//
//	scripts/loadtest                      # 10 files, 20,000 lines/s, 30 s + 60 s
//	scripts/loadtest -rate 50000 -duration 30s
//	scripts/loadtest -backlog 2000000     # throughput: lines/s, CPU s per M lines
//
// Phases: idle and not polled (the daemon's floor); idle with /metrics read
// every -poll (what the measurement itself costs); the load with /metrics
// read every second, for -cpu-phase (the CPU to quote); the same load with
// /metrics read every -poll, for -duration (the latency). CPU is utime+stime
// of /proc/PID/stat over each phase, RSS is VmRSS of /proc/PID/status every
// second and VmHWM at the end. Last, -quiet-lines single error lines on a
// quiet file: the latency an app that logs little sees.
//
// How latency is known: each file gets error lines of its own WeDa code
// (file 0 only FailedOperation.FlexdbResourceOverdue, file 1 only
// UserError.DsNotFound, …), each error line carries a unique marker
// (requestId lt-FILE-SEQ), and one file is read in order. So the k-th error
// line written to file j is counted when wedadiag_diagnoses_total{id=ID_j}
// reaches k, and its latency is the end of the first /metrics poll (every
// -poll) that shows k, minus the time just before its write(2). The
// resolution is the poll interval plus one scrape.
package main
