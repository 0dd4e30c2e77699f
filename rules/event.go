package rules

import "time"

// Event is one parsed record and the environment every rule expression is
// compiled against (expr.Env(Event{})): each exported field is a variable.
type Event struct {
	// Source and Path come from the record.
	Source, Path string
	// Raw is the record's text as UTF-8: GBK-decoded when the record is not
	// UTF-8 but decodes cleanly as GBK, invalid bytes replaced by U+FFFD
	// otherwise; NUL bytes removed.
	Raw string
	// Format is what the record was recognised as: json, tcapi, cloudbase,
	// jssdk, wxcloud, scf, tcsdk, logfmt, access, console or plain.
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
	Fields map[string]string
	// Codes holds the codes of the rule's `codes:` vocabulary that the
	// record carries as whole tokens, in order of appearance, Code first
	// when it is one of them. A numeric code counts only when it is Code.
	// While a rule runs it holds that rule's codes; in Result.Event, the
	// codes of every rule's vocabulary.
	Codes []string

	m *Matcher // the matcher evaluating the event, for has()
}

// Field returns the named field, or "" when the record has none.
func (e *Event) Field(name string) string { return e.Fields[name] }

// Match is one rule's finding on one record: either a catalog id, or a
// code, message or FAQ question for package diagnose to look up.
type Match struct {
	// Rule is the id of the rule that matched.
	Rule string
	// ID is the catalog id the rule yields, "" when it yields a lookup.
	ID string
	// Code, Message and Question are the lookup the rule yields.
	Code, Message, Question string
	// Labels are the rule's extra labels (keys from LabelKeys). The map is
	// shared by every match of the rule: read it, never write it.
	Labels map[string]string
	// Event is the parsed record.
	Event *Event
}

// RuleError is a rule whose expression failed at run time on a record
// (an index out of range, say): it counts as not matching.
type RuleError struct {
	Rule string
	Err  error
}

// Result is what a Matcher found in one record. It and everything it points
// to are valid until the Matcher's next call.
type Result struct {
	// Matches are the matches of every rule, in rule order.
	Matches []Match
	// Event is the parsed record, nil when no rule was a candidate and the
	// record carried nothing error-like, so it was not parsed.
	Event *Event
	// ErrorLike reports that the record looks like an error: level error or
	// fatal, an "Error:" or exception, a non-zero error code, an HTTP status
	// of 500 or more, a Tencent Cloud "Error" object, or a Chinese failure
	// word, and no explicit debug, info or warn level.
	ErrorLike bool
	// Suspect is ErrorLike with no match: an error no rule knows.
	Suspect bool
	// Bad lists the reasons, from BadReasons, that the record was not clean.
	Bad []string
	// Errors lists the rules that failed at run time on this record.
	Errors []RuleError
}

// Reasons a record counts as bad. It is still parsed and matched as far as
// it can be read.
const (
	BadInvalidUTF8 = "invalid_utf8"  // not UTF-8 and not clean GBK: bytes replaced
	BadNUL         = "nul_bytes"     // NUL bytes removed
	BadJSON        = "broken_json"   // a record that opens a JSON object does not parse to its end
	BadTooLong     = "line_too_long" // the record was cut at a length limit (record.Record.Cut)
)

// BadReasons returns every reason Result.Bad may hold, for metrics to
// create their series up front.
func BadReasons() []string {
	return []string{BadInvalidUTF8, BadNUL, BadJSON, BadTooLong}
}

// Label keys a rule may set.
const (
	LabelSeverity  = "severity"  // critical, error or warning: overrides the catalog's
	LabelComponent = "component" // the part of the app: a lowercase word
	LabelTeam      = "team"      // who looks after it: a lowercase word
)

// LabelKeys returns the label keys a rule may set.
func LabelKeys() []string { return []string{LabelSeverity, LabelComponent, LabelTeam} }

// Severities returns the values the severity label may take.
func Severities() []string { return []string{"critical", "error", "warning"} }
