package rules

import (
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/expr-lang/expr/vm"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/internal/benchcorpus"
	"github.com/wedadiag/wedadiag/record"
)

// exprOnly returns s with its checks dropped: every expression runs on
// the expr VM, as before checks existed.
func exprOnly(s *Set) *Set {
	c := *s
	c.rules = make([]*rule, len(s.rules))
	for i, r := range s.rules {
		rr := *r
		rr.check, rr.yieldCheck, rr.mixed = nil, [3]strCheck{}, nil
		c.rules[i] = &rr
	}
	return &c
}

// diffSets are the rule sets the differential tests run: the built-in
// rules, testdata/rules.yaml, and both together.
func diffSets(t testing.TB) map[string]*Set {
	t.Helper()
	data, err := os.ReadFile("testdata/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	td := File{Name: "testdata/rules.yaml", Data: data}
	out := map[string]*Set{}
	for name, files := range map[string][]File{
		"builtin": Builtin(), "testdata": {td}, "builtin+testdata": append(Builtin(), td),
	} {
		s, err := Compile(files...)
		if err != nil {
			t.Fatal(err)
		}
		buildAll(s) // the tests read the rules' checks and programs
		out[name] = s
	}
	return out
}

// diffInputs are the records the differential test matches: every example
// of every rule of the sets, the fuzz seeds, the benchmark lines, and
// lines of the bench generator's corpora.
func diffInputs(t testing.TB, sets map[string]*Set, corpusLines int) []string {
	t.Helper()
	var in []string
	for _, s := range sets {
		for _, r := range s.rules {
			for _, ex := range r.examples {
				in = append(in, ex.Input)
			}
		}
	}
	in = append(in, fuzzSeeds()...)
	for _, l := range slices.Concat(benchBenign, benchErrors) {
		in = append(in, string(l))
	}
	in = append(in, strings.Split(strings.TrimSpace(benignLog), "\n")...)
	if corpusLines > 0 {
		cat, err := catalog.Default()
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range benchcorpus.BenchCases {
			o.Lines = corpusLines
			lines, _, err := benchcorpus.Sample(cat, o)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range lines {
				in = append(in, string(l))
			}
		}
	}
	slices.Sort(in)
	return slices.Compact(in)
}

// matchAndParse matches r, then parses it when the prefilter let it pass
// unparsed, so every rule can be evaluated on its Event.
func (m *Matcher) matchAndParse(r *record.Record) {
	if res := m.Match(r); res.Event != nil {
		return
	}
	slices.SortStableFunc(m.toks, cmpTok)
	ev := &m.env.Event
	m.p.Parse(ev, r, m.text, "")
	m.mentions = mentionsOf(ev)
}

// compareRules evaluates every rule of the Matcher's set, candidate or not,
// on the Matcher's current record with its check and with its expr
// program, and reports any difference. With ownCodes false each rule sees
// the Codes the Matcher gives it, else Event.Codes as they are. It returns
// the rules whose when held.
func compareRules(t *testing.T, m *Matcher, input string, ownCodes bool) (held []int) {
	t.Helper()
	for ri, r := range m.set.rules {
		if r.when == nil {
			continue
		}
		if !ownCodes {
			m.codes = m.codesFor(int32(ri), m.codes[:0])
			m.env.Codes = m.codes
		}
		out, err := m.vm.Run(r.when, &m.env)
		if err == nil && out.(bool) {
			held = append(held, ri)
		}
		if r.check != nil {
			if err != nil {
				t.Errorf("rule %s on %q: expr failed (%v) where the check gave an answer", r.id, input, err)
			} else if got, want := r.check(&m.env), out.(bool); got != want {
				t.Errorf("rule %s on %q (Codes %q): check says %v, expr %v", r.id, input, m.env.Codes, got, want)
			}
		}
		if r.mixed != nil {
			mixed, merr := m.vm.Run(r.mixed, &m.env)
			if (merr == nil) != (err == nil) || err == nil && mixed != out {
				t.Errorf("rule %s on %q (Codes %q): mixed program says %v (%v), expr %v (%v)", r.id, input, m.env.Codes, mixed, merr, out, err)
			}
		}
		for i, p := range r.yield {
			ch := r.yieldCheck[i]
			if p == nil || ch == nil {
				continue
			}
			out, err := m.vm.Run(p, &m.env)
			if err != nil {
				t.Errorf("rule %s yield %d on %q: expr failed (%v) where the check gave an answer", r.id, i, input, err)
			} else if got, want := ch(&m.env), out.(string); got != want {
				t.Errorf("rule %s yield %d on %q: check says %q, expr %q", r.id, i, input, got, want)
			}
		}
	}
	return held
}

// TestChecksAgreeWithExpr is the differential test: on every example of
// every built-in and testdata rule, the fuzz seeds and lines of every
// bench corpus, the checks answer what the expr programs answer, rule by
// rule (candidates or not), and whole Results are the same.
func TestChecksAgreeWithExpr(t *testing.T) {
	corpus := 1500
	if testing.Short() {
		corpus = 200
	}
	sets := diffSets(t)
	inputs := diffInputs(t, sets, corpus)
	for name, s := range sets {
		m, x := s.NewMatcher(), exprOnly(s).NewMatcher()
		matched := 0
		for _, in := range inputs {
			r := rec(in)
			got, want := m.Match(r), x.Match(r)
			if g, w := describeResult(got), describeResult(want); g != w {
				t.Errorf("%s on %q:\nchecks: %s\nexpr:   %s", name, in, g, w)
			}
			matched += len(got.Matches)
			m.matchAndParse(r)
			compareRules(t, m, in, false)
		}
		if matched == 0 {
			t.Errorf("%s: nothing matched: the comparison proves nothing", name)
		}
		t.Logf("%s: %d inputs, %d matches", name, len(inputs), matched)
	}
}

func describeResult(res Result) string {
	var b strings.Builder
	for _, mt := range res.Matches {
		b.WriteString(mt.Rule + "=>" + mt.ID + "|" + mt.Code + "|" + mt.Message + "|" + mt.Question + "; ")
	}
	for _, e := range res.Errors {
		b.WriteString("error " + e.Rule + ": " + e.Err.Error() + "; ")
	}
	if res.Suspect {
		b.WriteString("suspect")
	}
	return b.String()
}

// TestChecksAgreeOnRandomEvents evaluates every rule's check and program
// on made-up Events: random levels, statuses, codes and texts built from
// the rules' own literals, random prefilter hits.
func TestChecksAgreeOnRandomEvents(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	for name, s := range diffSets(t) {
		randomEvents(t, name, s, n, nil)
	}
}

// randomEvents compares checks and programs on n made-up Events, each
// evaluated twice: with the Codes the Matcher gives each rule and with
// random vocabulary codes. It returns how often each rule's when held.
func randomEvents(t *testing.T, name string, s *Set, n int, words []string) map[int]int {
	rnd := rand.New(rand.NewPCG(15, uint64(len(name))))
	quoted := regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)
	var vocab []string
	for _, r := range s.rules {
		for _, src := range r.exprSources() {
			for _, q := range quoted.FindAllStringSubmatch(src, -1) {
				words = append(words, q[1])
			}
		}
	}
	for c := range s.vocab {
		vocab = append(vocab, c)
	}
	slices.Sort(vocab)
	slices.Sort(words)
	pick := func(from []string) string { return from[rnd.IntN(len(from))] }
	text := func() string {
		var b strings.Builder
		for range rnd.IntN(4) {
			b.WriteString(pick(words))
			b.WriteString(pick([]string{" ", "", ": ", " x "}))
		}
		return b.String()
	}
	held := map[int]int{}
	m := s.NewMatcher()
	for i := range n {
		m.gen++
		for l := range m.litGen {
			if rnd.IntN(4) == 0 {
				m.litGen[l] = m.gen
			}
		}
		ev := &m.env.Event
		ev.Level = pick([]string{"", "debug", "info", "warn", "error", "fatal", "Info"})
		ev.Status = []int{0, 200, 402, 404, 430, 433, 434, 500, -1}[rnd.IntN(9)]
		ev.Code = pick(append([]string{"", "0", "X"}, vocab...))
		ev.ErrMessage = pick([]string{"", text()})
		ev.Raw, ev.Message = text(), text()
		ev.Source, ev.Path, ev.Format, ev.RequestID = pick([]string{"", "app"}), pick([]string{"", "/p"}),
			pick([]string{"json", "plain"}), pick([]string{"", "r1"})
		ev.Fields = []map[string]string{nil, {}, {"job": "nightly"}, {"job": "x", "env": "prod"}, {"env": ""}}[rnd.IntN(5)]
		m.toks = m.toks[:0]
		for _, ri := range compareRules(t, m, fmt.Sprintf("%s random event %d", name, i), false) {
			held[ri]++
		}
		// Codes as the Matcher never fills them: any vocabulary codes.
		ev.Codes = nil
		for range rnd.IntN(3) {
			ev.Codes = append(ev.Codes, pick(vocab))
		}
		for _, ri := range compareRules(t, m, fmt.Sprintf("%s random event %d, own Codes", name, i), true) {
			held[ri]++
		}
	}
	return held
}

