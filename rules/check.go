package rules

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr/ast"
	exprparser "github.com/expr-lang/expr/parser"
)

// A rule expression of the common shapes (has("x"), "X" in Codes, Code in
// Codes, Level != "debug", Level in ["error", "fatal"], Status == 433,
// Fields["k"] == "v", "k" in Fields, indexOf(Raw, "x") >= 0, Raw contains
// "x", len(Codes) > 0, bestCode(), a field, a literal, and &&, ||, !, ?: of
// those) is compiled a second time
// into Go closures that read the env directly: no VM, no argument slices,
// no reflection, no allocation. Its answer is the expr program's, which
// still compiles every expression (and reports its faults); an expression
// with any other part runs on the VM alone.
type (
	boolCheck func(e *env) bool
	strCheck  func(e *env) string
	intCheck  func(e *env) int
)

// checked is what one expression node compiled to: exactly one of its
// fields is set, or none when the node is of a shape left to expr.
type checked struct {
	b boolCheck
	s strCheck
	i intCheck
}

// checkCompiler compiles expressions into checks; lits are the
// prefilter's literal ids, which has() reads; parts are the checks that
// _check($env, i) calls, in a mixed program.
type checkCompiler struct {
	lits  map[string]int
	parts *[]boolCheck
}

// checkPatcher makes a mixed program: it replaces each part of an
// expression that compiles to a bool check with _check($env, i), calling
// the part's check. It visits children first, so a part whose own parts
// were replaced compiles from their checks and replaces them in turn: the
// largest parts that are checks remain.
type checkPatcher struct {
	cc      *checkCompiler
	parts   []boolCheck
	patched int  // parts replaced, leaves (a lone true) aside
	lets    bool // the expression declares a variable
}

func (p *checkPatcher) Visit(n *ast.Node) {
	switch (*n).(type) {
	case *ast.VariableDeclaratorNode:
		// let Level = …: a check would read the Event's Level.
		p.lets = true
		return
	case *ast.BoolNode, *ast.StringNode, *ast.IntegerNode, *ast.IdentifierNode:
		return
	}
	ch := p.cc.node(*n)
	if ch.b == nil {
		return
	}
	p.parts = append(p.parts, ch.b)
	p.patched++
	ast.Patch(n, &ast.CallNode{
		Callee:    &ast.IdentifierNode{Value: "_check"},
		Arguments: []ast.Node{&ast.IdentifierNode{Value: "$env"}, &ast.IntegerNode{Value: len(p.parts) - 1}},
	})
}

// call is _check: part i on the env.
func (p *checkPatcher) call(params ...any) (any, error) {
	e, ok := params[0].(*env)
	i, ok2 := params[1].(int)
	if !ok || !ok2 || i < 0 || i >= len(p.parts) {
		return false, nil
	}
	return p.parts[i](e), nil
}

// compileChecks compiles a rule's when and yield expressions into checks,
// as far as their shapes allow; the sources already compiled with expr.
// trees are their parses, when the prefilter's analysis kept them (they
// are rewritten here); clauses are the rule's prefilter clauses, for
// impliedPatcher.
func (c *checkCompiler) compileChecks(out *rule, srcs [4]*exprSrc, trees [4]*exprparser.Tree, clauses cnf) {
	for i, src := range srcs {
		if src == nil {
			continue
		}
		tree := trees[i]
		if tree == nil {
			var err error
			if tree, err = exprparser.Parse(src.text); err != nil {
				continue
			}
		}
		// The same rewrite the expr program had.
		ast.Walk(&tree.Node, &impliedPatcher{clauses: clauses})
		ch := c.node(tree.Node)
		if i == 0 {
			out.check = ch.b
		} else {
			out.yieldCheck[i-1] = ch.s
		}
	}
}

// strFields and intFields are the Event fields a check reads by name.
var strFields = map[string]strCheck{
	"Source":     func(e *env) string { return e.Source },
	"Path":       func(e *env) string { return e.Path },
	"Raw":        func(e *env) string { return e.Raw },
	"Format":     func(e *env) string { return e.Format },
	"Level":      func(e *env) string { return e.Level },
	"Message":    func(e *env) string { return e.Message },
	"RequestID":  func(e *env) string { return e.RequestID },
	"Code":       func(e *env) string { return e.Code },
	"ErrMessage": func(e *env) string { return e.ErrMessage },
}

