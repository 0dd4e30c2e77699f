// Package notify owns alerting: an operator learns what broke and how to
// fix it from a message that already carries the WeDa FAQ's remedy. It
// holds the policy that decides when a catalog entry seen in a source
// fires, repeats and resolves, and the delivery of alerts to receivers —
// Alertmanager's API v2, WeCom (企业微信), DingTalk (钉钉) and Feishu (飞书)
// group robots, and generic webhooks with Alertmanager's webhook payload —
// each through its own bounded queue and worker, with retries and backoff.
//
// It takes diagnose.Occurrence values through Observe (diagnose.Sink) and
// never blocks the reading side. It imports catalog, diagnose and redact,
// and internal/fsutil, internal/textutil and internal/yamlpos.
//
// Its API in full, the alert policy and delivery
// (retries, size limits, state) are described in docs/notify.md.
package notify
