package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/ast"
	exprparser "github.com/expr-lang/expr/parser"

	"github.com/wedadiag/wedadiag/parse"
)

// analysis is what the first pass learnt about a rule.
type analysis struct {
	when     string
	whenSrc  *exprSrc
	trees    [4]*exprparser.Tree // when, code, message, question
	cnf      cnf
	vocab    map[string]bool
	hasLits  []string
	complete bool // no fault: worth compiling
}

// needle is a literal of the prefilter.
type needle struct {
	text    string
	token   bool // a code of the rule's vocabulary: only a whole-token occurrence counts
	number  bool // a number that must not be part of a longer one (a status)
	numcode bool // a numeric code: only as the number after a code key (code=100009)
}

// cnf is what a rule needs of a record before it can be true: every
// clause, a set of needles one of which must occur.
type cnf [][]needle

// maxClauses bounds the clauses of a rule; a larger product of || is
// weakened to one clause holding every literal.
const maxClauses = 16

// analyse parses a rule's expressions, finds its has() literals and the
// literals its `when` needs, and registers its literals. It returns nil when
// the rule cannot be compiled.
func (c *compiler) analyse(r *ruleSpec, idx int32, faults *Faults) *analysis {
	name := r.id
	if name == "" || !ruleIDRe.MatchString(name) {
		name = fmt.Sprintf("#%d", r.index)
	}
	add := func(line, col int, format string, a ...any) {
		*faults = append(*faults, Fault{File: r.file, Line: line, Col: col, Rule: name, Msg: fmt.Sprintf(format, a...)})
	}
	a := &analysis{vocab: map[string]bool{}, complete: true}
	for _, l := range r.codes {
		code := parse.NormCode(l.text)
		a.vocab[code] = true
		c.set.vocab[code] = true
		if isNumber(code) {
			// A number counts only as Event.Code, read by the parser: its
			// digits need not be looked for (they are everywhere in logs:
			// times, ids, sizes); keyNeedles stand for it in the prefilter.
			continue
		}
		for _, v := range codeForms(l.text) {
			li := c.lit(v)
			li.code = code
			li.vocab = appendRule(li.vocab, idx)
		}
	}
	switch {
	case r.when != nil:
		a.when, a.whenSrc = r.when.text, r.when
	case len(r.codes) > 0:
		a.when, a.whenSrc = defaultWhen, &exprSrc{text: defaultWhen}
	default:
		a.complete = false // decodeFile reported the missing when
	}
	srcs := [4]*exprSrc{a.whenSrc, r.yield[0], r.yield[1], r.yield[2]}
	fields := [4]string{"when", "yield code", "yield message", "yield question"}
	for i, src := range srcs {
		if src == nil {
			continue
		}
		tree, err := exprparser.Parse(src.text)
		if err != nil {
			line, col := c.pos(r, src, err)
			add(line, col, "%s: %s", fields[i], exprMessage(err))
			a.complete = false
			continue
		}
		a.trees[i] = tree
		ast.Walk(&tree.Node, &hasFinder{found: func(n *ast.CallNode) {
			s, ok := hasArg(n)
			if !ok {
				line, col := r.posOf(src, n.Location().From)
				add(line, col, "%s: has takes one string literal: has(\"FnError.\")", fields[i])
				a.complete = false
				return
			}
			a.hasLits = append(a.hasLits, s)
		}})
	}
	for _, l := range a.hasLits {
		c.litID(l)
	}
	if !a.complete && len(r.prefilter) == 0 {
		return a // its faults are reported; deriving a prefilter would only repeat them
	}
	if len(r.prefilter) > 0 {
		var clause []needle
		for _, l := range r.prefilter {
			clause = append(clause, needle{text: l.text})
		}
		a.cnf = cnf{clause}
		c.addClauses(idx, a.cnf)
		return a
	}
	if a.trees[0] == nil {
		return a
	}
	clauses, ok, msg := needles(a.trees[0].Node, a.vocab)
	if msg != "" {
		line, col := r.whenPos(a.whenSrc)
		add(line, col, "when: %s", msg)
		a.complete = false
		return a
	}
	if !ok || len(clauses) == 0 {
		line, col := r.whenPos(a.whenSrc)
		add(line, col, "when can be true of a record that holds none of the rule's literals, so the prefilter cannot select it: add prefilter: [literals one of which every matching record holds], or build when from has(\"…\"), Code == \"…\", \"…\" in Codes, len(Codes) > 0, Status == N joined by && and ||")
		a.complete = false
		return a
	}
	a.cnf = clauses
	c.addClauses(idx, clauses)
	return a
}

