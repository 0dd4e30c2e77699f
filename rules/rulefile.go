package rules

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/wedadiag/wedadiag/internal/textutil"
	"github.com/wedadiag/wedadiag/internal/yamlpos"
)

// File is one rule file: its name, as faults should cite it, and its bytes.
type File struct {
	Name string
	Data []byte
}

// Fault is one thing wrong in a rule file, at a 1-based line and column.
type Fault struct {
	File      string
	Line, Col int
	Rule      string // the rule's id, or "#N" (its 1-based index) when it has none; "" outside a rule
	Msg       string
}

func (f Fault) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: ", f.File, f.Line, f.Col)
	if f.Rule != "" {
		if strings.HasPrefix(f.Rule, "#") {
			fmt.Fprintf(&b, "rule %s: ", f.Rule)
		} else {
			fmt.Fprintf(&b, "rule %q: ", f.Rule)
		}
	}
	b.WriteString(f.Msg)
	return b.String()
}

// Faults is the error Compile returns: every fault of every file, one per
// line, in file order.
type Faults []Fault

func (fs Faults) Error() string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = f.String()
	}
	return strings.Join(s, "\n")
}

// ruleSpec is one rule as its file writes it, before compiling.
type ruleSpec struct {
	file      string
	src       []string // the file's lines, for positions inside block scalars
	index     int      // 1-based position in its file
	line      int
	col       int
	id        string
	desc      string
	prefilter []lit
	codes     []lit
	when      *exprSrc
	yieldID   string
	yieldPos  [2]int      // line, column of the yield id's value
	yield     [3]*exprSrc // code, message, question
	labels    map[string]string
	examples  []Example
}

// lit is a literal with its position.
type lit struct {
	text      string
	line, col int
}

// exprSrc is an expression with the YAML node it came from.
type exprSrc struct {
	text string
	node *yaml.Node
}

// Example is one `examples:` entry: an input record and the catalog id the
// rule should yield for it, "" for nothing.
type Example struct {
	Input string
	Want  string
	Line  int
}

const (
	lowerDigits = "abcdefghijklmnopqrstuvwxyz0123456789"
	alnum       = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + lowerDigits
)

var (
	// ^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$
	ruleIDRe  = spelling{first: alnum, rest: alnum + "._/-", max: 128}
	entryIDRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z][a-z0-9-]*/[a-z0-9][a-z0-9-]*$`) })
	// ^[a-z0-9][a-z0-9_-]{0,63}$
	labelRe = spelling{first: lowerDigits, rest: lowerDigits + "_-", max: 64}
	codeRe  = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(?:[A-Za-z][A-Za-z0-9_.]*[A-Za-z0-9_]|[A-Za-z]|-?[0-9]{1,3}(?:,[0-9]{3})+|-?[0-9]+)$`)
	})
)

// spelling checks a name: a first byte of one set, the others of another,
// at most max bytes. It does what a regexp of that shape would without one
// to compile at start-up (a {0,127} repeat compiles into 128 copies).
type spelling struct {
	first, rest string
	max         int
}

// MatchString reports whether s is spelled so.
func (sp spelling) MatchString(s string) bool {
	if s == "" || len(s) > sp.max || strings.IndexByte(sp.first, s[0]) < 0 {
		return false
	}
	for i := 1; i < len(s); i++ {
		if strings.IndexByte(sp.rest, s[i]) < 0 {
			return false
		}
	}
	return true
}

const maxLiteral = 256

var ruleKeys = []string{"id", "description", "prefilter", "codes", "when", "yield", "labels", "examples"}

// decodeFile reads a rule file into specs, appending faults: a built-in
// file's from its compiled form (precompiled.go), any other's from its
// YAML. The specs are shared and must not be changed.
func decodeFile(f File, faults *Faults) []*ruleSpec {
	if c := precompiled(f); c != nil {
		return c.specs
	}
	return decodeYAML(f, faults)
}

