package parse

import "strings"

// readWXText reads wx.cloud's text form when no code was found so far.
func readWXText(p *Parser, st *state) bool {
	if st.ev.Code == "" && strings.Contains(st.body, "errCode") {
		p.wxText(st.ev, st.body)
	}
	return false
}

// wxText reads wx.cloud's "errCode: -501000 | errMsg: …" and the
// cloud-function error inside it ("error code -504002", "innerCode: -80011").
func (p *Parser) wxText(ev *Event, body string) {
	i := indexWord(body, "errCode:")
	if i < 0 {
		return
	}
	v := strings.TrimLeft(body[i+len("errCode:"):], " ")
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
func isWXCloud(f map[string]string, _ string) bool {
	return (hasKey(f, "errCode") || hasKey(f, "errcode")) && (hasKey(f, "errMsg") || hasKey(f, "errmsg"))
}
