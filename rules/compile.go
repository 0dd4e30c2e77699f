package rules

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"

	"github.com/wedadiag/wedadiag/internal/automaton"
)

// Set is a compiled set of rules with its prefilter. It is immutable and
// safe for concurrent use; each goroutine matches with its own Matcher.
type Set struct {
	rules   []*rule
	lits    []litInfo
	clauses []int32 // clause → its rule: a rule is a candidate when all its clauses are satisfied
	auto    *automaton.Automaton
	// blockSafe: no literal holds a line break or a BOM, so the hits of a
	// block of lines are each line's own (Matcher.ScanBlock).
	blockSafe bool
	vocab     map[string]bool // every rule's codes, normalised
	// numCodes maps a numeric code (normalised) to the clauses its
	// occurrence after a code key satisfies.
	numCodes map[string][]int32
	numLen   [2]int // the shortest and longest numeric code, sign included
	// statusClauses are the clauses a status (a whole number) satisfies:
	// the record is searched for it only when the rule's other clauses hold.
	statusClauses []statusClause
	// quietOK: a record whose hits are all quiet (litInfo.quiet) may be
	// let go without noting them: no rule is woken by its status alone.
	quietOK bool
	// unesc is the id of the `\u` literal when some literal is not ASCII:
	// a record with JSON \u escapes is then scanned unescaped as well.
	unesc int
	// pending, when every rule comes from a built-in file as generated
	// (none can fault), holds the rules until the set's first use
	// (ready) builds the prefilter: a run that matches no record (an
	// empty file) builds none.
	pending *pendingSet
}

type pendingSet struct {
	once  sync.Once
	specs []*ruleSpec
}

// ready builds a set whose build was deferred: before any field but
// pending is read.
func (s *Set) ready() {
	if p := s.pending; p != nil {
		p.once.Do(func() {
			var faults Faults
			lazy := make([]bool, len(p.specs))
			for i := range lazy {
				lazy[i] = true
			}
			s.build(p.specs, lazy, &faults)
		})
	}
}

// rule is one compiled rule.
type rule struct {
	id, desc string
	file     string
	line     int
	// runs: the rule's expressions compiled, as checks, programs or
	// both (a rule whose analysis is incomplete, or whose when did not
	// compile, never runs).
	runs     bool
	when     *vm.Program
	yieldID  string
	yieldPos [2]int
	yield    [3]*vm.Program // code, message, question
	// check and yieldCheck are when and yield compiled to Go (check.go),
	// nil for an expression of a shape only expr runs.
	check      boolCheck
	yieldCheck [3]strCheck
	// mixed is when for the VM with its parts that are checks called as
	// checks, when check is nil and some part is one.
	mixed    *vm.Program
	labels   map[string]string
	examples []Example
	vocab    map[string]bool
	clauses  int // prefilter clauses: each needs one of its literals
	// deferred compiles the expressions of a rule of a built-in file on
	// its first use (ready); nil for a rule compiled with its set.
	deferred *deferredCompile
	// namesFields: the source of one of its expressions holds the word
	// Fields (known before the rule compiles; see Set.namesFields).
	namesFields bool
}

type deferredCompile struct {
	once sync.Once
	fn   func()
	// programs compiles the expr programs a rule compiled as checks only
	// went without, for the tests that compare the two.
	programs     func()
	programsOnce sync.Once
}

// ready compiles the rule's expressions when that was deferred: before
// when, check, mixed or yield is read.
func (r *rule) ready() {
	if d := r.deferred; d != nil {
		d.once.Do(d.fn)
	}
}

// litInfo is one distinct literal of the prefilter and what a hit of it
// means.
type litInfo struct {
	text    string
	code    string  // normalised code when some rule's vocabulary holds it
	numeric bool    // the code is a number
	any     []int32 // clauses any occurrence satisfies
	token   []int32 // clauses a whole-token occurrence satisfies
	vocab   []int32 // rules whose codes: holds it
	errish  bool    // the record may look like an error
	codeKey bool    // a number after it may be a numeric code (numCodes)
	// errKey: errish only when what follows it is not a success code
	// (errCode: 0 is how a success is logged).
	errKey bool
	// quiet tells a literal whose hit may mean nothing (quietKinds): a
	// code key followed by a short number, an error key by a success code.
	quiet quietKind
}

// statusClause is a prefilter clause that a whole number (an HTTP
// status) satisfies, besides its literals, if it has any.
type statusClause struct {
	clause int32
	rule   int32
	open   int32 // the rule's status clauses
	nums   [][]byte
}