// TestChecksAgreeOnEveryShape runs rules written to use every shape a
// check compiles (every operator, both sides of each) on random Events:
// each compiles to checks, each is true on some Events and false on
// others, and checks and programs always agree.
func TestChecksAgreeOnEveryShape(t *testing.T) {
	s, err := Compile(File{Name: "shapes.yaml", Data: []byte(shapeRules)})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range s.rules {
		if r.check == nil {
			t.Errorf("rule %s: when %q is no check", r.id, r.when.Source().String())
		}
		for i, p := range r.yield {
			if p != nil && r.yieldCheck[i] == nil {
				t.Errorf("rule %s: yield %q is no check", r.id, p.Source().String())
			}
		}
	}
	n := 4000
	held := randomEvents(t, "shapes", s, n, []string{"alpha7", "alllpha1", "中文é", "al", "error", "Code.X"})
	for ri, r := range s.rules {
		if held[ri] == 0 || held[ri] == 2*n {
			t.Errorf("rule %s held on %d of %d Events: the comparison proves little", r.id, held[ri], 2*n)
		}
	}
}

// TestMixedProgramsAgreeWithExpr: a when that is no check as a whole runs
// on the VM with its largest check parts called as checks; on random
// Events it answers what the plain program does. A when that declares a
// variable keeps the plain program.
func TestMixedProgramsAgreeWithExpr(t *testing.T) {
	s, err := Compile(File{Name: "mixed.yaml", Data: []byte(mixedRules)})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range s.rules {
		if want := r.id != "let"; r.check != nil || (r.mixed != nil) != want {
			t.Errorf("rule %s: check %v, mixed program %v, want %v", r.id, r.check != nil, r.mixed != nil, want)
		}
	}
	n := 3000
	held := randomEvents(t, "mixed", s, n, []string{"alpha7", "ERROR", "x ", "FailedOperation"})
	for ri, r := range s.rules {
		if held[ri] == 0 || held[ri] == 2*n {
			t.Errorf("rule %s held on %d of %d Events: the comparison proves little", r.id, held[ri], 2*n)
		}
	}
}

