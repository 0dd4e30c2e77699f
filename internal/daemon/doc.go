// Package daemon owns `wedadiag run` as a process: it builds the pipeline
// tailer → rules → diagnose → notify from a configuration, serves the HTTP
// side (package web), reloads configuration and rules without losing
// positions, and stops in order: stop reading, drain, save positions,
// flush alerts, close HTTP.
//
// It exists apart from cmd/wedadiag so tests can run the daemon in-process;
// it never sees a signal (cmd turns signals into a cancel and a reload
// channel). It may import every package of ours.
package daemon