// Rule describes a compiled rule, for listings and metrics.
type Rule struct {
	ID          string
	Description string
	File        string
	Line        int
	Examples    int
	// YieldID is the catalog id the rule yields ("" for a lookup), at
	// YieldLine:YieldCol of File.
	YieldID             string
	YieldLine, YieldCol int
}

// Rules returns the set's rules in order.
func (s *Set) Rules() []Rule {
	if p := s.pending; p != nil {
		// What newRule would copy, without building the set.
		out := make([]Rule, len(p.specs))
		for i, r := range p.specs {
			out[i] = Rule{ID: r.id, Description: r.desc, File: r.file, Line: r.line, Examples: len(r.examples),
				YieldID: r.yieldID, YieldLine: r.yieldPos[0], YieldCol: r.yieldPos[1]}
		}
		return out
	}
	out := make([]Rule, len(s.rules))
	for i, r := range s.rules {
		out[i] = Rule{ID: r.id, Description: r.desc, File: r.file, Line: r.line, Examples: len(r.examples),
			YieldID: r.yieldID, YieldLine: r.yieldPos[0], YieldCol: r.yieldPos[1]}
	}
	return out
}

// errorish are the literals whose presence makes a record worth parsing to
// decide whether it looks like an error (Result.ErrorLike).
var errorish = []string{
	"ERROR", "Error", "FATAL", "Fatal", "CRITICAL", "SEVERE",
	"Exception", "Traceback", "Uncaught",
	// Level values: JSON (under the usual keys), logfmt, bracketed.
	`level":"error"`, `level": "error"`, `level":"err"`, `level":"fatal"`, `level":"critical"`,
	`lvl":"error"`, `severity":"error"`, `severity": "error"`,
	`'error'`, `=error`, `=err`, `=fatal`, `=critical`, `[error]`, `[fatal]`, `[crit]`,
	// HTTP status 5xx: access lines, JSON, logfmt, text, the browser.
	`HTTP/1.1" 5`, `HTTP/1.0" 5`, `HTTP/2.0" 5`, `HTTP/2" 5`,
	`status":5`, `Status":5`, `status": 5`, `statusCode":5`, `StatusCode":5`, `statusCode": 5`,
	`status=5`, `status: 5`, `statusCode: 5`, `statusCode=5`, `status of 5`, `status code 5`,
	"状态码5", "状态码 5",
	"(Bad Gateway)", "(Internal Server Error)", "(Service Unavailable)", "(Gateway Timeout)",
	"错误", "失败", "异常", "报错",
}

// errorKeys are the code keys whose value makes a record worth parsing
// for Result.ErrorLike unless it is a success code: errCode: 0 is how
// many services log a success.
var errorKeys = []string{"errorCode", "errCode", "error_code"}

const defaultWhen = "len(Codes) > 0"

// Compile compiles rule files into a Set. A later file's rule replaces an
// earlier rule with the same id, in its place. The error, a Faults, lists
// every fault of every file. The built-in files alone, as Builtin gives
// them, compile to the one set of the process (Default).
func Compile(files ...File) (*Set, error) {
	if isBuiltin(files) {
		return defaultSet()
	}
	return compile(files)
}

func compile(files []File) (*Set, error) {
	var faults Faults
	var specs []*ruleSpec
	// lazy: the spec comes from a built-in file as generated, whose
	// expressions compile on first use (deferRule).
	var lazy []bool
	byID := map[string]int{}
	for _, f := range files {
		pre := precompiled(f) != nil
		for _, r := range decodeFile(f, &faults) {
			if i, ok := byID[r.id]; ok && r.id != "" {
				specs[i], lazy[i] = r, pre
				continue
			}
			byID[r.id] = len(specs)
			specs = append(specs, r)
			lazy = append(lazy, pre)
		}
	}
	if len(faults) == 0 && len(specs) > 0 && !slices.Contains(lazy, false) {
		return &Set{pending: &pendingSet{specs: specs}}, nil
	}
	s := &Set{}
	s.build(specs, lazy, &faults)
	if len(faults) > 0 {
		return nil, sortFaults(faults, files)
	}
	return s, nil
}

