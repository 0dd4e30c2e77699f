// Package daemon owns `wedadiag run` as a process: from a configuration it
// builds the tailer (a diagnose.Source) and diagnose's pipeline with the
// daemon's sinks (wedadiag_diagnoses_total, per-record counters, the live
// diagnoses, unmatched templates, the notifier), serves the HTTP side
// (package web), reloads configuration, rules and formats as one value
// without losing positions, and stops in order: not ready, stop reading,
// drain (bounded by ShutdownGrace), save positions, flush alerts, close
// HTTP.
//
// It exists apart from cmd/wedadiag so tests can run the daemon in-process;
// it never sees a signal (cmd turns signals into a cancel and a reload
// channel). It may import every package of ours.
package daemon
