package parse

import "strings"

// readBracketCode reads "[CODE] message" from the message (the error
// message first) or the body when no code was found so far.
func readBracketCode(p *Parser, st *state) bool {
	ev := st.ev
	if ev.Code == "" {
		if c, msg, ok := p.bracketCode(firstNonEmpty(ev.ErrMessage, ev.Message, st.body)); ok {
			ev.Code = c
			if ev.ErrMessage == "" {
				ev.ErrMessage = msg
			}
		}
	}
	return false
}

// bracketCode reads "[CODE] message" at the start of s, or a "[CODE]" in
// its first line, where CODE has a code's shape (FnError.HTTP.NetworkError)
// or is in a rule's vocabulary. It returns the code and the text after it.
func (p *Parser) bracketCode(s string) (code, msg string, ok bool) {
	line := s
	if nl := strings.IndexByte(line, '\n'); nl >= 0 {
		line = line[:nl]
	}
	off := 0
	for tries := 0; tries < 8; tries++ {
		i := strings.IndexByte(line[off:], '[')
		if i < 0 {
			return "", "", false
		}
		i += off
		j := strings.IndexByte(line[i:], ']')
		if j < 0 {
			return "", "", false
		}
		c := line[i+1 : i+j]
		if codeShaped(c) || (p.isCode != nil && p.isCode(NormCode(c))) {
			return NormCode(c), strings.TrimSpace(line[i+j+1:]), true
		}
		off = i + 1
	}
	return "", "", false
}

// codeShaped reports whether s looks like a Tencent Cloud code:
// Capitalised words joined by dots (FailedOperation.FlexdbResourceOverdue).
func codeShaped(s string) bool {
	if len(s) < 3 || s[0] < 'A' || s[0] > 'Z' || !strings.Contains(s, ".") || s[len(s)-1] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isWordByte(c) || c == '.') {
			return false
		}
		if c == '.' && (s[i-1] == '.' || s[i+1] < 'A' || s[i+1] > 'Z') {
			return false
		}
	}
	return true
}

// jssdk reads the js-sdk's error, whose own code is generic and whose
// message opens with the real one:
// {"code":"OPERATION_FAIL","msg":"[FnError.HTTP.NetworkError] …"}.
func (p *Parser) jssdk(ev *Event) bool {
	if (ev.Code == "" || isUpperSnake(ev.Code)) && ev.ErrMessage != "" {
		if c, msg, ok := p.bracketCode(ev.ErrMessage); ok && strings.HasPrefix(strings.TrimSpace(ev.ErrMessage), "[") {
			ev.Code, ev.ErrMessage = c, msg
			if ev.Format != FormatTCSDK {
				ev.Format = FormatJSSDK
			}
			return true
		}
	}
	return false
}
