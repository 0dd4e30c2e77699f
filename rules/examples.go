package rules

import (
	"strings"

	"github.com/wedadiag/wedadiag/record"
)

// ExampleResult is the outcome of one rule example.
type ExampleResult struct {
	Rule string
	File string
	Line int // of the example in its file
	Example
	// Got lists what the rule's matches resolved to: catalog ids, or
	// `unresolved code "X"` for a lookup the resolver could not place.
	Got  []string
	Pass bool
	// Err is set when the rule failed at run time on the input.
	Err error
}

// Test runs every rule's examples through the whole set (prefilter
// included) and reports each: an example passes when one of the rule's
// matches resolves to Want, or, for Want "", when the rule does not match.
// resolve maps a Match to a catalog id, "" when it resolves to nothing.
func Test(s *Set, resolve func(Match) string) []ExampleResult {
	m := s.NewMatcher() // builds s when that was deferred
	var out []ExampleResult
	for _, r := range s.rules {
		for _, ex := range r.examples {
			rec := record.Record{
				Source: "example", Path: r.file,
				Text:  []byte(ex.Input),
				Lines: strings.Count(ex.Input, "\n") + 1,
				End:   int64(len(ex.Input)),
			}
			res := m.Match(&rec)
			er := ExampleResult{Rule: r.id, File: r.file, Line: ex.Line, Example: ex}
			for _, e := range res.Errors {
				if e.Rule == r.id {
					er.Err = e.Err
				}
			}
			matched := false
			for _, mt := range res.Matches {
				if mt.Rule != r.id {
					continue
				}
				id := resolve(mt)
				// A lookup that resolves to no entry is no finding: a
				// generic code whose message no table lists diagnoses
				// nothing, which is what want: "" asks.
				matched = matched || id != ""
				if id == "" {
					id = describeLookup(mt)
				}
				er.Got = append(er.Got, id)
				if id == ex.Want && ex.Want != "" {
					er.Pass = true
				}
			}
			if ex.Want == "" {
				er.Pass = !matched && er.Err == nil
			}
			out = append(out, er)
		}
	}
	return out
}

func describeLookup(m Match) string {
	switch {
	case m.Code != "":
		return "unresolved code " + quote(m.Code)
	case m.Question != "":
		return "unresolved question " + quote(m.Question)
	case m.Message != "":
		return "unresolved message " + quote(m.Message)
	}
	return "unresolved"
}

func quote(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return `"` + s + `"`
}