// addClauses registers a rule's prefilter clauses with their literals.
func (c *compiler) addClauses(rule int32, clauses cnf) {
	for int(rule) >= len(c.ruleClauses) {
		c.ruleClauses = append(c.ruleClauses, 0)
	}
	clauses = dropNumberClauses(clauses)
	c.ruleClauses[rule] = len(clauses)
	first := len(c.set.statusClauses)
	for _, clause := range clauses {
		id := int32(len(c.set.clauses))
		c.set.clauses = append(c.set.clauses, rule)
		var nums [][]byte
		for _, n := range clause {
			if n.token {
				for _, v := range codeForms(n.text) {
					li := c.lit(v)
					li.token = appendRule(li.token, id)
				}
				continue
			}
			if n.numcode {
				// The code's digits are not looked for (they are
				// everywhere in logs: times, ids, sizes): the keys of a
				// code position are, and the number after one is looked
				// up among the set's numeric codes.
				for _, k := range codeKeys {
					c.lit(k).codeKey = true
				}
				if c.set.numCodes == nil {
					c.set.numCodes = map[string][]int32{}
				}
				c.set.numCodes[n.text] = appendRule(c.set.numCodes[n.text], id)
				if l := len(n.text); len(c.set.numCodes) == 1 || l < c.set.numLen[0] {
					c.set.numLen[0] = l
				}
				c.set.numLen[1] = max(c.set.numLen[1], len(n.text))
				continue
			}
			if n.number {
				// Nor are a status's digits: the record is searched for
				// them only when the rule's other clauses hold.
				if !slices.ContainsFunc(nums, func(b []byte) bool { return string(b) == n.text }) {
					nums = append(nums, []byte(n.text))
				}
				continue
			}
			li := c.lit(n.text)
			li.any = appendRule(li.any, id)
		}
		if len(nums) > 0 {
			c.set.statusClauses = append(c.set.statusClauses, statusClause{clause: id, rule: rule, nums: nums})
		}
	}
	for i := first; i < len(c.set.statusClauses); i++ {
		c.set.statusClauses[i].open = int32(len(c.set.statusClauses) - first)
	}
}

// dropNumberClauses removes the clauses that only a bare number (an HTTP
// status) satisfies when others remain: a prefilter may ask for less than
// the rule needs (the rule still checks all of it), and digits are the
// commonest bytes of a log, so they make the poorest filter.
func dropNumberClauses(clauses cnf) cnf {
	var out cnf
	for _, cl := range clauses {
		numbers := true
		for _, n := range cl {
			numbers = numbers && n.number
		}
		if !numbers {
			out = append(out, cl)
		}
	}
	if len(out) == 0 {
		return clauses
	}
	return out
}

func appendRule(list []int32, r int32) []int32 {
	if slices.Contains(list, r) {
		return list
	}
	return append(list, r)
}

// codeForms returns how a code may be written: itself, and for a number
// of four digits or more also with thousands separators.
func codeForms(code string) []string {
	n := parse.NormCode(code)
	if !isNumber(n) {
		return []string{n}
	}
	digits := strings.TrimPrefix(n, "-")
	if len(digits) < 4 {
		return []string{n}
	}
	var b strings.Builder
	if strings.HasPrefix(n, "-") {
		b.WriteByte('-')
	}
	for i := 0; i < len(digits); i++ {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(digits[i])
	}
	return []string{n, b.String()}
}

func isNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// hasFinder calls found for every has(...) call.
type hasFinder struct{ found func(*ast.CallNode) }

func (h *hasFinder) Visit(n *ast.Node) {
	if call, ok := (*n).(*ast.CallNode); ok {
		if id, ok := call.Callee.(*ast.IdentifierNode); ok && id.Value == "has" {
			h.found(call)
		}
	}
}