// decodeYAML reads a rule file's YAML into specs, appending faults.
func decodeYAML(f File, faults *Faults) []*ruleSpec {
	add := func(line, col int, rule, format string, a ...any) {
		if line < 1 {
			line = 1
		}
		if col < 1 {
			col = 1
		}
		*faults = append(*faults, Fault{File: f.Name, Line: line, Col: col, Rule: rule, Msg: fmt.Sprintf(format, a...)})
	}
	top, err := yamlpos.Parse(f.Name, f.Data)
	if err != nil {
		var syn yamlpos.Faults
		if errors.As(err, &syn) {
			for _, s := range syn {
				add(s.Line, s.Col, "", "%s", s.Msg)
			}
		}
		return nil
	}
	if top == nil {
		return nil // an empty file holds no rules
	}
	if top.Kind != yaml.MappingNode {
		add(top.Line, top.Column, "", "a rule file is a mapping with a `rules:` list, found %s", yamlpos.NodeKind(top))
		return nil
	}
	var list *yaml.Node
	entries := false
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		if k.Value == "entries" {
			// Custom catalog entries: package catalog reads them
			// (catalog.ParseCustom).
			entries = true
			continue
		}
		if k.Value != "rules" {
			add(k.Line, k.Column, "", "unknown field %q (a rule file has `rules:` and `entries:`)", k.Value)
			continue
		}
		list = v
	}
	if list == nil {
		if len(top.Content) == 0 || entries {
			return nil
		}
		add(top.Line, top.Column, "", "missing `rules:` list")
		return nil
	}
	if list.Kind == yaml.ScalarNode && list.Tag == "!!null" {
		return nil
	}
	if list.Kind != yaml.SequenceNode {
		add(list.Line, list.Column, "", "`rules:` must be a list of rules, found %s", yamlpos.NodeKind(list))
		return nil
	}
	src := strings.Split(string(f.Data), "\n")
	var specs []*ruleSpec
	seen := map[string]int{}
	for i, n := range list.Content {
		r := &ruleSpec{file: f.Name, src: src, index: i + 1, line: n.Line, col: n.Column}
		name := "#" + strconv.Itoa(i+1)
		if n.Kind != yaml.MappingNode {
			add(n.Line, n.Column, name, "a rule must be a mapping, found %s", yamlpos.NodeKind(n))
			continue
		}
		// The id first, so every fault can name the rule.
		for j := 0; j+1 < len(n.Content); j += 2 {
			if k, v := n.Content[j], n.Content[j+1]; k.Value == "id" && v.Kind == yaml.ScalarNode {
				r.id = v.Value
				if ruleIDRe.MatchString(v.Value) {
					name = v.Value
				}
			}
		}
		fault := func(node *yaml.Node, format string, a ...any) {
			add(node.Line, node.Column, name, format, a...)
		}
		keys := map[string]bool{}
		for j := 0; j+1 < len(n.Content); j += 2 {
			k, v := n.Content[j], n.Content[j+1]
			if keys[k.Value] {
				fault(k, "field %q given twice", k.Value)
				continue
			}
			keys[k.Value] = true
			switch k.Value {
			case "id":
				if v.Kind != yaml.ScalarNode || !ruleIDRe.MatchString(v.Value) {
					fault(v, "id must be letters, digits and . _ / - (up to 128), starting with a letter or digit")
				}
			case "description":
				if s, ok := scalar(v); ok {
					r.desc = s
				} else {
					fault(v, "description must be a string, found %s", yamlpos.NodeKind(v))
				}
			case "prefilter":
				r.prefilter = literals(v, "prefilter", fault, func(s string) string {
					if strings.TrimSpace(s) == "" {
						return "a prefilter literal must not be empty or blank"
					}
					return ""
				})
			case "codes":
				r.codes = literals(v, "codes", fault, func(s string) string {
					if !codeRe().MatchString(s) {
						return fmt.Sprintf("%q is not a code: letters, digits, _ and dots (FailedOperation.FlexdbResourceOverdue), or a number (100009, 100,009, -501000)", s)
					}
					return ""
				})
			case "when":
				if s, ok := scalar(v); ok && strings.TrimSpace(s) != "" {
					r.when = &exprSrc{text: s, node: v}
				} else {
					fault(v, "when must be an expression (a string), found %s", yamlpos.NodeKind(v))
				}
			case "yield":
				decodeYield(r, v, fault)
			case "labels":
				r.labels = decodeLabels(v, fault)
			case "examples":
				r.examples = decodeExamples(v, fault)
			default:
				msg := fmt.Sprintf("unknown field %q", k.Value)
				if s := closest(k.Value, ruleKeys); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				}
				fault(k, "%s", msg)
			}
		}
		if !keys["id"] {
			add(n.Line, n.Column, name, "missing id")
		} else if prev, dup := seen[r.id]; dup && r.id != "" {
			add(n.Line, n.Column, name, "id given to rule #%d too: ids are unique within a file", prev)
		} else {
			seen[r.id] = r.index
		}
		if !keys["yield"] {
			add(n.Line, n.Column, name, "missing yield: what the rule finds ({id: <catalog id>} or {code: <expr>, message: <expr>})")
		}
		if r.when == nil && !keys["when"] && len(r.codes) == 0 {
			add(n.Line, n.Column, name, "missing when: an expression, or codes: to match any of them")
		}
		specs = append(specs, r)
	}
	return specs
}

