// Package gen owns the artefacts that are generated from the catalog so they
// never drift from it: the Grafana dashboard (with its provisioning files),
// the Prometheus recording and alerting rules and their promtool unit tests.
// It also owns Metrics, the one list of the metrics the daemon exports (the
// contract of DESIGN.md), which every generated query is checked against.
//
// Generators are pure functions from a *catalog.Catalog and a metric list to
// bytes; `wedadiag generate` writes them under configs/ and a test fails when
// the committed files differ; the dashboard is decoded strictly with the
// types of Grafana's schema (grafana-foundation-sdk, tests only) and every
// query is parsed by promtool. The tests of this package also check the
// hand-written deployment files beside them (Dockerfile, Kubernetes, systemd,
// compose, example configuration) with the real tools where present:
// promtool, systemd-analyze, amtool, docker-compose.
//
// Of our packages it imports catalog only; its tests also use configs and
// internal/config, to load example configurations as the daemon does.
package gen