func hasArg(n *ast.CallNode) (string, bool) {
	if len(n.Arguments) != 1 {
		return "", false
	}
	s, ok := n.Arguments[0].(*ast.StringNode)
	if !ok || s.Value == "" || len(s.Value) > maxLiteral {
		return "", false
	}
	return s.Value, true
}

// needles returns what a record must hold for the expression to be true,
// as clauses of literals (every clause needs one of its literals), and
// whether that is known. msg reports a fault found on the way (a code
// tested against Codes that the rule's vocabulary lacks).
func needles(n ast.Node, vocab map[string]bool) (clauses cnf, ok bool, msg string) {
	one := func(ns ...needle) (cnf, bool, string) { return cnf{ns}, true, "" }
	switch n := n.(type) {
	case *ast.CallNode:
		if id, isID := n.Callee.(*ast.IdentifierNode); isID && id.Value == "has" {
			if s, ok := hasArg(n); ok {
				return one(needle{text: s})
			}
		}
	case *ast.BoolNode:
		if !n.Value {
			return cnf{{}}, true, "" // never true: a clause nothing satisfies
		}
	case *ast.ConditionalNode:
		a, aok, m1 := needles(n.Exp1, vocab)
		b, bok, m2 := needles(n.Exp2, vocab)
		if m := m1 + m2; m != "" {
			return nil, false, m
		}
		if aok && bok {
			return or(a, b), true, ""
		}
	case *ast.BinaryNode:
		switch n.Operator {
		case "&&", "and":
			a, aok, m1 := needles(n.Left, vocab)
			b, bok, m2 := needles(n.Right, vocab)
			if m := m1 + m2; m != "" {
				return nil, false, m
			}
			switch {
			case aok && bok:
				return and(a, b), true, ""
			case aok:
				return a, true, ""
			case bok:
				return b, true, ""
			}
		case "||", "or":
			a, aok, m1 := needles(n.Left, vocab)
			b, bok, m2 := needles(n.Right, vocab)
			if m := m1 + m2; m != "" {
				return nil, false, m
			}
			if aok && bok {
				return or(a, b), true, ""
			}
		case "==":
			if s, ok := identString(n.Left, n.Right, "Code"); ok && s != "" {
				return one(codeNeedles(s)...)
			}
			if v, ok := identInt(n.Left, n.Right, "Status"); ok && v >= 100 && v <= 599 {
				return one(needle{text: strconv.Itoa(v), number: true})
			}
		case "in":
			if s, ok := n.Left.(*ast.StringNode); ok && isIdent(n.Right, "Codes") {
				code := parse.NormCode(s.Value)
				if !vocab[code] {
					return nil, false, fmt.Sprintf("%q in Codes is never true: %q is not in the rule's codes", s.Value, s.Value)
				}
				return one(tokenNeedles(code)...)
			}
			if arr, ok := n.Right.(*ast.ArrayNode); ok && (isIdent(n.Left, "Code") || isIdent(n.Left, "Status")) {
				var out []needle
				for _, e := range arr.Nodes {
					switch e := e.(type) {
					case *ast.StringNode:
						if e.Value == "" || !isIdent(n.Left, "Code") {
							return nil, false, ""
						}
						out = append(out, codeNeedles(e.Value)...)
					case *ast.IntegerNode:
						if e.Value < 100 || e.Value > 599 || !isIdent(n.Left, "Status") {
							return nil, false, ""
						}
						out = append(out, needle{text: strconv.Itoa(e.Value), number: true})
					default:
						return nil, false, ""
					}
				}
				if len(out) > 0 {
					return one(out...)
				}
			}
		case "contains", "startsWith", "endsWith":
			if s, ok := n.Right.(*ast.StringNode); ok && s.Value != "" {
				if isIdent(n.Left, "Raw") {
					return one(needle{text: s.Value})
				}
				if isIdent(n.Left, "Code") && !strings.ContainsAny(s.Value, "0123456789,") {
					return one(needle{text: s.Value})
				}
			}
		case ">", ">=", "!=":
			if b, ok := n.Left.(*ast.BuiltinNode); ok && b.Name == "len" && len(b.Arguments) == 1 && isIdent(b.Arguments[0], "Codes") {
				if i, ok := n.Right.(*ast.IntegerNode); ok &&
					(n.Operator == ">" && i.Value >= 0 || n.Operator == ">=" && i.Value >= 1 || n.Operator == "!=" && i.Value == 0) {
					if len(vocab) == 0 {
						return nil, false, "Codes is always empty: the rule has no codes:"
					}
					out := make([]needle, 0, len(vocab))
					for c := range vocab {
						out = append(out, tokenNeedles(c)...)
					}
					slices.SortFunc(out, func(a, b needle) int { return strings.Compare(a.text, b.text) })
					return one(out...)
				}
			}
		}
	}
	return nil, false, ""
}

