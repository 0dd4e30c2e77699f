// Package web owns the HTTP side of the daemon: /metrics from a registry it is
// given (gzip-compressed at BestSpeed for a scraper that accepts it:
// gzip.go), /healthz, /readyz, the status page (a health strip, the live
// diagnoses with their trends and samples, filters; its script and style
// sheet embedded under /static/, its changing part at /ui/live), the JSON
// API and POST /-/reload, served through exporter-toolkit so TLS and basic
// auth come from a web config file.
//
// It imports catalog and diagnose.
package web
