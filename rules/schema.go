package rules

import (
	"reflect"

	"github.com/wedadiag/wedadiag/parse"
)

// FieldDoc documents one field of a rule file, one variable or one
// function of rule expressions: what docs/rules.md lists.
type FieldDoc struct {
	Name     string
	Type     string
	Required string // "yes", "no", or when it is required
	Doc      string
}

// RuleFields documents every field of a rule, in the order of ruleKeys (a
// test keeps the two the same).
func RuleFields() []FieldDoc {
	return []FieldDoc{
		{"id", "string", "yes", "Unique within a file; letters, digits and `. _ / -`, up to 128. A later file's rule with the same id replaces the earlier one (user files replace built-in rules)."},
		{"description", "string", "no", "What the rule finds, for listings."},
		{"prefilter", "list of strings", "no", "Literals a record must contain before the rule runs. Derived from `when` when absent; give it when `when` has no literal of its own."},
		{"codes", "list of strings", "`when` or `codes`", "The rule's code vocabulary: Tencent Cloud codes (`FailedOperation.FlexdbResourceOverdue`), upper-snake codes or numbers (`100009`, `100,009`, `-501000`), each matched as a whole token. While the rule runs, `Codes` holds the ones the record carries."},
		{"when", "expression → bool", "`when` or `codes`", "An [expr](https://expr-lang.org) expression over the variables below. Default with `codes`: `len(Codes) > 0`. It must need some literal (a `has(\"…\")`, a code, `Raw contains \"…\"`): a condition true without any would run on every record and is refused."},
		{"yield", "mapping", "yes", "What the rule finds: `{id: <catalog id>}` (a literal id: FAQ, platform or `custom/…`), or any of `{code: <expr>, message: <expr>, question: <expr>}`, each an expression returning a string, looked up in the catalog (a literal is quoted: `code: '\"UserError.DsNotFound\"'`)."},
		{"labels", "mapping", "no", "`severity` (critical, error or warning: overrides the entry's), `component`, `team` (lower-case words)."},
		{"examples", "list of `{input, want}`", "no (recommended)", "`input`: a record (several lines allowed); `want`: the catalog id a match of this rule must resolve to, or `\"\"` for a record the rule must not match. `wedadiag rules test` runs them through the whole rule set."},
	}
}

// FileKeys documents the top-level keys of a rule file.
func FileKeys() []FieldDoc {
	return []FieldDoc{
		{"rules", "list of rules", "no", "The rules (below)."},
		{"entries", "list of custom entries", "no", "Catalog entries of your own, ids `custom/…` (below): what a rule's `yield: {id: custom/…}` names, or, with a `code`, what the built-in code rule finds on its own."},
	}
}

// variableDocs describes the Event fields rule expressions see; a test
// checks that every exported field of parse.Event has one.
var variableDocs = map[string]string{
	"Source":     "The source's name (the `source` label).",
	"Path":       "The file the record was read from.",
	"Raw":        "The record's text as UTF-8 (GBK decoded when it is GBK; NUL bytes removed).",
	"Format":     "What the record was recognised as: json, tcapi, cloudbase, jssdk, wxcloud, scf, tcsdk, logfmt, access, console or plain.",
	"Time":       "The record's own time (zero when it has none).",
	"Level":      "debug, info, warn, error, fatal, or \"\" when the record names none (an access line: 5xx error, 4xx warn).",
	"Message":    "The message field of a structured record, else the text after its time, request id and level.",
	"RequestID":  "The request id the record carries.",
	"Code":       "The code in a code position (`Response.Error.Code`, `errorCode`, `errCode`, `code`, `error_code`, `[CODE] message`, `code=X`, `code: 'X'`), numbers without thousands separators.",
	"ErrMessage": "The message that goes with `Code` (`Response.Error.Message`, `errorMessage`, `errMsg`, the msg beside the code, the text after `[CODE]`).",
	"Status":     "The HTTP status of an access line, or a `statusCode`/`status` field; 0 when none.",
	"Fields":     "Every field found, nested objects flattened with dots (`Fields[\"Response.Error.Code\"]`).",
	"Codes":      "The codes of this rule's `codes:` found in the record as whole tokens, `Code` first when it is one of them.",
}

// Variables documents the variables of rule expressions: every exported
// field of parse.Event, in declaration order.
func Variables() []FieldDoc {
	t := reflect.TypeOf(parse.Event{})
	var out []FieldDoc
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		out = append(out, FieldDoc{Name: f.Name, Type: f.Type.String(), Doc: variableDocs[f.Name]})
	}
	return out
}

// Functions documents the functions rule expressions have besides expr's
// builtins.
func Functions() []FieldDoc {
	return []FieldDoc{
		{"has(\"literal\")", "bool", "", "The literal occurs in the record (answered from the prefilter's hits, including the GBK-decoded and the `\\u`-unescaped text). The literal must be written in place, not computed."},
		{"bestCode()", "string", "", "`Code` when it is one of `Codes`, else the most specific of `Codes` (most dots, then longest, then first)."},
	}
}
