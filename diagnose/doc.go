// Package diagnose owns turning rule matches into diagnoses: it resolves each
// rules.Match against the catalog, counts occurrences per catalog entry and
// source, keeps a sliding window of recent occurrences with first and last
// seen and a few samples, and produces the report that `wedadiag scan` prints
// and the daemon serves.
//
// It hands occurrences on to an alerting sink (package notify) through an
// interface and works without one. It imports catalog and rules.
package diagnose