const mixedRules = `rules:
  - id: upper
    prefilter: [alpha]
    when: 'upper(Level) == "ERROR" && (has("alpha") || Status == 433) || lower(Raw) contains "beta"'
    yield: {id: faq/x}
  - id: predicate
    codes: [FailedOperation, UserError.DsNotFound]
    prefilter: [alpha]
    when: 'any(Codes, # startsWith "Fail" && Level != "debug") && Status != 500 || Message + Raw == "alpha7alpha7"'
    yield: {id: faq/x}
  - id: let
    prefilter: [alpha]
    when: 'let lvl = Level; lvl == "error" && Raw contains "alpha" || Status in [433, 434] && trim(Message) == "x"'
    yield: {id: faq/x}
`

const shapeRules = `rules:
  - id: words
    prefilter: [alpha]
    when: 'Raw contains "alpha" and not (Message startsWith "beta") or Message endsWith "gamma"'
    yield: {code: 'Level == "error" ? Code : "Fallback.Code"', message: 'ErrMessage != "" ? ErrMessage : Message', question: Raw}
  - id: sets
    prefilter: [alpha]
    when: 'Level in ["error", "fatal", "warn"] && Level not in ["warn"] || Raw matches "al+pha[0-9]"'
    yield: {id: faq/x}
  - id: index
    prefilter: [alpha]
    when: >-
      indexOf(Raw, "beta") == -1 && indexOf(Message, "alpha") < 0 ||
      indexOf(Raw, "alpha") > -1 && indexOf(Raw, "alpha") != -1 && indexOf(Raw, "al") == 0 ||
      indexOf(Message, "gamma") >= 0 && indexOf(Message, "x") <= -1
    yield: {id: faq/x}
  - id: numbers
    prefilter: [alpha]
    when: 'len(Raw) > 5 && len(Raw) <= 40 && -Status < -400 && +Status >= 400 && Status != 404 || len(Codes) == 2 || Status in [-1, 433] && Raw not contains "alpha" && Raw not startsWith "x"'
    yield: {id: faq/x}
  - id: codes
    codes: [UserError.DsNotFound, FailedOperation, "100009"]
    prefilter: [alpha, beta, UserError.DsNotFound]
    when: >-
      (Code in Codes) == ("FailedOperation" in Codes) && !has("alpha") ||
      has("beta") && "100009" in Codes || (Level == "warn" ? Status > 0 : Status == 0) && len(Codes) > 0
    yield: {code: bestCode(), message: '"fixed"'}
  - id: fields
    prefilter: [alpha]
    when: >-
      Code == Message || Raw != Message && (Level == "" ? 1 : 2) == 1 ||
      indexOf(Raw, Message) >= 0 && Message startsWith Code && Raw endsWith Level && Raw contains ErrMessage ||
      (RequestID == "r1") != (Source == "app") && Path != "" && Format == "json"
    yield: {id: faq/x}
  - id: lengths
    prefilter: [alpha]
    when: 'len(Message) == 3 || len(Raw) == 7'
    yield: {id: faq/x}
  - id: fields-map
    prefilter: [alpha]
    when: 'Fields["job"] == "nightly" || Fields.env != "prod" && "job" in Fields || Fields["env"] == "" && !("env" in Fields)'
    yield: {code: 'Fields["job"]', message: Fields.env}
  - id: constants
    prefilter: [alpha]
    when: '(true && !false) == (Level == "error") || (Status == 0 ? true : false) && "a" != "b"'
    yield: {id: faq/x}
`

