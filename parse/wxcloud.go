package parse

import "strings"

// readWXText reads wx.cloud's text form when no code was found so far.
func readWXText(p *Parser, st *state) bool {
	if st.ev.Code == "" && findErrCode.In(st.body) {
		p.wxText(st.ev, st.body)
	}
	return false
}

// wxText reads wx.cloud's "errCode: -501000 | errMsg: …" and the
// cloud-function error inside it ("error code -504002", "innerCode: -80011").
func (p *Parser) wxText(ev *Event, body string) {
	i := indexWord(body, findErrCodeColon)
	if i < 0 {
		return
	}
	v := strings.TrimLeft(body[i+findErrCodeColon.Len():], " ")
	n := numberLen(v)
	if n == 0 {
		return
	}
	ev.Code = NormCode(v[:n])
	p.setField("errCode", ev.Code)
	if j := strings.Index(body, "errMsg:"); j >= 0 {
		msg := strings.TrimSpace(body[j+len("errMsg:"):])
		if nl := strings.IndexByte(msg, '\n'); nl >= 0 {
			msg = msg[:nl]
		}
		ev.ErrMessage = msg
		p.setField("errMsg", msg)
		// The cloud function's own error inside errMsg ("Error:
		// FailedOperation.Aggregate: 客户请求参数不合法") says what failed;
		// -504002 only says that the function did.
		if c, rest, ok := p.innerCode(msg); ok {
			ev.Code, ev.ErrMessage = c, rest
		}
	}
	if ev.Format == FormatPlain || ev.Format == FormatConsole {
		ev.Format = FormatWXCloud
	}
	for _, lit := range []string{"error code ", "innerCode: ", "innerCode:"} {
		if j := strings.Index(body, lit); j >= 0 {
			v := body[j+len(lit):]
			if n := numberLen(v); n > 0 {
				p.setField("innerCode", NormCode(v[:n]))
				break
			}
		}
	}
	if ev.RequestID == "" {
		if j := strings.Index(body, "requestID "); j >= 0 {
			v := body[j+len("requestID "):]
			k := 0
			for k < len(v) && (isWordByte(v[k]) || v[k] == '-') {
				k++
			}
			ev.RequestID = v[:k]
		}
	}
}

// numberLen returns the length of the number (sign, digits, thousands
// separators) at the start of s.
func numberLen(s string) int {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	d := i
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == ',' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9') {
		i++
	}
	if i == d {
		return 0
	}
	return i
}

// isWXCloud is the shape of a wx.cloud error: {errCode, errMsg}.
func isWXCloud(f *table, _ string) bool {
	return (hasKey(f, "errCode") || hasKey(f, "errcode")) && (hasKey(f, "errMsg") || hasKey(f, "errmsg"))
}

// innerCode reads "Error: CODE: message" (any number of "Error: " first)
// where CODE is a code of some rule's vocabulary — a dotted name
// (FailedOperation.Aggregate) or a number (100035, -501001): a code nobody
// knows leaves the errCode, which some rule may know, in place.
func (p *Parser) innerCode(msg string) (code, rest string, ok bool) {
	for strings.HasPrefix(msg, "Error: ") {
		msg = msg[len("Error: "):]
	}
	k := 0
	numeric := false
	if n := numberLen(msg); n > 0 {
		k, numeric = n, true
	} else {
		for k < len(msg) && (isWordByte(msg[k]) || msg[k] == '.') {
			k++
		}
	}
	if k == 0 || k+2 > len(msg) || msg[k] != ':' || msg[k+1] != ' ' || (!numeric && (msg[0] < 'A' || msg[0] > 'Z')) {
		return "", "", false
	}
	c := msg[:k]
	if numeric {
		c = NormCode(c)
	}
	if p.isCode == nil || !p.isCode(c) {
		return "", "", false
	}
	return c, strings.TrimSpace(msg[k+2:]), true
}
