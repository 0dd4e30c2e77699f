package rules

import (
	"bytes"
	"slices"
	"strings"
	"time"

	"github.com/expr-lang/expr/vm"

	"github.com/wedadiag/wedadiag/internal/automaton"
	"github.com/wedadiag/wedadiag/parse"
	"github.com/wedadiag/wedadiag/record"
)

// Matcher matches records against a Set. It owns the expression VM and
// every buffer, so matching a record that no rule is a candidate for
// allocates nothing. Not safe for concurrent use: one per goroutine.
type Matcher struct {
	set *Set
	vm  vm.VM
	p   *parse.Parser
	env env

	gen       uint32
	litGen    []uint32 // litGen[l] == gen: literal l occurs in this record
	clauseGen []uint32 // clauseGen[c] == gen: clause c is satisfied
	ruleGen   []uint32 // ruleGen[r] == gen: ruleSat[r] counts this record's satisfied clauses
	ruleSat   []int32
	cands     []int32
	hits      []automaton.Hit
	toks      []tokHit // whole-token vocabulary occurrences, in order
	errish    bool
	needUnes  bool
	text      []byte // the record's text as scanned
	unesc     []byte // its \u-unescaped form, when it was scanned too
	scanUnes  bool   // note is reading the unescaped text
	mentions  mentionMode
	numBuf    [24]byte // a number without its thousands separators

	codes   []string
	union   []string
	matches []Match
	errs    []RuleError
}

// env is what a rule's expressions run against: the Event's fields are its
// variables (the embedded Event's own name is not one), and has() reads
// the Matcher's prefilter hits through it.
type env struct {
	parse.Event `expr:"-"`
	m           *Matcher
}

type tokHit struct {
	lit   uint32
	start uint32
	unesc bool // found in the \u-unescaped text, not the record's text
}

func cmpTok(a, b tokHit) int { return int(a.start) - int(b.start) }

// SetLocation sets the zone of times that records write without one (nil:
// the machine's).
func (m *Matcher) SetLocation(loc *time.Location) { m.p.Loc = loc }

// NewMatcher returns a Matcher over the set.
func (s *Set) NewMatcher() *Matcher {
	s.ready()
	m := &Matcher{
		set:       s,
		litGen:    make([]uint32, len(s.lits)),
		clauseGen: make([]uint32, len(s.clauses)),
		ruleGen:   make([]uint32, len(s.rules)),
		ruleSat:   make([]int32, len(s.rules)),
	}
	m.p = parse.New(func(c string) bool { return s.vocab[c] })
	m.p.SkipFieldMap = !s.namesFields()
	m.env.m = m
	return m
}

func (m *Matcher) seen(lit int) bool {
	return lit >= 0 && lit < len(m.litGen) && m.litGen[lit] == m.gen
}

// Match finds what the set's rules find in one record. The result, and
// everything it points to, is valid until the next call.
func (m *Matcher) Match(rec *record.Record) Result { return m.MatchFormat(rec, "") }

// MatchFormat is Match for a record of a source that declared its format
// (one of parse.InputFormats):
// json (every record is a JSON object: one that is not, or breaks off,
// counts as broken_json), access (an access line), plain (text only: no
// JSON, logfmt or access parsing), scf or auto (recognised per record).
func (m *Matcher) MatchFormat(rec *record.Record, format string) Result {
	return m.match(rec, format, nil, 0, false)
}

// ScanBlock appends to hits the occurrences of the set's literals in
// block, a run of whole lines read ahead, and reports whether they may
// stand for each line's own scan (MatchHits): no literal holds a line
// break or a byte-order mark, so none crosses from one line to the next
// or reaches into what the framer trims off a line. When they may not,
// hits comes back as it was.
func (m *Matcher) ScanBlock(block []byte, hits []automaton.Hit) ([]automaton.Hit, bool) {
	if !m.BlockScans() {
		return hits, false
	}
	return m.set.auto.Scan(block, hits), true
}