// scalar returns a scalar's value; null is not a scalar here.
func scalar(n *yaml.Node) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", false
	}
	return n.Value, true
}

func literals(n *yaml.Node, field string, fault func(*yaml.Node, string, ...any), check func(string) string) []lit {
	if n.Kind != yaml.SequenceNode {
		fault(n, "%s must be a list of strings, found %s", field, yamlpos.NodeKind(n))
		return nil
	}
	var out []lit
	for _, e := range n.Content {
		s, ok := scalar(e)
		if !ok {
			fault(e, "%s entries must be strings, found %s", field, yamlpos.NodeKind(e))
			continue
		}
		if len(s) > maxLiteral {
			fault(e, "%s entry longer than %d bytes", field, maxLiteral)
			continue
		}
		if msg := check(s); msg != "" {
			fault(e, "%s", msg)
			continue
		}
		out = append(out, lit{text: s, line: e.Line, col: e.Column})
	}
	return out
}

func decodeYield(r *ruleSpec, n *yaml.Node, fault func(*yaml.Node, string, ...any)) {
	if n.Kind != yaml.MappingNode {
		fault(n, "yield must be a mapping: {id: <catalog id>} or {code: <expr>, message: <expr>, question: <expr>}, found %s", yamlpos.NodeKind(n))
		return
	}
	var idNode *yaml.Node
	for j := 0; j+1 < len(n.Content); j += 2 {
		k, v := n.Content[j], n.Content[j+1]
		slot := -1
		switch k.Value {
		case "id":
			s, ok := scalar(v)
			if !ok || !entryIDRe().MatchString(s) {
				fault(v, "yield id must be a catalog id such as datasource/flexdb-resource-overdue or faq/cdn-traffic-exhausted")
				continue
			}
			r.yieldID, idNode = s, k
			r.yieldPos = [2]int{v.Line, v.Column}
			continue
		case "code":
			slot = 0
		case "message":
			slot = 1
		case "question":
			slot = 2
		default:
			msg := fmt.Sprintf("unknown yield field %q (yield has id, or code, message and question)", k.Value)
			fault(k, "%s", msg)
			continue
		}
		s, ok := scalar(v)
		if !ok || strings.TrimSpace(s) == "" {
			fault(v, "yield %s must be an expression returning a string (a literal is quoted: '\"UserError.DsNotFound\"'), found %s", k.Value, yamlpos.NodeKind(v))
			continue
		}
		r.yield[slot] = &exprSrc{text: s, node: v}
	}
	lookup := r.yield[0] != nil || r.yield[1] != nil || r.yield[2] != nil
	switch {
	case idNode != nil && lookup:
		fault(idNode, "yield has id and a lookup: give either id, or code/message/question")
	case idNode == nil && !lookup && len(n.Content) > 0:
		// The entries' own faults say what is wrong.
	case idNode == nil && !lookup:
		fault(n, "yield is empty: give id, or code/message/question")
	}
}

func decodeLabels(n *yaml.Node, fault func(*yaml.Node, string, ...any)) map[string]string {
	if n.Kind != yaml.MappingNode {
		fault(n, "labels must be a mapping, found %s", yamlpos.NodeKind(n))
		return nil
	}
	out := map[string]string{}
	for j := 0; j+1 < len(n.Content); j += 2 {
		k, v := n.Content[j], n.Content[j+1]
		s, ok := scalar(v)
		if !ok {
			fault(v, "label %s must be a string, found %s", k.Value, yamlpos.NodeKind(v))
			continue
		}
		switch k.Value {
		case LabelSeverity:
			if !slices.Contains(Severities(), s) {
				fault(v, "severity must be one of %s, not %q", strings.Join(Severities(), ", "), s)
				continue
			}
		case LabelComponent, LabelTeam:
			if !labelRe.MatchString(s) {
				fault(v, "label %s must be lower-case letters, digits, _ and - (up to 64), not %q", k.Value, s)
				continue
			}
		default:
			fault(k, "unknown label %q (labels are %s)", k.Value, strings.Join(LabelKeys(), ", "))
			continue
		}
		out[k.Value] = s
	}
	return out
}

