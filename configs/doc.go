// Package configs owns the files users deploy next to wedadiag: the default
// configuration (embedded, the base every user file is merged onto), example
// configuration, example logs, Grafana dashboard, Prometheus rules, sidecar
// manifest and systemd unit. Only the default configuration and the example
// logs are embedded; the rest is data for other tools.
package configs
