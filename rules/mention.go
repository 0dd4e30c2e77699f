package rules

import (
	"bytes"

	"github.com/wedadiag/wedadiag/parse"
)

// mentionMode says which of a record's whole-token codes are occurrences
// of an error, as against mentions of one (a test name, a docs table, a
// URL, a log line that reports a retry policy at info level). The code in
// a code position (Event.Code) always counts; the others by the record.
type mentionMode uint8

const (
	// onlyCode: the record is at debug or info level, reads as
	// documentation, or has no level and nothing that reads as a
	// failure: only Event.Code counts.
	onlyCode mentionMode = iota
	// anyToken: the record is a warning or an error (by its level, or by
	// failure words when it names no level): every whole-token code
	// counts, but one inside a URL or path.
	anyToken
	// mentionsUnknown: not decided yet (occurrence decides it when it is
	// first asked, which most records never are).
	mentionsUnknown
)

// mentionsOf decides, from the parsed record, which codes count.
func mentionsOf(ev *parse.Event) mentionMode {
	switch ev.Level {
	case "warn", "error", "fatal":
		if ev.Format == parse.FormatDocs || ev.Format == parse.FormatMetrics {
			return onlyCode
		}
		if markerWords(ev.Raw).reportsSuccess() {
			return onlyCode
		}
		return anyToken
	case "":
		w := markerWords(ev.Raw)
		if (errorLike(ev) || ev.Status >= 400 || w.failure) && !w.reportsSuccess() {
			return anyToken
		}
	}
	return onlyCode
}

// failureMarkers are words of a failure beyond errorLike's markers: a
// record without a level that says one of them names its codes as what
// went wrong ("Invoke failed: 434 MemoryLimitReached").
var failureMarkers = [...]string{"fail", "Fail", "FAIL", "denied", "Denied", "timed out", "exceeded", "Exceeded", "refused",
	"rejected", "拒绝", "超时", "超限", "不存在"}

// successMarkers are words of a line that reports a success or a setting
// rather than a failure.
var successMarkers = [...]string{"loaded", "registered", "configured", "enabled", "initialized", "initialised",
	"succeeded", "successfully", "成功", "已生效", "已加载", "已注册", "已启用"}

// troubleMarkers are further words of something gone wrong; any of them
// keeps a success word from making an error-level line a mere mention.
var troubleMarkers = [...]string{"失败", "错误", "异常", "找不到", "无效", "欠费", "不足", "到期", "过期",
	"not found", "invalid", "Invalid", "unable", "Unable", "cannot", "Cannot", "can't", "expired", "partially"}

// inIdentifier reports whether the word raw[i:j] is part of an identifier
// (FailedOperation, AuthFailure, LimitExceeded, is_failed): a letter of
// upper case inside it, a '.' or '_' around it, or a letter before a
// lower-case word.
func inIdentifier(raw string, i, j int) bool {
	a, b := i, j
	for a > 0 && isIdentByte(raw[a-1]) {
		a--
	}
	for b < len(raw) && isIdentByte(raw[b]) {
		b++
	}
	tok := raw[a:b]
	for k := 1; k < len(tok); k++ {
		c := tok[k]
		if c >= 'A' && c <= 'Z' && tok[k-1] >= 'a' && tok[k-1] <= 'z' || c == '.' || c == '_' {
			return true
		}
	}
	return false
}

func isIdentByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
}

// afterFlag reports whether the code at buf[start:] is the argument of a
// command-line flag ("npm test -- --grep FailedOperation"): a command
// being run, not its failure.
func afterFlag(buf []byte, start int) bool {
	i := start - 1
	if i < 1 || buf[i] != ' ' && buf[i] != '=' {
		return false
	}
	j := i
	for j > 0 && buf[j-1] != ' ' && buf[j-1] != '\t' && buf[j-1] != '\n' {
		j--
	}
	return j < i && buf[j] == '-' && j+1 < i && (buf[j+1] == '-' || buf[j+1] >= 'a' && buf[j+1] <= 'z')
}

// occurrence reports whether the whole-token code t, which is not the
// record's Code, is an occurrence.
func (m *Matcher) occurrence(t tokHit) bool {
	if m.mentions == mentionsUnknown {
		m.mentions = mentionsOf(&m.env.Event)
	}
	if m.mentions != anyToken {
		return false
	}
	buf := m.text
	if t.unesc {
		buf = m.unesc
	}
	start := int(t.start)
	end := start + len(m.set.lits[t.lit].code)
	if start > len(buf) || end > len(buf) {
		return true
	}
	if inLink(buf, start, end) || parse.InMetricSample(buf, start) || mapsTo(buf, end) || afterFlag(buf, start) || m.listed() {
		return false
	}
	// A continuation line that is a passing test or a list item names the
	// code in passing.
	ls := bytes.LastIndexByte(buf[:start], '\n')
	if ls < 0 {
		return true
	}
	le := bytes.IndexByte(buf[end:], '\n')
	if le < 0 {
		le = len(buf)
	} else {
		le += end
	}
	return !parse.DocsLine(string(buf[ls+1 : le]))
}

// inLink reports whether buf[start:end] is part of a URL or path:
// /pages/errors/FailedOperation, docs.html#UserError.DsNotFound,
// ?code=FailedOperation&…
func inLink(buf []byte, start, end int) bool {
	if start > 0 {
		switch buf[start-1] {
		case '/', '#', '?', '&':
			return true
		case '=':
			// code=X in a query string: a '?' before it, in the same word.
			for i := start - 2; i >= 0 && i >= start-256; i-- {
				c := buf[i]
				if c == '?' {
					return true
				}
				if c == ' ' || c == '\t' || c == '\n' || c == '"' || c == '\'' {
					break
				}
			}
		}
	}
	if end < len(buf) {
		switch buf[end] {
		case '/', '#':
			return true
		}
	}
	return false
}

// mapsTo reports whether the code is the left side of a mapping
// ("UserError.DsNotFound -> 404", "X => Y"): configuration, not an error.
func mapsTo(buf []byte, end int) bool {
	i := end
	for i < len(buf) && buf[i] == ' ' {
		i++
	}
	return i+1 < len(buf) && (buf[i] == '-' || buf[i] == '=') && buf[i+1] == '>'
}

// listed reports whether the record names three or more different codes
// outside a code position: an enumeration ("known codes: A, B, C"), which a
// failing call does not print.
func (m *Matcher) listed() bool {
	n := 0
	var prev uint32
	for i, t := range m.toks {
		li := &m.set.lits[t.lit]
		if li.code == "" || li.code == m.env.Code || i > 0 && t.lit == prev {
			continue
		}
		prev = t.lit
		n++
	}
	return n >= 3
}