// BlockScans reports whether ScanBlock finds the set's literals: whether
// a caller should gather lines into a block at all.
func (m *Matcher) BlockScans() bool { return m.set.blockSafe }

// MatchHits is MatchFormat for a record whose literals were found already:
// hits are those of ScanBlock's hits of a block that lie inside the
// record, whose text starts at offset base of the block (End-base is the
// end in rec.Text): the hits of exactly rec.Text's bytes. When the parser
// has to change the text (a NUL, invalid UTF-8), or a hit does not fit
// inside it, the text is scanned as MatchFormat scans it.
func (m *Matcher) MatchHits(rec *record.Record, format string, hits []automaton.Hit, base uint32) Result {
	return m.match(rec, format, hits, base, true)
}

func (m *Matcher) match(rec *record.Record, format string, known []automaton.Hit, base uint32, useKnown bool) Result {
	text := m.p.Text(rec, format)
	// The caller's hits are those of text when the parser left the
	// record's own bytes as they were (no NUL or invalid UTF-8 to mend).
	useKnown = useKnown && len(text) == len(rec.Text) && (len(text) == 0 || &text[0] == &rec.Text[0])
	if useKnown && (len(known) == 0 || m.quietHits(text, known, base)) {
		// Most lines: the block scan found no literal in them, or only
		// quiet ones ("code":0). Only the bad reasons to tell.
		return Result{Bad: m.p.Bad()}
	}
	m.gen++
	if m.gen == 0 {
		clear(m.litGen)
		clear(m.clauseGen)
		clear(m.ruleGen)
		m.gen = 1
	}
	m.cands = m.cands[:0]
	m.toks = m.toks[:0]
	m.errish, m.needUnes = false, false
	res := Result{}

	m.text, m.unesc, m.scanUnes = text, nil, false
	// The caller's hits, when taken, were found not quiet above.
	scanned := !useKnown || !m.takeHits(known, base, len(text))
	if scanned {
		m.hits = m.set.auto.Scan(text, m.hits[:0])
	}
	if len(m.hits) == 0 || scanned && m.quietHits(text, m.hits, 0) {
		res.Bad = m.p.Bad()
		return res
	}
	m.note(text)
	if m.needUnes && bytes.Contains(text, []byte(`\u`)) {
		unesc := m.p.Unescaped(text)
		m.unesc, m.scanUnes = unesc, true
		m.hits = m.set.auto.Scan(unesc, m.hits[:0])
		m.note(unesc)
	}
	if len(m.set.statusClauses) > 0 {
		m.checkStatusClauses()
	}
	if len(m.cands) == 0 && !m.errish {
		res.Bad = m.p.Bad()
		return res
	}

	// Keys of long literals end before the literals do: put the codes in
	// the order they appear.
	if len(m.toks) > 1 && !slices.IsSortedFunc(m.toks, cmpTok) {
		slices.SortStableFunc(m.toks, cmpTok)
	}
	ev := &m.env.Event
	m.p.Parse(ev, rec, text, format)
	m.mentions = mentionsUnknown
	m.union = m.codesFor(-1, m.union[:0])
	slices.Sort(m.cands)
	m.matches = m.matches[:0]
	m.errs = m.errs[:0]
	if ev.Format == parse.FormatDocs || ev.Format == parse.FormatMetrics {
		// Text about errors (a docs table, a changelog, a metric): no rule
		// runs on it.
		m.cands = m.cands[:0]
	}
	for _, ri := range m.cands {
		r := m.set.rules[ri]
		r.ready()
		if !r.runs {
			continue
		}
		m.codes = m.codesFor(ri, m.codes[:0])
		ev.Codes = m.codes
		if r.check != nil {
			if !r.check(&m.env) {
				continue
			}
		} else {
			p := r.when
			if r.mixed != nil {
				p = r.mixed
			}
			out, err := m.vm.Run(p, &m.env)
			if err != nil {
				m.errs = append(m.errs, RuleError{Rule: r.id, Err: err})
				continue
			}
			if ok, _ := out.(bool); !ok {
				continue
			}
		}
		mt := Match{Rule: r.id, ID: r.yieldID, Labels: r.labels, Event: ev}
		if r.yieldID == "" {
			var vals [3]string
			failed := false
			for i, p := range r.yield {
				if ch := r.yieldCheck[i]; ch != nil {
					vals[i] = ch(&m.env)
					continue
				}
				if p == nil {
					continue
				}
				out, err := m.vm.Run(p, &m.env)
				if err != nil {
					m.errs = append(m.errs, RuleError{Rule: r.id, Err: err})
					failed = true
					break
				}
				vals[i], _ = out.(string)
			}
			if failed || vals == [3]string{} {
				continue
			}
			mt.Code, mt.Message, mt.Question = parse.NormCode(vals[0]), vals[1], vals[2]
		}
		m.matches = append(m.matches, mt)
	}
	ev.Codes = m.union
	res.Event = ev
	res.Matches = m.matches
	res.Errors = m.errs
	res.ErrorLike = m.errish && errorLike(ev)
	res.Suspect = res.ErrorLike && len(m.matches) == 0
	res.Bad = m.p.Bad()
	return res
}

