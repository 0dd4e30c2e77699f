// Package parse owns reading a log record's format: it turns the bytes of a
// record.Record into an Event (time, level, code, message, request id,
// status, fields) and says why the bytes were not clean (Bad: invalid_utf8,
// nul_bytes, broken_json, line_too_long). Nothing here fails: a record is
// read as far as it can be.
//
// It takes a record and the format its source declared (InputFormats; ""
// recognises each record's) in two steps, so that package rules can run its
// prefilter in between and parse only the few records that need it:
// Parser.Text makes the bytes UTF-8 (encoding.go: NUL bytes dropped, GBK
// decoded when that is clean, invalid bytes replaced; Unescaped decodes
// JSON \u escapes for the prefilter), and Parser.Parse reads the text into
// an Event, which it hands on to rules, whose expressions run on its fields.
//
// A record passes through the steps of parser.go in order: cloud-function
// lines, a leading time, access lines, console and level prefixes, text
// about errors (mention.go: metric samples, docs tables, changelogs,
// commits; read no further), SDK exceptions, logfmt and JSON or JavaScript
// objects, wx.cloud text, codes in text and next to a code word of a
// sentence (prose.go: 错误码：N, (code N)). Fields go to a reused hash
// table (table.go), become the Event's through the ordered key tables of
// fields.go (keyKinds), and a structured record's shape names its Format
// (shapes). One file per format: a file and an entry in steps, keyKinds or
// shapes. Limits keep a record of megabytes linear: 512 fields, nesting 32
// deep, 8 objects per record. Parse allocates nothing: an Event's strings
// share the record's bytes and the Parser's arena (unescaped strings,
// nested keys) until the next record; whoever keeps one copies it.
//
// It imports record, internal/automaton for its Finder and
// internal/textutil.
package parse
