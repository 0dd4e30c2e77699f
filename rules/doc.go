// Package rules owns turning a record.Record into matches: it parses the
// record into an Event (JSON, Tencent Cloud API responses, CloudBase and
// wx.cloud errors, cloud-function lines, SDK exceptions, logfmt, access logs,
// plain text), runs a one-pass literal prefilter over the raw bytes, and
// evaluates the compiled expr rules whose literals were seen.
//
// It hands on Match values naming what a rule found (a catalog id, or a code
// and message to look up); resolving them against the catalog is the job of
// package diagnose. It imports internal/record only.
package rules