var intFields = map[string]intCheck{
	"Status": func(e *env) int { return e.Status },
}

func (c *checkCompiler) node(n ast.Node) checked {
	switch n := n.(type) {
	case *ast.BoolNode:
		v := n.Value
		return checked{b: func(*env) bool { return v }}
	case *ast.StringNode:
		v := n.Value
		return checked{s: func(*env) string { return v }}
	case *ast.IntegerNode:
		v := n.Value
		return checked{i: func(*env) int { return v }}
	case *ast.IdentifierNode:
		if f, ok := strFields[n.Value]; ok {
			return checked{s: f}
		}
		if f, ok := intFields[n.Value]; ok {
			return checked{i: f}
		}
	case *ast.UnaryNode:
		return c.unary(n)
	case *ast.BinaryNode:
		return c.binary(n)
	case *ast.ConditionalNode:
		return c.conditional(n)
	case *ast.CallNode:
		return c.call(n)
	case *ast.BuiltinNode:
		return c.builtin(n)
	case *ast.MemberNode:
		// Fields["k"] and Fields.k: "" when the record has no k, as in
		// expr, which fetches the map's zero value.
		id, ok := n.Node.(*ast.IdentifierNode)
		key, isStr := n.Property.(*ast.StringNode)
		if ok && isStr && id.Value == "Fields" && !n.Optional && !n.Method {
			k := key.Value
			return checked{s: func(e *env) string { return e.Field(k) }}
		}
	}
	return checked{}
}

func (c *checkCompiler) unary(n *ast.UnaryNode) checked {
	x := c.node(n.Node)
	switch n.Operator {
	case "!", "not":
		if f := x.b; f != nil {
			return checked{b: func(e *env) bool { return !f(e) }}
		}
	case "-":
		if f := x.i; f != nil {
			return checked{i: func(e *env) int { return -f(e) }}
		}
	case "+":
		if x.i != nil {
			return x
		}
	}
	return checked{}
}

func (c *checkCompiler) binary(n *ast.BinaryNode) checked {
	switch n.Operator {
	case "&&", "and", "||", "or":
		return c.logic(n)
	case "in":
		return c.in(n)
	}
	// indexOf(s, sub) compared with 0 or -1: whether s contains sub.
	if ch, ok := c.indexOfTest(n); ok {
		return ch
	}
	l, r := c.node(n.Left), c.node(n.Right)
	switch {
	case l.s != nil && r.s != nil:
		return strOp(n.Operator, l.s, r.s, n.Right)
	case l.i != nil && r.i != nil:
		return intOp(n.Operator, l.i, r.i)
	case l.b != nil && r.b != nil:
		lf, rf := l.b, r.b
		switch n.Operator {
		case "==":
			return checked{b: func(e *env) bool { return lf(e) == rf(e) }}
		case "!=":
			return checked{b: func(e *env) bool { return lf(e) != rf(e) }}
		}
	}
	return checked{}
}

// logic compiles a chain of && or || into one loop over its operands.
func (c *checkCompiler) logic(n *ast.BinaryNode) checked {
	and := n.Operator == "&&" || n.Operator == "and"
	var terms []boolCheck
	var walk func(ast.Node) bool
	walk = func(x ast.Node) bool {
		if b, ok := x.(*ast.BinaryNode); ok && (b.Operator == "&&" || b.Operator == "and") == and &&
			(b.Operator == "&&" || b.Operator == "and" || b.Operator == "||" || b.Operator == "or") {
			return walk(b.Left) && walk(b.Right)
		}
		t := c.node(x)
		if t.b == nil {
			return false
		}
		terms = append(terms, t.b)
		return true
	}
	if !walk(n) {
		return checked{}
	}
	if len(terms) == 2 {
		a, b := terms[0], terms[1]
		if and {
			return checked{b: func(e *env) bool { return a(e) && b(e) }}
		}
		return checked{b: func(e *env) bool { return a(e) || b(e) }}
	}
	if and {
		return checked{b: func(e *env) bool {
			for _, t := range terms {
				if !t(e) {
					return false
				}
			}
			return true
		}}
	}
	return checked{b: func(e *env) bool {
		for _, t := range terms {
			if t(e) {
				return true
			}
		}
		return false
	}}
}

