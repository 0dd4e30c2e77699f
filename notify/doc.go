// Package notify owns alerting: an operator learns what broke and how to
// fix it from a message that already carries the WeDa FAQ's remedy. It
// holds the policy that decides when a catalog entry seen in a source
// fires, repeats and resolves, and the delivery of alerts to receivers —
// Alertmanager's API v2, WeCom (企业微信), DingTalk (钉钉) and Feishu (飞书)
// group robots, and generic webhooks with Alertmanager's webhook payload —
// each through its own bounded queue and worker, with retries and backoff.
//
// It takes diagnose.Occurrence values through Observe (diagnose.Sink) and
// never blocks the reading side. It imports catalog and diagnose, and
// nothing below them in DESIGN's order.
//
// # Contract
//
//	func (c Config) Validate() error   // yamlpos.Faults, by key path: alerts.receivers[1].url: …
//	func NewMetrics(reg prometheus.Registerer) *Metrics
//	func New(cfg Config, cat *catalog.Catalog, log *slog.Logger, m *Metrics, now func() time.Time) (*Notifier, error)
//	func (n *Notifier) Observe(o diagnose.Occurrence)    // O(1), never blocks, no I/O
//	func (n *Notifier) Run(ctx context.Context) error     // until ctx is done, then a bounded flush
//	func (n *Notifier) Test(ctx context.Context, receiver string) error  // `wedadiag alert test`
//
// Config is the daemon's `alerts:` block; its fields carry the YAML keys
// (snake_case) and their defaults. A reload builds a new Notifier from the
// new Config with the same Metrics (which re-creates each receiver's series
// at 0 and deletes those of removed receivers), runs it, and cancels the
// old one; both read and write alerts.json in StateDir, the old one last
// while it stops, so the new one should be built after the old one
// stopped when alert state must carry over exactly.
//
// # Policy
//
// An alert is one catalog entry in one source. It fires when Threshold
// occurrences arrive within Window (critical entries: on the first, unless
// an override says otherwise; error and warning entries: Threshold),
// repeats every RepeatInterval while it fires, resolves after ResolveAfter
// without an occurrence, and its resolution is sent. Alerts that change
// within GroupWait of the first go out together, one message per receiver.
// Overrides match by id, code (or alias), domain or severity. The policy
// itself is the pure functions observe and tick (state, now, rule) →
// (state, decision with a reason). Times are arrival times on the now
// clock; a record's own timestamp is not used, so replaying old logs
// alerts as if they happened now. Alert state — what fires, since when,
// when it was last sent, and which receivers missed messages — is saved
// atomically to StateDir/alerts.json (at once when an alert fires or
// resolves, otherwise at most every 10s, and when Run stops), so a restart
// neither re-sends everything nor forgets what fires.
//
// # Delivery
//
// Each receiver has a queue of QueueSize messages; when it is full the
// oldest message is dropped and counted. Its worker merges what is queued
// into one message (the latest state of each alert wins), posts it with a
// Timeout per attempt, and retries network errors, 5xx and 429 (and a
// robot's rate-limit errcode) with exponential backoff and jitter, up to
// GiveUpAfter; other 4xx and robot errcodes fail at once. A receiver that
// lost messages (dropped or given up) gets every firing alert again as
// soon as it answers. Robots are held to MaxPerMinute (WeCom and DingTalk
// 20, Feishu 100): messages that come faster wait and are merged. A robot
// message too long for its limit (WeCom 4096 bytes of markdown) drops
// samples, then details, then splits over at most five messages, the last
// counting what it left out; the remedy of every alert shown survives.
// Alertmanager gets every firing alert (and those resolved in the last 15
// minutes, with endsAt) again every ResendInterval, as it expects.
//
// Alerts carry labels alertname="WeDaDiagnosis", id, code, domain,
// severity and source (values from the catalog and the configuration only;
// empty ones are left out, and a rule's extra labels are not used) and
// annotations summary, description (with the latest log sample), remedy
// and docs, in the receiver's language (zh: the FAQ verbatim; en). Message
// text comes from Go text/template files embedded in templates/; a
// receiver's `template` file may redefine any of their blocks.
//
// No secret — a robot key or hook id in a URL, a header value, a signing
// secret — reaches a log, an error or a metric: errors are rebuilt from
// redacted text (the URL shows as scheme://host/<redacted>). Log samples
// appear in message bodies, never in labels.
//
// Metrics: wedadiag_alerts_sent_total, wedadiag_alerts_failed_total and
// wedadiag_alerts_dropped_total, by receiver; a message split for a robot
// counts each part.
package notify