// build compiles specs into s, appending faults; lazy tells the specs
// whose expressions compile on first use.
func (s *Set) build(specs []*ruleSpec, lazy []bool, faults *Faults) {
	s.vocab, s.unesc = map[string]bool{}, -1
	c := &compiler{set: s, litIndex: map[string]int{}}
	analysed := make([]*analysis, len(specs))
	for i, r := range specs {
		analysed[i] = c.analyse(r, int32(i), faults)
	}
	for _, l := range errorish {
		c.lit(l).errish = true
	}
	for _, l := range errorKeys {
		li := c.lit(l)
		li.errish, li.errKey = true, true
	}
	nonASCII := false
	for _, l := range c.set.lits {
		if !isASCII(l.text) {
			nonASCII = true
		}
	}
	if nonASCII {
		c.set.unesc = c.litID(`\u`)
	}
	texts := make([]string, len(c.set.lits))
	c.set.blockSafe = true
	for i, l := range c.set.lits {
		texts[i] = l.text
		if strings.ContainsAny(l.text, "\n\r\uFEFF") {
			c.set.blockSafe = false
		}
	}
	c.set.auto = automaton.New(texts)
	for i, r := range specs {
		var cr *rule
		if lazy[i] && analysed[i].complete {
			cr = c.deferRule(r, analysed[i])
		} else {
			cr = c.compileRule(r, analysed[i], faults)
		}
		if i < len(c.ruleClauses) {
			cr.clauses = c.ruleClauses[i]
		}
		c.set.rules = append(c.set.rules, cr)
	}
	c.set.markQuiet()
}

func sortFaults(fs Faults, files []File) Faults {
	order := map[string]int{}
	for i, f := range files {
		if _, ok := order[f.Name]; !ok {
			order[f.Name] = i
		}
	}
	slices.SortStableFunc(fs, func(a, b Fault) int {
		if d := order[a.File] - order[b.File]; d != 0 {
			return d
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
	return fs
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

type compiler struct {
	set         *Set
	litIndex    map[string]int
	ruleClauses []int // by rule index: its number of clauses
}

func (c *compiler) litID(text string) int {
	if i, ok := c.litIndex[text]; ok {
		return i
	}
	c.set.lits = append(c.set.lits, litInfo{text: text})
	c.litIndex[text] = len(c.set.lits) - 1
	return len(c.set.lits) - 1
}

func (c *compiler) lit(text string) *litInfo { return &c.set.lits[c.litID(text)] }

// pos returns the file position of an expression error.
func (c *compiler) pos(r *ruleSpec, src *exprSrc, err error) (int, int) {
	var fe *file.Error
	if errors.As(err, &fe) {
		return r.posOf(src, fe.From)
	}
	return r.whenPos(src)
}

// posOf maps a rune offset of an expression to its file position.
func (r *ruleSpec) posOf(src *exprSrc, offset int) (int, int) {
	if src.node == nil {
		return r.line, r.col
	}
	return r.exprPos(src, offset)
}

func (r *ruleSpec) whenPos(src *exprSrc) (int, int) {
	if src == nil || src.node == nil {
		return r.line, r.col
	}
	return src.node.Line, src.node.Column
}

// compileRule compiles a rule's expressions, has() patched to read the
// prefilter's hits.
func (c *compiler) compileRule(r *ruleSpec, a *analysis, faults *Faults) *rule {
	out := newRule(r, a)
	if !a.complete {
		return out
	}
	c.compileExprs(out, r, a, faults)
	return out
}

// deferRule is compileRule for a rule of a built-in file as generated,
// whose expressions compile (TestBuiltinCompilesOnFirstUse): they compile on the
// rule's first use, so that a run compiles only the rules some record
// makes a candidate (none for an empty file). The compiler's literal
// index is read then; it no longer changes.
func (c *compiler) deferRule(r *ruleSpec, a *analysis) *rule {
	out := newRule(r, a)
	out.deferred = &deferredCompile{
		fn: func() { c.compileChecked(out, r, a) },
		programs: func() {
			var faults Faults
			c.compilePrograms(out, r, a, &faults)
		},
	}
	return out
}

// readyPrograms is ready, and then compiles the expr programs a rule
// compiled as checks only went without: for the tests that run a rule's
// programs against its checks.
func (r *rule) readyPrograms() {
	r.ready()
	if d := r.deferred; d != nil && r.runs && r.when == nil {
		d.programsOnce.Do(d.programs)
	}
}

func newRule(r *ruleSpec, a *analysis) *rule {
	return &rule{
		id: r.id, desc: r.desc, file: r.file, line: r.line,
		yieldID: r.yieldID, yieldPos: r.yieldPos, labels: r.labels, examples: r.examples, vocab: a.vocab,
		namesFields: srcNamesFields(a.whenSrc) || srcNamesFields(r.yield[0]) ||
			srcNamesFields(r.yield[1]) || srcNamesFields(r.yield[2]),
	}
}

func srcNamesFields(src *exprSrc) bool { return src != nil && strings.Contains(src.text, "Fields") }
