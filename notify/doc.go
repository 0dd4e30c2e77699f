// Package notify owns alerting: the policy that decides when a diagnosis
// fires, repeats and resolves, and delivery to receivers (Alertmanager API v2,
// WeCom robots, generic webhooks) through one bounded queue and worker per
// receiver, with retries and backoff.
//
// It takes occurrences from package diagnose and never blocks it. It imports
// catalog and diagnose.
package notify
