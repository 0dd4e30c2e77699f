// Package gen owns the artefacts that are generated from the catalog so they
// never drift from it: the Grafana dashboard (with its provisioning files),
// the Prometheus recording and alerting rules and their promtool unit tests.
// It also owns Metrics, the one list of the metrics the daemon exports (the
// contract of DESIGN.md), which every generated query is checked against.
//
// Generators are pure functions from a *catalog.Catalog and a metric list to
// bytes; `wedadiag generate` writes them under configs/ and a test fails when
// the committed files differ. The tests of this package also check the
// hand-written deployment files beside them (Dockerfile, Kubernetes, systemd,
// compose, example configuration) with the real tools where present:
// promtool, systemd-analyze, amtool, docker-compose.
//
// It imports catalog only.
package gen
