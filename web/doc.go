// Package web owns the HTTP side of the daemon: /metrics from a registry it is
// given, /healthz, /readyz, the status page, the JSON API and POST /-/reload,
// served through exporter-toolkit so TLS and basic auth come from a web
// config file.
//
// It imports catalog and diagnose.
package web
