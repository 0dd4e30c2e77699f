package rules

import "github.com/wedadiag/wedadiag/parse"

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
	Event *parse.Event
}

// RuleError is a rule whose expression failed at run time on a record
// (an index out of range, say): it counts as not matching.
type RuleError struct {
	Rule string
	Err  error
}

// Result is what a Matcher found in one record. It and everything it points
// to are valid until the Matcher's next call; its strings (the Event's, a
// Match's Code and Message) share the record's bytes (parse.Parser.Parse),
// so whoever keeps one longer keeps a copy.
type Result struct {
	// Matches are the matches of every rule, in rule order.
	Matches []Match
	// Event is the parsed record, nil when no rule was a candidate and the
	// record carried nothing error-like, so it was not parsed.
	Event *parse.Event
	// ErrorLike reports that the record looks like an error: level error or
	// fatal, an "Error:" or exception, a non-zero error code, an HTTP status
	// of 500 or more, a Tencent Cloud "Error" object, or a Chinese failure
	// word, and no explicit debug, info or warn level.
	ErrorLike bool
	// Suspect is ErrorLike with no match: an error no rule knows.
	Suspect bool
	// Bad lists the reasons, from parse.BadReasons, that the record was not
	// clean.
	Bad []string
	// Errors lists the rules that failed at run time on this record.
	Errors []RuleError
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
