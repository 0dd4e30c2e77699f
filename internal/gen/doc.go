// Package gen owns the artefacts generated from the catalog so they never
// drift from it: the Grafana dashboard and its provisioning files, the
// Prometheus recording and alerting rules with their promtool unit tests,
// and the built-in rule file. Metrics lists the metrics the daemon exports,
// read from the collectors internal/daemon registers; every generated query
// is checked against it.
//
// Generators are pure functions from a *catalog.Catalog and a metric list to
// bytes; `wedadiag generate` writes them under configs/ and a test fails
// when the committed files differ. The tests also check the hand-written
// deployment files beside them (Dockerfile, Kubernetes, systemd, compose,
// example configuration) with the real tools where present.
//
// Of our packages it imports catalog, diagnose, record, rules and
// internal/daemon (for its metrics); its tests also use configs and
// internal/config.
package gen
