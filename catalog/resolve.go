package catalog

import (
	"sort"
	"strings"
)

// Resolution is the row a code or message found in a record resolves to,
// with the other rows the record fits as well as that one.
type Resolution struct {
	// Entry is the row diagnosed; nil when nothing resolves.
	Entry *Entry
	// Full reports that one of the entry's messages was found whole.
	Full bool
	// Generic reports a code whose message fits none of its rows,
	// diagnosed on the code's generic row (or its first row).
	Generic bool
	// Alternatives are the other rows the record fits as well as Entry
	// (same code, same message, no context word telling them apart), or,
	// for a generic diagnosis, the code's rows its context points at; at
	// most MaxAlternatives, best first.
	Alternatives []*Entry
}

// MaxAlternatives bounds Resolution.Alternatives.
const MaxAlternatives = 12

// msgRank orders how well a text carries a row's messages: an exact
// literal message first, then any whole message by literal bytes, then
// fewer placeholders; a partial match (a long enough prefix) last.
type msgRank struct {
	exact bool // the text is the message, literally
	full  bool
	score int // literal bytes matched
	holes int
}

func (a msgRank) better(b msgRank) bool {
	switch {
	case a.full != b.full:
		return a.full
	case a.exact != b.exact:
		return a.exact
	case a.score != b.score:
		return a.score > b.score
	}
	return a.holes < b.holes
}

// ok reports a rank that identifies the row: a whole message, or a
// telling prefix of one.
func (a msgRank) ok() bool { return a.full || a.score >= minPartialBytes }

// minPartialBytes is how much of a message's first literal a cut-off
// message must show to count (normalised bytes).
const minPartialBytes = 12

// rank returns the best rank of the row's messages in normalised text.
func (e *Entry) rank(norm string) msgRank {
	var best msgRank
	for _, t := range e.tmpls {
		if r := t.rank(norm); r.better(best) {
			best = r
		}
	}
	return best
}

// rank is how well normalised text carries the template.
func (t template) rank(norm string) msgRank {
	score, full := t.match(norm)
	r := msgRank{full: full, score: score, holes: t.holes}
	if full && t.holes == 0 && len(t.segments) == 1 && trimStop(norm) == trimStop(t.segments[0]) {
		r.exact = true
	}
	return r
}

func trimStop(s string) string { return strings.TrimRight(s, ".!") }

// ResolveCode resolves a code found in a record: msg is the record's
// error message ("" when it has none), record the record's whole text (for
// the message when msg does not carry it, and for context words). Among
// the code's rows — and the rows of codes below it in Tencent Cloud's
// dotted hierarchy, when the message names one — the rows whose message
// the text carries best win; rows that tie are told apart by the context
// words of their 接口 and 场景 (撤销/revoke, 审批/approve …) found in the
// record, and rows that still tie come back as alternatives. A code whose
// message fits none of its rows resolves to the code's generic row (the
// first row when it has none) with the rows its context points at as
// alternatives: a known code is never lost.
func (c *Catalog) ResolveCode(code, msg, record string) Resolution {
	cr := c.codeRowsOf(code)
	if cr == nil {
		return Resolution{}
	}
	rows := cr.rows
	f := cr.fit(msg)
	nmsg, cands, best := f.norm, f.rows, f.rank
	// The record is normalised only when it is needed: when the message
	// fits no row, or context words must tell rows apart.
	nrec, recDone := "", record == "" || record == msg
	normRecord := func() string {
		if !recDone {
			nrec, recDone = normalize(record), true
		}
		return nrec
	}
	if !best.ok() && normRecord() != "" {
		cands, best = bestRowsOf(cr.all, nrec, cr.firsts)
	}
	// The record's context, worked out only when context words of the
	// rows could tell them apart.
	ctx, ctxDone := "", false
	context := func() string {
		if !ctxDone {
			ctx = normRecord()
			if ctx == "" {
				ctx = nmsg
			}
			// The code is no context (UserNotExist names no user operation).
			ctx, ctxDone = strings.ReplaceAll(ctx, cr.ncode, "|"), true
		}
		return ctx
	}
	if best.ok() {
		if len(cands) == 1 {
			return Resolution{Entry: cands[0], Full: best.full}
		}
		return pick(cands, context, best.full, false)
	}
	if g := cr.generic; g != nil {
		// A code of a few rows lists them all; one of many (FailedOperation
		// has dozens) lists those its context words point at.
		res := Resolution{Entry: g, Generic: true}
		scores := contextScores(rows, stripped(rows, context))
		top := 0.0
		for _, x := range scores {
			top = max(top, x)
		}
		for _, i := range byScore(scores) {
			e := rows[i]
			if e == g || len(res.Alternatives) >= MaxAlternatives {
				continue
			}
			if len(rows) > fewRows && (top == 0 || scores[i] < top) {
				continue
			}
			res.Alternatives = append(res.Alternatives, e)
		}
		return res
	}
	if len(rows) == 1 {
		return Resolution{Entry: rows[0]}
	}
	return pick(byContext(rows, context), context, false, true)
}