// in compiles x in Codes, x in Fields and x in ["a", "b"] for a string x,
// and n in [404, 433] for a number n.
func (c *checkCompiler) in(n *ast.BinaryNode) checked {
	l := c.node(n.Left)
	if arr, ok := n.Right.(*ast.ArrayNode); ok && l.i != nil {
		set := make([]int, 0, len(arr.Nodes))
		for _, el := range arr.Nodes {
			k, ok := intLiteral(el)
			if !ok {
				return checked{}
			}
			set = append(set, k)
		}
		x := l.i
		return checked{b: func(e *env) bool { return slices.Contains(set, x(e)) }}
	}
	if l.s == nil {
		return checked{}
	}
	x := l.s
	lit, isLit := n.Left.(*ast.StringNode)
	switch r := n.Right.(type) {
	case *ast.IdentifierNode:
		if r.Value == "Fields" {
			return checked{b: func(e *env) bool {
				_, ok := e.LookupField(x(e))
				return ok
			}}
		}
		if r.Value != "Codes" {
			return checked{}
		}
		if isLit {
			v := lit.Value
			return checked{b: func(e *env) bool { return slices.Contains(e.Codes, v) }}
		}
		return checked{b: func(e *env) bool { return slices.Contains(e.Codes, x(e)) }}
	case *ast.ArrayNode:
		set := make([]string, 0, len(r.Nodes))
		for _, el := range r.Nodes {
			s, ok := el.(*ast.StringNode)
			if !ok {
				return checked{}
			}
			set = append(set, s.Value)
		}
		return checked{b: func(e *env) bool { return slices.Contains(set, x(e)) }}
	}
	return checked{}
}

// indexOfTest compiles indexOf(s, sub) >= 0 (and > -1, != -1, == -1, < 0)
// into strings.Contains.
func (c *checkCompiler) indexOfTest(n *ast.BinaryNode) (checked, bool) {
	call, ok := n.Left.(*ast.BuiltinNode)
	if !ok || call.Name != "indexOf" || len(call.Arguments) != 2 {
		return checked{}, false
	}
	k, ok := intLiteral(n.Right)
	if !ok {
		return checked{}, false
	}
	var want bool // whether the test asks for an occurrence
	switch {
	case n.Operator == ">=" && k == 0, n.Operator == ">" && k == -1, n.Operator == "!=" && k == -1:
		want = true
	case n.Operator == "<" && k == 0, n.Operator == "==" && k == -1, n.Operator == "<=" && k == -1:
		want = false
	default:
		return checked{}, false
	}
	s, sub := c.node(call.Arguments[0]), c.node(call.Arguments[1])
	if s.s == nil || sub.s == nil {
		return checked{}, false
	}
	sf := s.s
	if lit, ok := call.Arguments[1].(*ast.StringNode); ok {
		v := lit.Value
		if want {
			return checked{b: func(e *env) bool { return strings.Contains(sf(e), v) }}, true
		}
		return checked{b: func(e *env) bool { return !strings.Contains(sf(e), v) }}, true
	}
	subf := sub.s
	return checked{b: func(e *env) bool { return strings.Contains(sf(e), subf(e)) == want }}, true
}

func intLiteral(n ast.Node) (int, bool) {
	switch n := n.(type) {
	case *ast.IntegerNode:
		return n.Value, true
	case *ast.UnaryNode:
		if i, ok := n.Node.(*ast.IntegerNode); ok && n.Operator == "-" {
			return -i.Value, true
		}
	}
	return 0, false
}

func strOp(op string, l, r strCheck, right ast.Node) checked {
	if lit, ok := right.(*ast.StringNode); ok {
		v := lit.Value
		switch op {
		case "==":
			return checked{b: func(e *env) bool { return l(e) == v }}
		case "!=":
			return checked{b: func(e *env) bool { return l(e) != v }}
		case "contains":
			return checked{b: func(e *env) bool { return strings.Contains(l(e), v) }}
		case "startsWith":
			return checked{b: func(e *env) bool { return strings.HasPrefix(l(e), v) }}
		case "endsWith":
			return checked{b: func(e *env) bool { return strings.HasSuffix(l(e), v) }}
		case "matches":
			re, err := regexp.Compile(v)
			if err != nil {
				return checked{} // expr reports it
			}
			return checked{b: func(e *env) bool { return re.MatchString(l(e)) }}
		}
		return checked{}
	}
	switch op {
	case "==":
		return checked{b: func(e *env) bool { return l(e) == r(e) }}
	case "!=":
		return checked{b: func(e *env) bool { return l(e) != r(e) }}
	case "contains":
		return checked{b: func(e *env) bool { return strings.Contains(l(e), r(e)) }}
	case "startsWith":
		return checked{b: func(e *env) bool { return strings.HasPrefix(l(e), r(e)) }}
	case "endsWith":
		return checked{b: func(e *env) bool { return strings.HasSuffix(l(e), r(e)) }}
	}
	return checked{}
}