// exprSources returns the rule's expression texts, for test inputs.
func (r *rule) exprSources() []string {
	var out []string
	for _, p := range append([]*vm.Program{r.when}, r.yield[:]...) {
		if p != nil {
			out = append(out, p.Source().String())
		}
	}
	return out
}

// TestBuiltinRulesAreChecks: every built-in rule, and every rule of
// testdata/rules.yaml, runs as a check: no built-in rule needs the VM.
func TestBuiltinRulesAreChecks(t *testing.T) {
	for name, s := range diffSets(t) {
		for _, r := range s.rules {
			if r.when != nil && r.check == nil {
				t.Errorf("%s: rule %s: when %q did not compile to a check", name, r.id, r.when.Source().String())
			}
			for i, p := range r.yield {
				if p != nil && r.yieldCheck[i] == nil {
					t.Errorf("%s: rule %s: yield %q did not compile to a check", name, r.id, p.Source().String())
				}
			}
		}
	}
}

// TestUncompiledShapesRunOnExpr: a rule whose expressions have parts no
// check knows (a builtin like upper, string +) still runs, on the VM.
func TestUncompiledShapesRunOnExpr(t *testing.T) {
	s, err := Compile(File{Name: "x.yaml", Data: []byte(`rules:
  - id: by-field
    prefilter: [nightly]
    when: 'Fields["job"] == "nightly" && upper(Level) == "ERROR"'
    yield: {id: faq/x}
  - id: shout
    when: 'has("boom") && Level in ["error", "fatal"]'
    yield: {message: 'Message + "!"'}
`)})
	if err != nil {
		t.Fatal(err)
	}
	byField, shout := s.rules[0], s.rules[1]
	if byField.check != nil || byField.mixed == nil {
		t.Errorf("by-field: check %v, mixed program %v: want no check, a mixed program", byField.check != nil, byField.mixed != nil)
	}
	if shout.check == nil || shout.yieldCheck[1] != nil {
		t.Errorf("shout: when check %v, message check %v: want a when check, no message check",
			shout.check != nil, shout.yieldCheck[1] != nil)
	}
	m := s.NewMatcher()
	res := m.Match(rec(`{"level":"error","job":"nightly","msg":"boom at 3"}`))
	if got := strings.Join(found(res), " "); got != "by-field=>faq/x shout=>code:" || len(res.Errors) > 0 {
		t.Fatalf("matches %q, errors %v", got, res.Errors)
	}
	if msg := res.Matches[1].Message; msg != "boom at 3!" {
		t.Errorf("expr yield gave %q", msg)
	}
	if res := m.Match(rec(`{"level":"info","job":"nightly","msg":"boom at 4"}`)); len(res.Matches) != 0 {
		t.Errorf("info record matched: %v", found(res))
	}
}

