package rules

// The expressions of a rule: compiled by expr with the prefilter's hits
// patched into has(), the functions rules may call, and what an expr
// error says. Building the set around them is compile.go's.

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"

	"github.com/wedadiag/wedadiag/parse"
)

// exprMessage is an expr error without its snippet (the position says
// where), plus a hint for an unknown name.
func exprMessage(err error) string {
	msg := err.Error()
	var fe *file.Error
	if errors.As(err, &fe) {
		msg = fe.Message
	}
	if strings.HasPrefix(msg, "unknown name") || strings.Contains(msg, "unknown func") {
		msg += " (variables: " + strings.Join(envNames(), ", ") + `; functions: has("literal"), bestCode())`
	}
	return msg
}

func envNames() []string {
	t := reflect.TypeOf(parse.Event{})
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if f := t.Field(i); f.IsExported() {
			out = append(out, f.Name)
		}
	}
	return out
}

// compileExprs compiles the expressions of a rule whose analysis is
// complete into out: each with expr (a fault for one that does not
// compile), then, when its when compiled, as checks (check.go) as far as
// their shapes allow.
func (c *compiler) compileExprs(out *rule, r *ruleSpec, a *analysis, faults *Faults) {
	srcs := c.compilePrograms(out, r, a, faults)
	if out.when != nil {
		cc := checkCompiler{lits: c.litIndex}
		cc.compileChecks(out, srcs, a.trees, a.cnf)
	}
	c.programsCompiled(out, a)
}

// programsCompiled finishes a rule whose programs were compiled after its
// checks were made: it runs when its when compiled, and a when that is no
// check runs as a program with its check parts called (mixedProgram).
func (c *compiler) programsCompiled(out *rule, a *analysis) {
	out.runs = out.when != nil
	if out.runs && out.check == nil {
		out.mixed = c.mixedProgram(a.whenSrc.text, a.cnf)
	}
}

// compileChecked compiles the expressions of a rule of a built-in file,
// known to compile (TestBuiltinCompilesOnFirstUse), on its first use:
// when every one of them is a check, as checks only — expr's compilation,
// which type-checks, is most of the cost of a rule's first use (about
// 1.4M instructions a rule) and its programs would never run. Otherwise as
// compileExprs does.
func (c *compiler) compileChecked(out *rule, r *ruleSpec, a *analysis) {
	srcs := exprSources(r, a)
	if srcs[0] != nil {
		cc := checkCompiler{lits: c.litIndex}
		cc.compileChecks(out, srcs, a.trees, a.cnf)
		whole := out.check != nil
		for i, src := range srcs[1:] {
			if src != nil && out.yieldCheck[i] == nil {
				whole = false
			}
		}
		if whole {
			out.runs = true
			return
		}
	}
	// Some part only expr runs: the programs too, as compileExprs
	// compiles them (the checks are made already).
	var faults Faults
	c.compilePrograms(out, r, a, &faults)
	c.programsCompiled(out, a)
}

// exprSources are a rule's when source, then its yields' (code, message,
// question).
func exprSources(r *ruleSpec, a *analysis) [4]*exprSrc {
	return [4]*exprSrc{a.whenSrc, r.yield[0], r.yield[1], r.yield[2]}
}

// compilePrograms compiles a rule's expressions with expr into out.when
// and out.yield, a fault for each that does not compile, and returns
// their sources.
func (c *compiler) compilePrograms(out *rule, r *ruleSpec, a *analysis, faults *Faults) [4]*exprSrc {
	name := r.id
	if name == "" {
		name = fmt.Sprintf("#%d", r.index)
	}
	srcs := exprSources(r, a)
	fields := [4]string{"when", "yield code", "yield message", "yield question"}
	for i, src := range srcs {
		if src == nil {
			continue
		}
		opts := c.options(a.cnf)
		if i == 0 {
			opts = append(opts, expr.AsBool())
		} else {
			opts = append(opts, expr.AsKind(reflect.String))
		}
		p, err := expr.Compile(src.text, opts...)
		if err != nil {
			line, col := c.pos(r, src, err)
			*faults = append(*faults, Fault{File: r.file, Line: line, Col: col, Rule: name, Msg: fields[i] + ": " + exprMessage(err)})
			continue
		}
		if i == 0 {
			out.when = p
		} else {
			out.yield[i-1] = p
		}
	}
	return srcs
}

// mixedProgram compiles a when that is no check as a whole with each of
// its largest parts that are checks called as one function, or returns nil
// when none is (or the expression declares variables, which a check would
// not see).
func (c *compiler) mixedProgram(src string, clauses cnf) *vm.Program {
	p := &checkPatcher{cc: &checkCompiler{lits: c.litIndex}}
	p.cc.parts = &p.parts
	opts := c.options(clauses, expr.Function("_check", p.call, new(func(any, int) bool)), expr.Patch(p), expr.AsBool())
	prog, err := expr.Compile(src, opts...)
	if err != nil || p.patched == 0 || p.lets {
		return nil
	}
	return prog
}