// and is the conjunction of two CNFs: all their clauses.
func and(a, b cnf) cnf {
	out := append(append(cnf{}, a...), b...)
	if len(out) > maxClauses {
		out = out[:maxClauses] // dropping clauses only weakens the filter
	}
	return out
}

// or is the disjunction of two CNFs: a clause for each pair of clauses,
// or, when that grows past maxClauses, one clause of every literal.
func or(a, b cnf) cnf {
	if len(a)*len(b) > maxClauses {
		// Too many clauses to keep: any one clause of a side is still
		// necessary for it, so a record needs the most selective clause of
		// a or that of b. (Taking every literal of both sides would wake
		// the rule on its commonest word.)
		return cnf{append(append([]needle{}, selective(a)...), selective(b)...)}
	}
	var out cnf
	for _, x := range a {
		for _, y := range b {
			out = append(out, append(append([]needle{}, x...), y...))
		}
	}
	return out
}

// selective returns the clause of c whose weakest literal is the longest
// (a clause is as common as its commonest literal; length stands for
// rarity), fewer literals breaking ties.
func selective(c cnf) []needle {
	best, bestLen := -1, -1
	for i, cl := range c {
		if len(cl) == 0 {
			continue
		}
		m := -1
		for _, n := range cl {
			if l := len(n.text); m < 0 || l < m {
				m = l
			}
		}
		if m > bestLen || m == bestLen && len(cl) < len(c[best]) {
			best, bestLen = i, m
		}
	}
	if best < 0 {
		return nil
	}
	return c[best]
}

// identInt matches `ident == N` either way round.
func identInt(l, r ast.Node, ident string) (int, bool) {
	if i, ok := r.(*ast.IntegerNode); ok && isIdent(l, ident) {
		return i.Value, true
	}
	if i, ok := l.(*ast.IntegerNode); ok && isIdent(r, ident) {
		return i.Value, true
	}
	return 0, false
}

func isIdent(n ast.Node, name string) bool {
	id, ok := n.(*ast.IdentifierNode)
	return ok && id.Value == name
}

// identString matches `ident == "s"` either way round.
func identString(l, r ast.Node, ident string) (string, bool) {
	if s, ok := r.(*ast.StringNode); ok && isIdent(l, ident) {
		return s.Value, true
	}
	if s, ok := l.(*ast.StringNode); ok && isIdent(r, ident) {
		return s.Value, true
	}
	return "", false
}

// codeNeedles are the literals a record whose Code is s holds: the code,
// or for a number the number after a code key (numCodeNeedle).
func codeNeedles(s string) []needle {
	n := parse.NormCode(s)
	if !isNumber(n) {
		return []needle{{text: n}}
	}
	return []needle{{text: n, numcode: true}}
}

// tokenNeedles are what a code of a rule's vocabulary needs in a record: the
// code as a whole token, or, for a number, the number after a code key.
func tokenNeedles(code string) []needle {
	if isNumber(code) {
		return []needle{{text: code, numcode: true}}
	}
	return []needle{{text: code, token: true}}
}

// codeKeys are the literals after which a numeric code stands: a key
// ending in "ode" (code=, "Code":, errCode:, "errorCode":, error_code=,
// ERRCODE), an opening bracket ("[100009] …") or a code word of a sentence
// ("错误码：100009", "(code 100009)"). Looking for the key and then
// reading the number after it, rather than for the digits, keeps every
// timestamp and id from waking the prefilter; looking the number up among
// the rules' codes keeps "code":0 and "errCode": 200 from waking it.
var codeKeys = [...]string{"code", "Code", "CODE", "[", "错误码", "错误代码", "错误编号"}
