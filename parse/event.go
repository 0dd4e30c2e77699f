package parse

import "time"

// Event is one parsed record. It is also the environment every rule
// expression is compiled against (package rules): each exported field is a
// variable there, so a new field is a new name in every rule file.
type Event struct {
	// Source and Path come from the record.
	Source, Path string
	// Raw is the record's text as UTF-8: GBK-decoded when the record is not
	// UTF-8 but decodes cleanly as GBK, invalid bytes replaced by U+FFFD
	// otherwise; NUL bytes removed.
	Raw string
	// Format is what the record was recognised as: json, tcapi, cloudbase,
	// jssdk, wxcloud, scf, tcsdk, logfmt, access, console, plain, or metrics
	// and docs for text about errors (a metric sample, a docs table row, a
	// changelog item, a commit subject), which carries no code.
	Format string
	// Time is the record's own time, zero when it carries none.
	Time time.Time
	// Level is debug, info, warn, error, fatal, or "" when the record names
	// none. An access line takes it from its status: 5xx error, 4xx warn,
	// else info.
	Level string
	// Message is the record's message: a message field of a structured
	// record, else the text after its time, request id and level.
	Message string
	// RequestID is the request id the record carries.
	RequestID string
	// Code is the code found in a code position (Response.Error.Code,
	// errorCode, errCode, code, error_code, the CODE of "[CODE] message",
	// code=X, code: 'X'), numbers without thousands separators ("100,009"
	// is "100009", "-501000" keeps its sign).
	Code string
	// ErrMessage is the message that goes with Code: Response.Error.Message,
	// errorMessage, errMsg, the message or msg beside the code, the text
	// after "[CODE]".
	ErrMessage string
	// Status is the HTTP status of an access line or the statusCode,
	// status or StatusCode field of a structured record, 0 when none.
	Status int
	// Fields holds every field found, nested objects flattened with dots
	// ("Response.Error.Code") and array elements by index ("data.0.id").
	// It is nil when the Parser skips it (Parser.SkipFieldMap); Field and
	// LookupField read the fields either way.
	Fields map[string]string
	// Codes holds the codes of the rule's `codes:` vocabulary that the
	// record carries as whole tokens, in order of appearance, Code first
	// when it is one of them. A numeric code counts only when it is Code.
	// Package rules fills it: while a rule runs it holds that rule's codes;
	// in rules.Result.Event, the codes of every rule's vocabulary. Parse
	// leaves it nil.
	Codes []string

	tab *table // the fields as Parse read them, which Field reads
}

// Formats an Event may have.
const (
	FormatJSON      = "json"
	FormatTCAPI     = "tcapi"
	FormatCloudBase = "cloudbase"
	FormatJSSDK     = "jssdk"
	FormatWXCloud   = "wxcloud"
	FormatSCF       = "scf"
	FormatTCSDK     = "tcsdk"
	FormatLogfmt    = "logfmt"
	FormatAccess    = "access"
	FormatConsole   = "console"
	FormatPlain     = "plain"
	// FormatMetrics and FormatDocs are records that talk about errors
	// without being one (mention.go): a metric sample, a docs table row,
	// a changelog item, a commit subject. They carry no code.
	FormatMetrics = "metrics"
	FormatDocs    = "docs"
)

// Field returns the named field, or "" when the record has none. It reads
// the fields whether or not Parse filled Fields (Parser.SkipFieldMap).
func (e *Event) Field(name string) string {
	v, _ := e.LookupField(name)
	return v
}

// LookupField returns the named field and whether the record has it.
func (e *Event) LookupField(name string) (string, bool) {
	if e.Fields == nil && e.tab != nil {
		return e.tab.lookup(name)
	}
	v, ok := e.Fields[name]
	return v, ok
}

// Reasons a record counts as bad. It is still parsed (and matched) as far
// as it can be read.
const (
	BadInvalidUTF8 = "invalid_utf8"  // not UTF-8 and not clean GBK: bytes replaced
	BadNUL         = "nul_bytes"     // NUL bytes removed
	BadJSON        = "broken_json"   // a record that opens a JSON object does not parse to its end
	BadTooLong     = "line_too_long" // the record was cut at a length limit (record.Record.Cut)
)

// BadReasons returns every reason Parser.Bad (and rules.Result.Bad) may
// hold, for metrics to create their series up front.
func BadReasons() []string {
	return []string{BadInvalidUTF8, BadNUL, BadJSON, BadTooLong}
}

// Input formats a source may declare (configuration key sources[].format);
// "" and "auto" recognise the format of each record.
const (
	InputAuto   = "auto"
	InputJSON   = "json"
	InputSCF    = "scf"
	InputPlain  = "plain"
	InputAccess = "access"
)

// InputFormats returns the formats Text and Parse take (and
// rules.Matcher.MatchFormat).
func InputFormats() []string {
	return []string{InputAuto, InputJSON, InputSCF, InputPlain, InputAccess}
}