// TestMatchAllocs: the rules themselves allocate nothing. A record the
// prefilter passes costs what its parse allocates (package parse: Raw and
// the fields it keeps) and no more, whether no rule matches it or several
// do; the error lines of other formats than JSON stay within 3.
func TestMatchAllocs(t *testing.T) {
	s, err := Compile(Builtin()...)
	if err != nil {
		t.Fatal(err)
	}
	m := s.NewMatcher()
	for _, tc := range []struct {
		line    string
		matches int
		max     float64 // -1: only no more than the parse
	}{
		{"2024-06-21 08:00:01 INFO retry policy covers UserError.DsNotFound and FnError.HTTP.NetworkError", 0, 3},
		// (errCode: 0 and "code":0 no longer pass the prefilter: a value
		// other than a success, a numeric code at debug level do.)
		{"2024-06-21 08:00:01 INFO 查询成功 errCode: 7", 0, 3},
		{`{"level":"debug","msg":"ok","code":100009}`, 0, -1},
		{string(benchErrors[0]), 3, -1},
		{string(benchErrors[1]), 3, -1},
		{string(benchErrors[2]), 2, 3},
		{string(benchErrors[3]), 1, 3},
		{string(benchErrors[4]), 1, 3},
	} {
		r := rec(tc.line)
		res := m.Match(r)
		if len(res.Matches) != tc.matches || res.Event == nil {
			t.Fatalf("%q: %d matches %v, want %d", tc.line, len(res.Matches), found(res), tc.matches)
		}
		var ev = *res.Event
		parse := testing.AllocsPerRun(100, func() { m.p.Parse(&ev, r, m.p.Text(r, ""), "") })
		n := testing.AllocsPerRun(100, func() { m.Match(r) })
		if n > parse {
			t.Errorf("%q: %v allocs per record, its parse %v: rules allocate", tc.line, n, parse)
		}
		if tc.max >= 0 && n > tc.max {
			t.Errorf("%q: %v allocs per record, want ≤ %v", tc.line, n, tc.max)
		}
	}
}

// FuzzChecksAgree matches arbitrary records with the built-in and testdata
// rules, once with checks and once on the VM alone: the Results are the
// same, and every rule's check answers what its program does on the parsed
// record.
func FuzzChecksAgree(f *testing.F) {
	sets := diffSets(f)
	s := sets["builtin+testdata"]
	for _, in := range diffInputs(f, map[string]*Set{"": s}, 0) {
		f.Add(in)
	}
	m, x := s.NewMatcher(), exprOnly(s).NewMatcher()
	f.Fuzz(func(t *testing.T, in string) {
		r := rec(in)
		if g, w := describeResult(m.Match(r)), describeResult(x.Match(r)); g != w {
			t.Fatalf("on %q:\nchecks: %s\nexpr:   %s", in, g, w)
		}
		m.matchAndParse(r)
		compareRules(t, m, in, false)
	})
}
