// Package warm owns starting the build of the built-in rule set while the
// wedadiag binary is still starting up: importing it for its side effect
// (in package main only) calls rules.Warm from its init, which Go runs as
// soon as package rules is initialised, while the packages that follow in
// the order (the metrics and HTTP stack, the CLI) initialise on the other
// core. A scan's workers then find the set built, or nearly, instead of
// waiting for the whole build. It does so only for the subcommands that
// match records (scan, scan-records, run, rules): explain, catalog or
// version would only spend CPU on it.
//
// It is a package of its own, not an init in package rules, so that no
// test binary of rules or its importers runs a background build (it would
// disturb their allocation counts).
package warm