// GenericRow returns the entry a generic code's records fall back on when
// their message fits none of the code's rows (generic-codes.yaml), or nil.
func (c *Catalog) GenericRow(code string) *Entry { return c.t().genericRow[baseCode(code)] }

// fewRows is how many rows a code may have for a generic diagnosis to list
// them all as alternatives.
const fewRows = 6

func baseCode(code string) string { return stripSeparators(code) }

// family returns the rows of codes below code (FailedOperation.X for
// FailedOperation), which a log may print under the parent code.
func (c *Catalog) family(code string) []*Entry {
	var out []*Entry
	prefix := code + "."
	t := c.t()
	i := sort.SearchStrings(t.codes, prefix)
	for ; i < len(t.codes) && strings.HasPrefix(t.codes[i], prefix); i++ {
		for _, e := range t.byCode[t.codes[i]] {
			if !containsEntry(out, e) {
				out = append(out, e)
			}
		}
	}
	return out
}

func containsEntry(list []*Entry, e *Entry) bool {
	for _, x := range list {
		if x == e {
			return true
		}
	}
	return false
}

// bestRows returns the rows whose messages norm carries best, in order.
func bestRows(rows []*Entry, norm string) ([]*Entry, msgRank) {
	return bestRowsOf(rows, norm, nil)
}

// bestRowsOf is bestRows, with fs (when not nil: the first segments of
// rows' templates) to skip the templates norm cannot carry.
func bestRowsOf(rows []*Entry, norm string, fs *firstSegs) ([]*Entry, msgRank) {
	var out []*Entry
	var best msgRank
	if norm == "" {
		return nil, best
	}
	var in []bool
	if fs != nil {
		in = fs.present(norm)
	}
	for i, e := range rows {
		var r msgRank
		if fs != nil {
			r = fs.rowRank(i, e, norm, in)
		} else {
			r = e.rank(norm)
		}
		if !r.ok() {
			continue
		}
		switch {
		case len(out) == 0 || r.better(best):
			out, best = append(out[:0], e), r
		case !best.better(r) && !containsEntry(out, e):
			out = append(out, e)
		}
	}
	return out, best
}

// pick chooses among rows that fit equally well by the context words of
// the record; the rest that tie stay as alternatives.
func pick(rows []*Entry, ctx func() string, full, generic bool) Resolution {
	if len(rows) == 1 {
		return Resolution{Entry: rows[0], Full: full, Generic: generic}
	}
	scores := contextScores(rows, stripped(rows, ctx))
	top := 0.0
	for _, s := range scores {
		top = max(top, s)
	}
	res := Resolution{Full: full, Generic: generic}
	for i, e := range rows {
		switch {
		case scores[i] == top && res.Entry == nil:
			res.Entry = e
		case scores[i] == top || generic:
			res.Alternatives = append(res.Alternatives, e)
		}
	}
	if len(res.Alternatives) > MaxAlternatives {
		res.Alternatives = res.Alternatives[:MaxAlternatives]
	}
	return res
}

