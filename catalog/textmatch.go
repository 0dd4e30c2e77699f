package catalog

import (
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
)

// TextMatch is what the ranked text matcher made of a record's text.
type TextMatch struct {
	Entry *Entry
	// Score is the BM25 score of the best ranked entry.
	Score float64
	// Terms are the distinctive terms the text shares with it.
	Terms []string
	// Alternatives are rows that carry the same message, when the context
	// did not tell them apart.
	Alternatives []*Entry
}

// codeName matches code-shaped tokens: dotted names (FnError.HTTP.StatusError,
// LimitExceeded.ConcurrentExecutions) and UPPER_SNAKE names.
var codeName = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\b[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)+\b|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b`)
})

// LevelQuery marks text that someone typed to ask about a problem.
const LevelQuery = "query"

// textTop is how many ranked entries the text matcher weighs.
const textTop = 5

// MatchText is the ranked text matcher, the last step for error-like
// records that no rule explained, and what `wedadiag explain` uses for free
// text: it ranks every entry against the text (TextIndex) and diagnoses
// the best one only when
//
//   - the text says that something failed, in its own words (失败, 超过,
//     不存在, exceeded, timed out, 请先…; an "Error:" prefix or an ERROR
//     level alone is not enough), and
//   - the best entry scores at least threshold and shares a distinctive
//     term with the text.
//
// When the best entry is an error-table row, the rows whose message the
// text carries whole are preferred, told apart by context words (as for
// a code); when none is and a FAQ entry that the row links to ranks among
// the best above threshold, the FAQ entry is diagnosed: a record without
// a code is about the FAQ's question.
func (c *Catalog) MatchText(text string, threshold float64) (TextMatch, bool) {
	return c.MatchTextLevel(text, "", threshold)
}

// MatchTextLevel is MatchText for a record of a level. Every record needs
// failure words of its own (a benign message logged at ERROR is not an
// error); level "query" is a question someone typed (explain), which
// needs none.
func (c *Catalog) MatchTextLevel(text, level string, threshold float64) (TextMatch, bool) {
	// Code names are the rules' business: a code no rule diagnosed was
	// mentioned, not returned ("known codes: FnError.HTTP.StatusError, …"),
	// and its words must not make a text match.
	text = codeName().ReplaceAllString(text, " ")
	if c.text == nil || level != LevelQuery && !failureWords(text) {
		return TextMatch{}, false
	}
	hits := c.TextIndex().Rank(text, textTop)
	if len(hits) == 0 || !telling(hits[0], threshold) {
		return TextMatch{}, false
	}
	best := hits[0]
	m := TextMatch{Entry: best.Entry, Score: best.Score, Terms: best.Terms}
	if best.Entry.Kind != KindErrorCode {
		return m, true
	}
	norm := normalize(text)
	var rows []*Entry
	for _, e := range c.entries {
		if e.Kind != KindErrorCode {
			continue
		}
		if r := e.rank(norm); r.full && r.score >= minTextMessageBytes {
			rows = append(rows, e)
		}
	}
	if len(rows) > 0 {
		rows, _ = bestRows(rows, norm)
		res := pick(rows, func() string { return norm }, true, false)
		m.Entry, m.Alternatives = res.Entry, res.Alternatives
		return m, true
	}
	for _, h := range hits[1:] {
		if h.Entry.Kind == KindSymptom && telling(h, threshold) && contains(best.Entry.Related, h.Entry.ID) {
			m.Entry, m.Score, m.Terms = h.Entry, h.Score, h.Terms
			break
		}
	}
	return m, true
}

// telling reports a hit that may be diagnosed: a score of at least
// threshold with two distinctive terms in common, or one and a score of at
// least singleTermScore (one rare word alone is too often chance).
func telling(h TextHit, threshold float64) bool {
	if h.Score < threshold {
		return false
	}
	if h.Distinctive >= 2 {
		return true
	}
	// A single term must be a long word or Chinese (a bigram), and score high.
	return h.Distinctive == 1 && h.Score >= singleTermScore && (len(h.Terms[0]) >= 5 || h.Terms[0][0] >= utf8.RuneSelf)
}

// singleTermScore is the score a hit sharing a single distinctive term
// with the text needs.
const singleTermScore = 15.0

// minTextMessageBytes is how much literal message text (normalised bytes)
// the text matcher needs to prefer a row by its message: 用户未授权 yes,
// 锁异常 no.
const minTextMessageBytes = 15

// failureTerms are words with which logs say that something failed or
// ran out. The bare words error and exception are not among them: they
// prefix benign text too ("Error: errCode: 0").
var failureTerms = []string{
	"失败", "错误", "异常", "不存在", "无法", "不能", "超过", "超出", "超限", "用尽", "用完", "耗尽", "已用",
	"欠费", "隔离", "到期", "过期", "停服", "暂停", "拒绝", "无效", "不合法", "不支持", "为空", "告警", "预警",
	"报错", "白屏", "超时", "冲突", "禁止", "未授权", "未配置", "没有权限", "无权限", "不可用", "丢失", "崩溃",
	"不一致", "重复", "找不到", "未找到", "不足", "受限", "限制", "停用", "不通过", "未通过", "出错", "不到",
	"fail", "exceed", "exhaust", "timed out", "timeout", "denied", "refused", "invalid", "not found",
	"unable", "cannot", "can't", "unavailable", "expired", "overdue", "arrear", "insufficient",
	"forbidden", "unauthorized", "not allowed", "not exist", "missing", "reject", "blocked",
	"suspended", "crash", "alert", "limit", "quota", "used up", "out of", "isolat", "blank",
	"no permission", "not permitted", "404", "403", "500", "502", "503", "504",
	"过低", "上限", "失效", "未完成", "未被", "未备案", "暂无", "无该", "没有", "不兼容", "拦截", "无权",
	"lack", "deny", "not a function", "not authorized", "unsupported", "not supported", "requires",
	"not editable", "is not", "no longer",
	// Instructions that only a failure gives.
	"请在", "请先", "请使用", "请联系", "需在", "需要", "无具备", "needs", "must", "required", "no field",
}

// failureWords reports whether text says, in its own words, that
// something failed.
func failureWords(text string) bool {
	low := strings.ToLower(text)
	for _, w := range failureTerms {
		if strings.Contains(low, w) {
			return true
		}
	}
	return false
}
