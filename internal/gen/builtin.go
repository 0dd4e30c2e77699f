package gen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/rules"
)

// BuiltinRulesPath is where the rules generated from the catalog live,
// relative to the repository root; package rules embeds them.
const BuiltinRulesPath = "rules/builtin/catalog.yaml"

// builtinRule is one rule as the rule file writes it.
type builtinRule struct {
	ID          string            `yaml:"id"`
	Description string            `yaml:"description"`
	Prefilter   []string          `yaml:"prefilter,omitempty,flow"`
	Codes       []string          `yaml:"codes,omitempty"`
	When        string            `yaml:"when"`
	Yield       map[string]string `yaml:"yield"`
	Examples    []builtinExample  `yaml:"examples"`
}

type builtinExample struct {
	Input string `yaml:"input"`
	Want  string `yaml:"want"`
}

// BuiltinRules writes the rules that make the catalog searchable in logs:
//
//   - weda-error-code: any code of the error tables, as a whole token, in a
//     code position or mentioned in a record above info level, looked up
//     with its message;
//   - weda-error-message: a row's message printed without its code, for the
//     rows whose message is long enough to tell them apart;
//   - one rule per loggable FAQ entry, from its signals;
//   - one rule per platform-tier entry that shows in logs by text or
//     status rather than by its code (platform.go). The code rule carries
//     the platform tier's codes after the FAQ tables' ones, and each
//     platform example sits under the rule that diagnoses it.
//
// Every example is checked before the file is returned: an example that
// the engine does not resolve as written is an error, so the data and the
// engine cannot drift apart silently.
func BuiltinRules(cat *catalog.Catalog) ([]byte, error) {
	var rs []builtinRule
	rs = append(rs, codeRule(cat), messageRule(cat))
	for _, e := range cat.Entries() {
		if e.Kind == catalog.KindSymptom && e.Loggable {
			rs = append(rs, symptomRule(e))
		}
	}
	for _, e := range cat.Platform() {
		if len(e.Match) > 0 {
			rs = append(rs, platformRule(e))
		}
	}
	if err := placePlatformExamples(cat, rs); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString("# Generated from the catalog by `go run ./cmd/wedadiag generate rules`; do not edit.\n")
	buf.WriteString("# Hand-written rules live beside it (handwritten.yaml); user rule files may override any id.\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(map[string]any{"rules": rs}); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	if err := checkExamples(cat, buf.Bytes()); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// checkExamples compiles the generated file with the hand-written built-in
// rules and runs every example of it.
func checkExamples(cat *catalog.Catalog, data []byte) error {
	files := []rules.File{}
	for _, f := range rules.Builtin() {
		if f.Name != "builtin/catalog.yaml" {
			files = append(files, f)
		}
	}
	files = append(files, rules.File{Name: BuiltinRulesPath, Data: data})
	set, err := rules.Compile(files...)
	if err != nil {
		return fmt.Errorf("generated rules do not compile:\n%w", err)
	}
	res := diagnose.NewResolver(cat)
	var bad []string
	for _, r := range rules.Test(set, res.ResolveID) {
		if r.File == BuiltinRulesPath && !r.Pass {
			bad = append(bad, fmt.Sprintf("%s:%d: rule %q: want %q, got %v (input %q)", r.File, r.Line, r.Rule, r.Example.Want, r.Got, r.Example.Input))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%d generated examples fail:\n%s", len(bad), strings.Join(bad, "\n"))
	}
	return nil
}

// fill replaces a message's placeholders with plausible values, as a log
// would print them.
var fill = strings.NewReplacer(
	"{0}", "getOrders", "{1}", "https://api.example.com/v1/orders", "%s", "lowcode-7gx2k9", "xxxxxxx", "role-1024")

// codeLine renders a code and message the way the n-th of several real
// log formats prints them.
func codeLine(n int, code, msg string) string {
	req := fmt.Sprintf("%08x-5b7e-4c1a-9a53-3e0f6b2d%04x", 0x8d2c41f0+n, n)
	js := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	numeric := isNumeric(code)
	switch n % 6 {
	case 0:
		return fmt.Sprintf(`{"Response":{"Error":{"Code":%s,"Message":%s},"RequestId":"%s"}}`, js(code), js(msg), req)
	case 1:
		if numeric {
			return fmt.Sprintf(`2024-06-21T08:00:%02d.000+08:00 ERROR [weda] {"code":%s,"message":%s,"requestId":"%s"}`, n%60, code, js(msg), req)
		}
		return fmt.Sprintf(`[TencentCloudSDKException] code:%s message:%s requestId:%s`, code, msg, req)
	case 2:
		return fmt.Sprintf(`2024-06-21T08:00:%02d.000+08:00 ERROR [datasource] {"code":"OPERATION_FAIL","msg":%s,"requestId":"%s"}`, n%60, js("["+code+"] "+msg), req)
	case 3:
		return fmt.Sprintf(`level=error ts=2024-06-21T08:00:%02d.000+08:00 code=%s msg=%s requestId=%s`, n%60, code, strconv.Quote(msg), req[:8])
	case 4:
		if numeric {
			return fmt.Sprintf(`{"level":"error","msg":"request failed","error":{"code":%s,"message":%s}}`, code, js(msg))
		}
		return fmt.Sprintf(`ERROR callApis failed: { code: '%s', message: '%s', requestId: '%s' }`, code, strings.ReplaceAll(msg, "'", `\'`), req)
	default:
		if numeric {
			return fmt.Sprintf(`2024-06-21 08:00:%02d.000 ERROR request failed code=%s msg=%s`, n%60, thousands(code), strconv.Quote(msg))
		}
		return fmt.Sprintf(`2024-06-21 08:00:%02d.000 ERROR flow-engine %s: %s`, n%60, code, msg)
	}
}

func isNumeric(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// thousands writes a number with thousands separators, as the FAQ does.
func thousands(s string) string {
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	pre := len(s) % 3
	if pre > 0 {
		b.WriteString(s[:pre])
	}
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

func codeRule(cat *catalog.Catalog) builtinRule {
	r := builtinRule{
		ID: "weda-error-code",
		Description: "a code of the WeDa error tables or of the platform tier (CloudBase, wx.cloud, cloud function, API 3.0), " +
			"in a code position or named by a record above info level, looked up with its message " +
			"(a code shared by every Tencent Cloud API resolves only with its message; the FAQ tables answer before the platform tier)",
		Codes: append([]string(nil), cat.Codes()...),
		When:  `len(Codes) > 0 && Level != "debug" && (Code in Codes || Level != "info")`,
		Yield: map[string]string{"code": "bestCode()", "message": `ErrMessage != "" ? ErrMessage : Message`},
	}
	n := 0
	for _, e := range cat.Entries() {
		if e.Kind != catalog.KindErrorCode || e.Source != catalog.SourceFAQ {
			continue
		}
		// One example per message of the row (a cell may list several).
		for _, alt := range e.Alternatives() {
			msg := fill.Replace(alt)
			// The row this code and message resolve to: rows that share
			// both (任务不存在 under several interfaces) cannot be told apart
			// by a line without context, and the first of them stands for
			// all (the others are its alternatives).
			if got, full := cat.Resolve(e.Code, msg); got != e || !full {
				continue
			}
			r.Examples = append(r.Examples, builtinExample{Input: codeLine(n, e.Code, msg), Want: e.ID})
			n++
		}
	}
	r.Examples = append(r.Examples,
		builtinExample{Input: `2024-06-21T08:00:01.100+08:00 INFO [datasource] user_id=100009 loaded 20 orders, errors=0`},
		builtinExample{Input: `{"level":"info","msg":"validated","field":"InvalidParameterValueHint","count":100038}`},
		builtinExample{Input: `2024-06-21T08:00:04.400+08:00 DEBUG [apis] FailedOperationCounter=0 UserErrorRate=0.00`},
		// A known code is never lost: a message no row lists falls back on
		// the code's generic row (generic-codes.yaml).
		builtinExample{Input: `{"Response":{"Error":{"Code":"FailedOperation","Message":"an error no WeDa table lists"},"RequestId":"6c7d8e9f-0011-4223-9b4c-5d6e7f809102"}}`, Want: "tcapi/failed-operation"},
		builtinExample{Input: `2024-06-21T08:00:02.200+08:00 INFO [auth] retry policy for FailedOperation.FlexdbRequestTimeOut set to 3`},
	)
	return r
}

// minMessageRunes is how long the literal a message rule looks for must
// be: shorter ones ("操作失败") are shared by many rows and common words.
const minMessageRunes = 8

func messageRule(cat *catalog.Catalog) builtinRule {
	r := builtinRule{
		ID: "weda-error-message",
		Description: "the message of an error-table row printed without its code, for rows whose message is long " +
			"enough to identify them; looked up by message",
		Yield: map[string]string{"message": "Raw"},
	}
	lits := map[string]bool{}
	n := 0
	for _, e := range cat.Entries() {
		if e.Kind != catalog.KindErrorCode || e.Source != catalog.SourceFAQ {
			continue
		}
		alts := e.Alternatives()
		for i, parts := range e.AlternativeLiterals() {
			lit := longestLiteral(parts)
			if len([]rune(lit)) < minMessageRunes || hanRunes(lit) < minMessageRunes/2 && !strings.Contains(lit, "${") {
				continue
			}
			msg := fill.Replace(alts[i])
			if got := cat.ResolveMessage(msg); got != e {
				continue
			}
			lits[lit] = true
			r.Examples = append(r.Examples, builtinExample{
				Input: fmt.Sprintf("2024-06-21 10:00:%02d.%03d ERROR flow-engine request %d failed: %s", n%60, n, 4000+n, msg),
				Want:  e.ID,
			})
			n++
		}
	}
	var list []string
	for l := range lits {
		list = append(list, l)
	}
	sort.Strings(list)
	var has []string
	for _, l := range list {
		has = append(has, "has("+strconv.Quote(l)+")")
	}
	r.When = `Level != "debug" && Level != "info" && (` + strings.Join(has, " || ") + `)`
	r.Examples = append(r.Examples,
		builtinExample{Input: "2024-06-21 10:00:00.000 INFO flow-engine 存在循环调用，启用流程失败，请检查自定义 API 方法、数据模型事件 (documented case, not an error)"},
		builtinExample{Input: "2024-06-21 10:00:00.000 ERROR flow-engine 操作失败"},
	)
	return r
}

// longestLiteral returns the longest run (in bytes, so Chinese text wins
// over an English word) of a message's literal text, split at spaces too,
// cut to maxLiteralRunes: what a log line must contain verbatim.
func longestLiteral(parts []string) string {
	best := ""
	for _, part := range parts {
		for _, w := range strings.FieldsFunc(part, unicode.IsSpace) {
			if len(w) > len(best) {
				best = w
			}
		}
	}
	if r := []rune(best); len(r) > maxLiteralRunes {
		best = string(r[:maxLiteralRunes])
	}
	return best
}

// maxLiteralRunes keeps literals short: a prefix of a long message tells it
// apart as well as the whole.
const maxLiteralRunes = 24

// hanRunes counts Chinese characters.
func hanRunes(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}

func symptomRule(e *catalog.Entry) builtinRule {
	r := builtinRule{
		ID:          e.ID,
		Description: e.TitleEn,
		Yield:       map[string]string{"id": e.ID},
	}
	var terms []string
	for _, s := range e.Signals {
		switch s.Kind() {
		case "code":
			r.Codes = append(r.Codes, s.Code)
			terms = append(terms, strconv.Quote(s.Code)+" in Codes")
		case "errcode":
			c := strconv.Itoa(s.ErrCode)
			r.Codes = append(r.Codes, c)
			terms = append(terms, strconv.Quote(c)+" in Codes")
		case "text":
			terms = append(terms, "has("+strconv.Quote(s.Text)+")")
		case "all":
			// One literal, the longest, wakes the rule through the
			// prefilter; the others are looked up in the parsed record
			// only then, so they do not grow the prefilter's automaton.
			anchor := 0
			for i, l := range s.All {
				if len(l) > len(s.All[anchor]) {
					anchor = i
				}
			}
			all := []string{"has(" + strconv.Quote(s.All[anchor]) + ")"}
			for i, l := range s.All {
				if i != anchor {
					all = append(all, inRecord(l))
				}
			}
			terms = append(terms, "("+strings.Join(all, " && ")+")")
		case "status":
			var with []string
			for _, w := range s.With {
				with = append(with, "has("+strconv.Quote(w)+")")
			}
			terms = append(terms, fmt.Sprintf("Status == %d && (%s)", s.Status, strings.Join(with, " || ")))
		}
		if len(s.Unless) > 0 && len(terms) > 0 {
			t := terms[len(terms)-1]
			for _, u := range s.Unless {
				t += " && !" + inRecord(u)
			}
			terms[len(terms)-1] = "(" + t + ")"
		}
		r.Examples = append(r.Examples, builtinExample{Input: s.Example, Want: e.ID})
	}
	r.When = `Level != "debug" && (` + strings.Join(terms, " || ") + `)`
	r.Examples = append(r.Examples, builtinExample{
		Input: `2024-06-21T08:00:00.000+08:00 INFO [weda-runtime] page /pages/home/index rendered in 412ms, errors=0`,
	})
	return r
}

// inRecord is an expression true when the literal occurs in the parsed
// record: its text, or its message (a JSON string's escapes decoded).
// Unlike has() it is not a prefilter literal.
func inRecord(lit string) string {
	q := strconv.Quote(lit)
	return "(indexOf(Raw, " + q + ") >= 0 || indexOf(Message, " + q + ") >= 0)"
}