// note records what the hits of one scan of text mean: the literals seen,
// the candidate rules, the whole-token codes.
func (m *Matcher) note(text []byte) {
	lits := m.set.lits
	auto := m.set.auto
	for _, h := range m.hits {
		li := &lits[h.Lit]
		if m.litGen[h.Lit] != m.gen {
			m.litGen[h.Lit] = m.gen
			for _, c := range li.any {
				m.satisfy(c)
			}
			if li.errish && !li.errKey {
				m.errish = true
			}
			if int(h.Lit) == m.set.unesc {
				m.needUnes = true
			}
		}
		if len(li.vocab) == 0 && len(li.token) == 0 && !li.codeKey && !li.errKey {
			continue
		}
		start := h.End - auto.Len(h.Lit)
		if li.errKey && !m.errish && !successAfterKey(text, int(h.End)) {
			m.errish = true
		}
		if li.codeKey {
			if ds, de, ok := proseNumberAfter(text, int(h.End)); ok {
				if cl := m.numClauses(text[ds:de]); len(cl) > 0 && parse.ProseKeyBefore(text, ds) {
					m.satisfyAll(cl)
				}
			}
			if ds, de, ok := numberAfterKey(text, int(start), int(h.End)); ok {
				m.satisfyAll(m.numClauses(text[ds:de]))
			}
		}
		if len(li.vocab) == 0 && len(li.token) == 0 {
			continue
		}
		if !tokenCounts(text, int(start), int(h.End), li.numeric) {
			continue
		}
		m.toks = append(m.toks, tokHit{lit: h.Lit, start: start, unesc: m.scanUnes})
		for _, c := range li.token {
			m.satisfy(c)
		}
	}
}

// tokenCounts reports whether a hit text[start:end] of a code counts as
// one: a whole token, and a number only where a code stands.
func tokenCounts(text []byte, start, end int, numeric bool) bool {
	return wholeToken(text, start, end, numeric) && (!numeric || codePosition(text, start) ||
		parse.ProseKeyBefore(text, numStart(text, start)))
}

// checkStatusClauses satisfies the status clauses whose number
// the record holds, of the rules whose other clauses all hold.
func (m *Matcher) checkStatusClauses() {
	for i := range m.set.statusClauses {
		d := &m.set.statusClauses[i]
		if m.clauseGen[d.clause] == m.gen {
			continue
		}
		sat := int32(0)
		if m.ruleGen[d.rule] == m.gen {
			sat = m.ruleSat[d.rule]
		}
		if int(sat+d.open) < m.set.rules[d.rule].clauses {
			continue
		}
		for _, n := range d.nums {
			if hasWholeNumber(m.text, n) || m.unesc != nil && hasWholeNumber(m.unesc, n) {
				m.satisfy(d.clause)
				break
			}
		}
	}
}

