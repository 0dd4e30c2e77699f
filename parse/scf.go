package parse

import "strings"

// readSCFControl reads the cloud-function runtime's own lines, which are
// the whole record.
func readSCFControl(p *Parser, st *state) bool { return p.scfControl(st.ev, st.s) }

// readSCFTabbed reads what follows the time in a cloud-function line, then
// drops the blanks before the message.
func readSCFTabbed(p *Parser, st *state) bool {
	if strings.HasPrefix(st.body, "\t") {
		st.body = p.scfTabbed(st.ev, st.body)
	}
	st.body = trimLeft(st.body, &blanks)
	return false
}

// scfControl reads the cloud-function runtime's own lines:
// "START RequestId: x Version: $LATEST", "END RequestId: x",
// "Report RequestId: x Duration: 3000ms Memory: 256MB MemUsage: 30MB".
func (p *Parser) scfControl(ev *Event, s string) bool {
	var rest string
	switch {
	case strings.HasPrefix(s, "START RequestId:"):
		rest = s[len("START "):]
	case strings.HasPrefix(s, "END RequestId:"):
		rest = s[len("END "):]
	case strings.HasPrefix(s, "Report RequestId:"):
		rest = s[len("Report "):]
	default:
		return false
	}
	ev.Format = FormatSCF
	ev.Level = "info"
	ev.Message = s
	// "Key: value" pairs; a key is a word followed by ':'.
	for rest != "" {
		rest = trimLeft(rest, &blanks)
		colon := strings.Index(rest, ": ")
		if colon <= 0 || strings.ContainsAny(rest[:colon], " \t") {
			break
		}
		key := rest[:colon]
		rest = trimLeft(rest[colon+2:], &blanks)
		end := indexSpace(rest)
		if end < 0 {
			end = len(rest)
		}
		p.setField(key, rest[:end])
		rest = rest[end:]
	}
	ev.RequestID = p.tab.get("RequestId")
	return true
}

// scfTabbed reads "\t<requestId>\t[LEVEL\t]message", what follows the time
// in a cloud-function log line, and returns the message.
func (p *Parser) scfTabbed(ev *Event, body string) string {
	rest := body[1:]
	tab := strings.IndexByte(rest, '\t')
	if tab < 0 || !looksLikeID(rest[:tab]) {
		return body
	}
	ev.Format = FormatSCF
	ev.RequestID = rest[:tab]
	rest = rest[tab+1:]
	if tab := strings.IndexByte(rest, '\t'); tab > 0 && tab <= 8 {
		if lvl := normLevel(rest[:tab]); lvl != "" {
			ev.Level = lvl
			rest = rest[tab+1:]
		}
	}
	return rest
}

// looksLikeID reports whether s looks like a request id: 8 or more of
// hex digits, letters, digits and '-'.
func looksLikeID(s string) bool {
	if len(s) < 8 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// isSCFError is the shape of a cloud function's error result:
// {"errorCode","errorMessage","statusCode"}.
func isSCFError(f *table, _ string) bool {
	return hasKey(f, "errorCode") && hasKey(f, "errorMessage")
}