// options are the expr options of a rule's expressions; more go before
// envPatcher rewrites has().
func (c *compiler) options(clauses cnf, more ...expr.Option) []expr.Option {
	opts := []expr.Option{
		expr.Env(env{}),
		expr.Patch(&impliedPatcher{clauses: clauses}), // before envPatcher rewrites has()
		expr.Function("has", func(...any) (any, error) { return false, nil }, new(func(string) bool)),
		expr.Function("bestCode", func(...any) (any, error) { return "", nil }, new(func() string)),
		expr.Function("_has", hasHit, new(func(any, int) bool)),
		expr.Function("_bestCode", bestCodeOf, new(func(any) string)),
	}
	opts = append(opts, more...)
	return append(opts, expr.Patch(&envPatcher{lits: c.litIndex}))
}

// impliedPatcher replaces with true every has("a") || has("b") || … that
// a prefilter clause implies: a rule runs only when each of its clauses has
// a literal in the record, so an || of has() over all of a clause's
// literals is true whenever the rule runs. A symptom rule's long chain of
// has() then costs nothing at run time.
type impliedPatcher struct {
	clauses cnf
	lits    []string // scratch: the literals of the node visited, sorted
}

func (p *impliedPatcher) Visit(n *ast.Node) {
	var ok bool
	if p.lits, ok = appendHasLits(*n, p.lits[:0]); !ok {
		return
	}
	slices.Sort(p.lits)
	for _, clause := range p.clauses {
		implied := len(clause) > 0
		for _, nd := range clause {
			if _, found := slices.BinarySearch(p.lits, nd.text); nd.token || nd.numcode || nd.number || !found {
				implied = false
				break
			}
		}
		if implied {
			ast.Patch(n, &ast.BoolNode{Value: true})
			return
		}
	}
}

// appendHasLits appends the literals of an expression made only of has()
// calls joined by ||, and reports whether it is one.
func appendHasLits(n ast.Node, dst []string) ([]string, bool) {
	switch n := n.(type) {
	case *ast.CallNode:
		if id, ok := n.Callee.(*ast.IdentifierNode); ok && id.Value == "has" {
			s, ok := hasArg(n)
			return append(dst, s), ok
		}
	case *ast.BinaryNode:
		if n.Operator == "||" || n.Operator == "or" {
			dst, ok := appendHasLits(n.Left, dst)
			if !ok {
				return dst, false
			}
			return appendHasLits(n.Right, dst)
		}
	}
	return dst, false
}

// envPatcher rewrites has("x") into _has($env, id of "x") and bestCode()
// into _bestCode($env), so the functions read the Matcher's state through
// the environment the Matcher passes (the *Event).
type envPatcher struct{ lits map[string]int }

func (p *envPatcher) Visit(n *ast.Node) {
	call, ok := (*n).(*ast.CallNode)
	if !ok {
		return
	}
	id, ok := call.Callee.(*ast.IdentifierNode)
	if !ok {
		return
	}
	env := &ast.IdentifierNode{Value: "$env"}
	switch id.Value {
	case "has":
		s, ok := hasArg(call)
		if !ok {
			return
		}
		lit, ok := p.lits[s]
		if !ok {
			return
		}
		ast.Patch(n, &ast.CallNode{
			Callee:    &ast.IdentifierNode{Value: "_has"},
			Arguments: []ast.Node{env, &ast.IntegerNode{Value: lit}},
		})
	case "bestCode":
		if len(call.Arguments) == 0 {
			ast.Patch(n, &ast.CallNode{Callee: &ast.IdentifierNode{Value: "_bestCode"}, Arguments: []ast.Node{env}})
		}
	}
}

func hasHit(params ...any) (any, error) {
	e, ok := params[0].(*env)
	id, ok2 := params[1].(int)
	if !ok || !ok2 || e.m == nil {
		return false, nil
	}
	return e.m.seen(id), nil
}

func bestCodeOf(params ...any) (any, error) {
	e, ok := params[0].(*env)
	if !ok {
		return "", nil
	}
	return bestCode(e.Code, e.Codes), nil
}

// bestCode picks the code a record is about: Code when it is among codes,
// else the most specific of codes (most dot-separated parts, then the
// longest, then the first).
func bestCode(code string, codes []string) string {
	if code != "" && slices.Contains(codes, code) {
		return code
	}
	best, bestDots := "", -1
	for _, c := range codes {
		d := strings.Count(c, ".")
		if d > bestDots || d == bestDots && len(c) > len(best) {
			best, bestDots = c, d
		}
	}
	return best
}