// numClauses returns the clauses that num, a number in a code position,
// satisfies: none unless it is one of the set's numeric codes.
func (m *Matcher) numClauses(num []byte) []int32 {
	if len(num) < m.set.numLen[0] || len(num) > m.set.numLen[1]+m.set.numLen[1]/3 {
		return nil // "code":0 and the like, without a map lookup
	}
	return m.set.numCodes[string(numText(num, &m.numBuf))]
}

func (m *Matcher) satisfyAll(clauses []int32) {
	for _, c := range clauses {
		m.satisfy(c)
	}
}

// satisfy marks a prefilter clause satisfied; a rule whose clauses all
// are becomes a candidate.
func (m *Matcher) satisfy(c int32) {
	if m.clauseGen[c] == m.gen {
		return
	}
	m.clauseGen[c] = m.gen
	r := m.set.clauses[c]
	if m.ruleGen[r] != m.gen {
		m.ruleGen[r] = m.gen
		m.ruleSat[r] = 0
	}
	m.ruleSat[r]++
	if int(m.ruleSat[r]) == m.set.rules[r].clauses {
		m.cands = append(m.cands, r)
	}
}

// codesFor appends the codes rule ri sees (every rule's when ri < 0): Code
// first when it is in the vocabulary, then the whole-token codes in order
// of appearance; a number only when it is Code.
func (m *Matcher) codesFor(ri int32, dst []string) []string {
	var vocab map[string]bool
	if ri >= 0 {
		vocab = m.set.rules[ri].vocab
	} else {
		vocab = m.set.vocab
	}
	code := m.env.Code
	if code != "" && vocab[code] {
		dst = append(dst, code)
	}
	for _, t := range m.toks {
		li := &m.set.lits[t.lit]
		if li.code == "" || (ri >= 0 && !slices.Contains(li.vocab, ri)) {
			continue
		}
		if li.numeric && li.code != code {
			continue
		}
		if li.code != code && !m.occurrence(t) {
			continue
		}
		if !slices.Contains(dst, li.code) {
			dst = append(dst, li.code)
		}
	}
	return dst
}

// errorLike decides whether a parsed record looks like an error.
func errorLike(ev *parse.Event) bool {
	if ev.Format == parse.FormatDocs || ev.Format == parse.FormatMetrics {
		return false
	}
	switch ev.Level {
	case "error", "fatal":
		return true
	case "debug", "info", "warn":
		return false
	}
	if ev.Status >= 500 {
		return true
	}
	if ev.Code != "" && !successCode(ev.Code) {
		return true
	}
	for _, s := range errorMarkers {
		if strings.Contains(ev.Raw, s) {
			return true
		}
	}
	return false
}

var errorMarkers = []string{
	"Error:", `"Error":`, "Exception", "Traceback (most recent call last)", "panic:",
	"FATAL", "ERROR", "Uncaught", "错误", "失败", "异常", "报错",
}

func successCode(c string) bool {
	switch c {
	case "0", "200", "OK", "ok", "SUCCESS", "Success", "success", "null", "undefined", "":
		return true
	}
	return false
}

// takeHits makes hits, ends less base, the record's hits, and reports
// whether every one lies inside a text of n bytes: a caller's hits that do
// not are not trusted (the text is scanned instead).
func (m *Matcher) takeHits(hits []automaton.Hit, base uint32, n int) bool {
	m.hits = m.hits[:0]
	for _, h := range hits {
		end, ok := m.hitEnd(h, base, n)
		if !ok {
			return false
		}
		m.hits = append(m.hits, automaton.Hit{Lit: h.Lit, End: end})
	}
	return true
}

// hitEnd is where hit h, found at base, ends in a text of n bytes, and
// whether the whole literal lies inside that text.
func (m *Matcher) hitEnd(h automaton.Hit, base uint32, n int) (uint32, bool) {
	end := h.End - base
	return end, h.End >= base && int(end) <= n && end >= m.set.auto.Len(h.Lit)
}
