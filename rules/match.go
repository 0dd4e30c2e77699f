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

	text := m.p.Text(rec, format)
	m.text, m.unesc, m.scanUnes = text, nil, false
	m.hits = m.set.auto.Scan(text, m.hits[:0])
	if len(m.hits) == 0 {
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
	m.mentions = mentionsOf(ev)
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
		if r.when == nil {
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
				if p == nil {
					continue
				}
				if ch := r.yieldCheck[i]; ch != nil {
					vals[i] = ch(&m.env)
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
		// A number counts only as Code: it must stand where a code does.
		if !wholeToken(text, int(start), int(h.End), li.numeric) || li.numeric && !codePosition(text, int(start)) &&
			!parse.ProseKeyBefore(text, numStart(text, int(start))) {
			continue
		}
		m.toks = append(m.toks, tokHit{lit: h.Lit, start: start, unesc: m.scanUnes})
		for _, c := range li.token {
			m.satisfy(c)
		}
	}
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

// hasWholeNumber reports whether n, a number, occurs in text not as part
// of a longer one.
func hasWholeNumber(text, n []byte) bool {
	for off := 0; ; {
		i := bytes.Index(text[off:], n)
		if i < 0 {
			return false
		}
		i += off
		end := i + len(n)
		if (i == 0 || !isDigit(text[i-1])) && (end == len(text) || !isDigit(text[end])) {
			return true
		}
		off = i + 1
	}
}

// codePosition reports whether what starts at text[start] stands where the
// parser looks for a code: after a key ending in "ode" (code, Code,
// errCode, errorCode, error_code, Response.Error.Code) and ':' or '=', with
// quotes, backslashes and spaces around, or inside "[…]". It is a cheap
// necessary condition: a number elsewhere can never be Event.Code, so the
// record need not be parsed for it.
func codePosition(text []byte, start int) bool {
	i := start - 1
	for i >= 0 && isCodeGap(text[i]) {
		i--
	}
	if i < 0 {
		return false
	}
	switch text[i] {
	case '[':
		return true
	case ':', '=':
	default:
		return false
	}
	i--
	for i >= 0 && isCodeGap(text[i]) {
		i--
	}
	return i >= 2 && text[i-2] == 'o' && text[i-1] == 'd' && text[i] == 'e'
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

// numberAfterKey finds the number that follows text[start:end], a code
// key (codeKeys), where a code position holds one: after a key that is a
// word of its own or the end of errCode, errorCode, error_code, Error.Code
// (not statusCode), then ':' or '=' and a whole number, quotes and spaces
// allowed around; or between brackets. text[ds:de] is the number, its sign
// and thousands separators included. (proseNumberAfter finds the number
// after a code word of a sentence.)
func numberAfterKey(text []byte, start, end int) (ds, de int, ok bool) {
	if text[start] == '[' {
		i := end
		if i < len(text) && text[i] == '-' {
			i++
		}
		d := i
		for i < len(text) && (isDigit(text[i]) || text[i] == ',' && i+1 < len(text) && isDigit(text[i+1])) {
			i++
		}
		return end, i, i > d && i < len(text) && text[i] == ']'
	}
	j := start
	k := j
	if k > 0 && text[k-1] == '_' {
		k--
	}
	for _, p := range [...]string{"error", "Error", "ERROR", "err", "Err", "ERR"} {
		if k >= len(p) && string(text[k-len(p):k]) == p {
			j = k - len(p)
			break
		}
	}
	if j > 0 && isWordByte(text[j-1]) {
		return 0, 0, false // statusCode, encode, …
	}
	i := end
	for i < len(text) && isCodeGap(text[i]) {
		i++
	}
	if i >= len(text) || text[i] != ':' && text[i] != '=' {
		return 0, 0, false
	}
	i++
	for i < len(text) && isCodeGap(text[i]) {
		i++
	}
	ds = i
	if i < len(text) && text[i] == '-' {
		i++
	}
	d := i
	for i < len(text) && (isDigit(text[i]) || text[i] == ',' && i+1 < len(text) && isDigit(text[i+1])) {
		i++
	}
	// A whole number: 100009-1 or 100009.5 is not a code.
	ok = i > d && (i == len(text) || !isTokenByte(text[i]) && text[i] != '-' ||
		text[i] == '.' && (i+1 == len(text) || !isTokenByte(text[i+1])))
	return ds, i, ok
}

// proseNumberAfter finds a whole number that follows text[:end] after the
// separator of a code word of a sentence: "错误码：100009", "(code 100009)",
// "error code -504002". The caller checks the code word
// (parse.ProseKeyBefore at ds) when the number is worth it.
func proseNumberAfter(text []byte, end int) (ds, de int, ok bool) {
	i := end
	for i < len(text) {
		switch {
		case text[i] == ' ' || text[i] == ':' || text[i] == '=' || text[i] == '\t':
			i++
			continue
		case i+3 <= len(text) && (string(text[i:i+3]) == "：" || string(text[i:i+3]) == "为" || string(text[i:i+3]) == "是"):
			i += 3
			continue
		}
		break
	}
	d := i
	if i < len(text) && text[i] == '-' {
		i++
	}
	n := i
	for i < len(text) && (isDigit(text[i]) || text[i] == ',' && i > n && i+1 < len(text) && isDigit(text[i+1])) {
		i++
	}
	if i == n || i < len(text) && (isWordByte(text[i]) || text[i] == '-' || text[i] == ':' ||
		text[i] == '.' && i+1 < len(text) && isDigit(text[i+1])) {
		return 0, 0, false
	}
	return d, i, true
}

// numText returns num, a number, without its thousands separators (in buf
// when it has some): the form the set's numeric codes are kept in.
func numText(num []byte, buf *[24]byte) []byte {
	if bytes.IndexByte(num, ',') < 0 {
		return num
	}
	out := buf[:0]
	for _, c := range num {
		if c != ',' {
			if len(out) == len(buf) {
				return num
			}
			out = append(out, c)
		}
	}
	return out
}

// successAfterKey reports whether a success code (0, 200, OK, success, …)
// is the value after a key that ends at text[end]: `"errCode":0`,
// `errCode=0`. Anything else, or no value, is not known to be a success.
func successAfterKey(text []byte, end int) bool {
	i := end
	for i < len(text) && isCodeGap(text[i]) {
		i++
	}
	if i >= len(text) || text[i] != ':' && text[i] != '=' {
		return false
	}
	i++
	for i < len(text) && isCodeGap(text[i]) {
		i++
	}
	v := i
	for i < len(text) && isWordByte(text[i]) {
		i++
	}
	if i == v || i < len(text) && (text[i] == '.' || text[i] == '-') {
		return false
	}
	switch string(text[v:i]) {
	case "0", "200", "OK", "ok", "SUCCESS", "Success", "success", "null", "undefined":
		return true // successCode's, but ""
	}
	return false
}

// numStart is where a number token that starts at start begins with its
// sign.
func numStart(text []byte, start int) int {
	if start > 0 && text[start-1] == '-' {
		return start - 1
	}
	return start
}

func isCodeGap(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '\'' || c == '\\'
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

// wholeToken reports whether text[start:end] is a whole token: no token
// character ([A-Za-z0-9_.], and '-' for numbers) touches it on either side,
// except a '.' that ends a sentence.
func wholeToken(text []byte, start, end int, numeric bool) bool {
	if start > 0 {
		c := text[start-1]
		if isTokenByte(c) || numeric && (c == '-' || c == ',' && start > 1 && isDigit(text[start-2])) {
			return false
		}
	}
	if end < len(text) {
		c := text[end]
		if c == '.' {
			if end+1 < len(text) && isTokenByte(text[end+1]) {
				return false
			}
		} else if isTokenByte(c) || numeric && (c == '-' || c == ',' && end+1 < len(text) && isDigit(text[end+1])) {
			return false
		}
	}
	return true
}

func isTokenByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
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