func intOp(op string, l, r intCheck) checked {
	switch op {
	case "==":
		return checked{b: func(e *env) bool { return l(e) == r(e) }}
	case "!=":
		return checked{b: func(e *env) bool { return l(e) != r(e) }}
	case "<":
		return checked{b: func(e *env) bool { return l(e) < r(e) }}
	case "<=":
		return checked{b: func(e *env) bool { return l(e) <= r(e) }}
	case ">":
		return checked{b: func(e *env) bool { return l(e) > r(e) }}
	case ">=":
		return checked{b: func(e *env) bool { return l(e) >= r(e) }}
	}
	return checked{}
}

func (c *checkCompiler) conditional(n *ast.ConditionalNode) checked {
	cond, a, b := c.node(n.Cond), c.node(n.Exp1), c.node(n.Exp2)
	if cond.b == nil {
		return checked{}
	}
	cf := cond.b
	switch {
	case a.s != nil && b.s != nil:
		af, bf := a.s, b.s
		return checked{s: func(e *env) string {
			if cf(e) {
				return af(e)
			}
			return bf(e)
		}}
	case a.b != nil && b.b != nil:
		af, bf := a.b, b.b
		return checked{b: func(e *env) bool {
			if cf(e) {
				return af(e)
			}
			return bf(e)
		}}
	case a.i != nil && b.i != nil:
		af, bf := a.i, b.i
		return checked{i: func(e *env) int {
			if cf(e) {
				return af(e)
			}
			return bf(e)
		}}
	}
	return checked{}
}

// call compiles has("x") (whether the prefilter saw x in the record) and
// bestCode().
func (c *checkCompiler) call(n *ast.CallNode) checked {
	id, ok := n.Callee.(*ast.IdentifierNode)
	if !ok {
		return checked{}
	}
	switch id.Value {
	case "has":
		s, ok := hasArg(n)
		if !ok {
			return checked{}
		}
		lit, ok := c.lits[s]
		if !ok {
			// As in expr, where has() of a literal the prefilter lacks
			// stays the stub.
			return checked{b: func(*env) bool { return false }}
		}
		return checked{b: func(e *env) bool { return e.m != nil && e.m.seen(lit) }}
	case "_check":
		// A part of a mixed program already replaced.
		if c.parts == nil || len(n.Arguments) != 2 {
			return checked{}
		}
		if i, ok := n.Arguments[1].(*ast.IntegerNode); ok && i.Value >= 0 && i.Value < len(*c.parts) {
			return checked{b: (*c.parts)[i.Value]}
		}
	case "bestCode":
		if len(n.Arguments) == 0 {
			return checked{s: func(e *env) string { return bestCode(e.Code, e.Codes) }}
		}
	}
	return checked{}
}

// builtin compiles len(Codes), len of a string and indexOf.
func (c *checkCompiler) builtin(n *ast.BuiltinNode) checked {
	switch n.Name {
	case "len":
		if len(n.Arguments) != 1 {
			return checked{}
		}
		if id, ok := n.Arguments[0].(*ast.IdentifierNode); ok && id.Value == "Codes" {
			return checked{i: func(e *env) int { return len(e.Codes) }}
		}
		if s := c.node(n.Arguments[0]).s; s != nil {
			return checked{i: func(e *env) int { return utf8.RuneCountInString(s(e)) }} // as expr: runes
		}
	case "indexOf":
		if len(n.Arguments) != 2 {
			return checked{}
		}
		s, sub := c.node(n.Arguments[0]).s, c.node(n.Arguments[1]).s
		if s != nil && sub != nil {
			return checked{i: func(e *env) int { return strings.Index(s(e), sub(e)) }}
		}
	}
	return checked{}
}