func decodeExamples(n *yaml.Node, fault func(*yaml.Node, string, ...any)) []Example {
	if n.Kind != yaml.SequenceNode {
		fault(n, "examples must be a list of {input, want}, found %s", yamlpos.NodeKind(n))
		return nil
	}
	var out []Example
	for _, e := range n.Content {
		if e.Kind != yaml.MappingNode {
			fault(e, "an example must be a mapping {input: <record>, want: <catalog id or \"\">}, found %s", yamlpos.NodeKind(e))
			continue
		}
		ex := Example{Line: e.Line}
		var hasInput, hasWant, ok = false, false, true
		for j := 0; j+1 < len(e.Content); j += 2 {
			k, v := e.Content[j], e.Content[j+1]
			switch k.Value {
			case "input":
				s, isStr := scalar(v)
				if !isStr || s == "" {
					fault(v, "example input must be a non-empty string")
					ok = false
				}
				ex.Input, hasInput = strings.TrimSuffix(s, "\n"), true
			case "want":
				hasWant = true
				if v.Tag == "!!null" {
					continue
				}
				s, isStr := scalar(v)
				if !isStr || (s != "" && !entryIDRe().MatchString(s)) {
					fault(v, "example want must be a catalog id, or \"\" for no match")
					ok = false
				}
				ex.Want = s
			default:
				fault(k, "unknown example field %q (an example has input and want)", k.Value)
				ok = false
			}
		}
		if !hasInput {
			fault(e, "example without input")
			ok = false
		}
		if !hasWant {
			fault(e, "example without want (write want: \"\" for a record the rule must not match)")
			ok = false
		}
		if ok {
			out = append(out, ex)
		}
	}
	return out
}

// closest returns the candidate within edit distance 2 of s, if any.
func closest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if len(s) > 64 || len(c) > 64 {
			continue
		}
		if d := textutil.Levenshtein(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// exprPos maps a rune offset inside an expression to the file line and
// column where that rune is written. Plain and quoted one-line scalars map
// exactly (escapes aside); block scalars map line by line.
func (r *ruleSpec) exprPos(e *exprSrc, offset int) (line, col int) {
	n := e.node
	if n.Style == yaml.LiteralStyle || n.Style == yaml.FoldedStyle ||
		strings.Contains(e.text, "\n") || r.multiLineSource(n) {
		return r.foldedPos(n, offset)
	}
	col = n.Column + offset
	if n.Style == yaml.SingleQuotedStyle || n.Style == yaml.DoubleQuotedStyle {
		col++
	}
	return n.Line, col
}

// multiLineSource reports whether a flow scalar spans several source lines.
func (r *ruleSpec) multiLineSource(n *yaml.Node) bool {
	if n.Line-1 >= len(r.src) {
		return false
	}
	line := []rune(r.src[n.Line-1])
	return n.Column-1+len([]rune(n.Value)) > len(line)
}

// foldedPos walks the source lines of a scalar that spans several lines
// (block scalars, folded flow scalars), matching the value's non-space runes
// to the source's to find where offset lands.
func (r *ruleSpec) foldedPos(n *yaml.Node, offset int) (int, int) {
	val := []rune(n.Value)
	if offset > len(val) {
		offset = len(val)
	}
	// Count the non-space runes before offset.
	want := 0
	for _, rn := range val[:offset] {
		if rn != ' ' && rn != '\n' && rn != '\t' {
			want++
		}
	}
	startLine, startCol := n.Line, n.Column
	if n.Style == yaml.LiteralStyle || n.Style == yaml.FoldedStyle {
		startLine, startCol = n.Line+1, 1
	} else if n.Style == yaml.SingleQuotedStyle || n.Style == yaml.DoubleQuotedStyle {
		startCol++
	}
	seen := 0
	lastL, lastC := n.Line, n.Column
	total := 0
	for _, rn := range val {
		if rn != ' ' && rn != '\n' && rn != '\t' {
			total++
		}
	}
	for l := startLine; l-1 < len(r.src); l++ {
		line := []rune(r.src[l-1])
		c0 := 1
		if l == startLine {
			c0 = startCol
		}
		for c := c0; c-1 < len(line); c++ {
			rn := line[c-1]
			if rn == ' ' || rn == '\t' {
				continue
			}
			if seen == want {
				return l, c
			}
			seen++
			lastL, lastC = l, c
			if seen == total {
				// offset is past the value's last rune (an expression
				// ended too early): point just after it.
				return lastL, lastC + 1
			}
		}
	}
	return lastL, lastC
}
