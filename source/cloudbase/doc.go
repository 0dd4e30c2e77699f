// Package cloudbase owns the `cloudbase` source: it polls one CloudBase
// environment's logs through the Tencent Cloud API tcb:SearchClsLog
// (2018-06-08), signed by the SDK's common client, and hands each log on as
// a record.Record (Source = name, Path = cloudbase/<env_id>/<topic>, Offset
// = a sequence number, Text = the log's Content as it came, Time = its
// event time). Parsing the content is the parse stage's job.
//
// Every poll reads [mark-overlap, now] in time order (Sort=asc), page by
// page with Context, in windows of at most max_window; a window whose
// cursor reaches the API's 10000-result cap is read on from its last
// event time in halves. Results already handed on (by PkgLogId, topic,
// time and content) are dropped, so the overlap brings late-indexed logs
// but no duplicates. Requests wait for a rate limiter (rate_limit, at most
// the API's 20/s); throttling, 5xx and network errors back off with jitter.
//
// Delivery is at least once, like file positions: the mark saved in
// <state_dir>/cloudbase-<name>.json (temp file, fsync, rename) only passes
// records the pipeline acknowledged, and the keys of acknowledged records
// in the overlap are saved with it, so a restart hands on again only what
// was not acknowledged. Run saves after every poll and when it stops; Save
// once more after the pipeline drained. Logs indexed later than the
// overlap behind what was read, and more than 10000 logs in one second,
// are not read (counted in wedadiag_cloudbase_window_overflows_total).
//
// Credentials come from the config, credentials_file, or the SDK's
// TENCENTCLOUD_SECRET_ID/KEY and profile file; they never reach a log, an
// error, the state file or a metric. Metrics: wedadiag_source_* (package
// source) and wedadiag_cloudbase_*. Imports record, source and
// internal/clstime.
package cloudbase