// stripMessages removes the rows' message text from a normalised record,
// so that a context word inside the message itself (用户 in 用户不存在)
// does not count as context.
func stripMessages(rows []*Entry, ctx string) string {
	for _, e := range rows {
		for _, t := range e.tmpls {
			for _, seg := range t.segments {
				if strings.Contains(ctx, seg) {
					ctx = strings.ReplaceAll(ctx, seg, "|")
				}
			}
		}
	}
	return ctx
}

// stripped returns stripMessages of the rows over the record's context
// that ctx returns, for contextScores.
func stripped(rows []*Entry, ctx func() string) func() string {
	return func() string { return stripMessages(rows, ctx()) }
}

// byContext orders rows by how many of their context words the record
// (ctx) carries, best first, keeping file order among equals.
func byContext(rows []*Entry, ctx func() string) []*Entry {
	idx := byScore(contextScores(rows, stripped(rows, ctx)))
	out := make([]*Entry, len(rows))
	for i, j := range idx {
		out[i] = rows[j]
	}
	return out
}

// byScore returns the indexes of scores, highest score first, in index
// order among equals.
func byScore(scores []float64) []int {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
	return idx
}

// ResolveMessage finds an error-code row from its message alone, for logs
// that print the message without the code. Only messages with enough
// literal text to be telling are considered ("操作失败" needs its code);
// the best whole match wins, rows sharing it are told apart by context
// words and come back as alternatives otherwise.
func (c *Catalog) ResolveMessageIn(msg, record string) Resolution {
	ix := c.resolveIndex()
	f, ok := ix.byMessage.lookup(msg)
	if !ok {
		key := ix.byMessage.key(msg)
		f = ix.messageRows(key)
		ix.byMessage.store(key, f)
	}
	norm, cands := f.norm, f.rows
	if len(cands) == 0 || len(cands) > maxMessageOnlyRows {
		return Resolution{}
	}
	if len(cands) == 1 {
		return Resolution{Entry: cands[0], Full: true}
	}
	return pick(cands, func() string {
		if record != "" && record != msg {
			return normalize(record)
		}
		return norm
	}, true, false)
}

// messageRows returns the rows whose telling messages msg carries whole,
// the best equally.
func (ix *resolveIndex) messageRows(msg string) messageFit {
	norm := normalize(msg)
	var cands []*Entry
	var best msgRank
	for _, mr := range ix.telling {
		var r msgRank
		for _, t := range mr.tmpls {
			if score, full := t.match(norm); full {
				x := msgRank{full: true, score: score, holes: t.holes}
				if x.better(r) {
					r = x
				}
			}
		}
		if !r.full {
			continue
		}
		switch {
		case len(cands) == 0 || r.better(best):
			cands, best = append(cands[:0], mr.e), r
		case !best.better(r):
			cands = append(cands, mr.e)
		}
	}
	return messageFit{norm, cands, best}
}

// ResolveMessage is ResolveMessageIn's entry, the message being the whole
// text.
func (c *Catalog) ResolveMessage(text string) *Entry {
	return c.ResolveMessageIn(text, "").Entry
}

// Resolve picks the row for a code found in a log together with the text
// around it (the error message, or the whole record): ResolveCode's
// entry, without alternatives. full reports that one of the entry's
// messages was found whole in text.
func (c *Catalog) Resolve(code, text string) (e *Entry, full bool) {
	r := c.ResolveCode(code, text, "")
	return r.Entry, r.Full
}

// maxMessageOnlyRows is how many rows may share a message that is printed
// without its code: "查询数据源出错" (13 rows of 用户权限) names none of them.
const maxMessageOnlyRows = 3

// minMessageBytes is how much literal text (normalised UTF-8 bytes) a
// message needs before it identifies a row on its own: "操作失败" and
// "任务不存在" (12 and 15 bytes) do not, "流程实例 ID 错误" (20) does.
const minMessageBytes = 18
