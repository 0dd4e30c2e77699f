package parse

import "strings"

// readLevelPrefix reads a level among the first words of a record that
// named none so far and does not open an object.
func readLevelPrefix(_ *Parser, st *state) bool {
	if st.ev.Level == "" && !strings.HasPrefix(st.body, "{") {
		if lvl, rest, ok := prefixLevel(st.body); ok {
			st.ev.Level, st.body = lvl, rest
		}
	}
	return false
}

// readText fills what the steps before left empty from the text itself:
// the request id, the HTTP status, the message.
func readText(_ *Parser, st *state) bool {
	ev := st.ev
	if ev.RequestID == "" {
		ev.RequestID = textRequestID(st.body)
	}
	if ev.Status == 0 {
		ev.Status = textStatus(st.body)
	}
	if ev.Message == "" {
		ev.Message = plainMessage(st.body)
	}
	return false
}

// requestIDKeys name a request id in text; each holds "eq".
var requestIDKeys = [...]string{"RequestId", "requestId", "request_id", "requestID", "RequestID", "reqId"}

// textRequestID finds "RequestId: x", "requestId: 'x'", "request_id=x".
func textRequestID(s string) string {
	if !findEq.In(s) {
		return "" // no key can be there: one look instead of one a key
	}
	for _, key := range &requestIDFinders {
		i := indexWord(s, key)
		if i < 0 {
			continue
		}
		j := i + key.Len()
		if j < len(s) && (s[j] == '"' || s[j] == '\'') {
			j++
		}
		for j < len(s) && s[j] == ' ' {
			j++
		}
		if j >= len(s) || (s[j] != ':' && s[j] != '=') {
			continue
		}
		j++
		for j < len(s) && (s[j] == ' ' || s[j] == '"' || s[j] == '\'') {
			j++
		}
		k := j
		for k < len(s) && (isWordByte(s[k]) || s[k] == '-') {
			k++
		}
		if k > j {
			return s[j:k]
		}
	}
	return ""
}

// textStatus finds an HTTP status in text: "statusCode: 502", "status=502",
// "StatusCode=502", "status of 502", "状态码502", "Invoke failed: 434",
// "502 (Bad Gateway)".
func textStatus(s string) int {
	off := 0
	for n := 0; n < 8; n++ {
		i := findTatus.Index(s[off:])
		if i < 0 {
			break
		}
		i += off
		off = i + len("tatus")
		if i == 0 || (s[i-1] != 's' && s[i-1] != 'S') || i > 1 && isWordByte(s[i-2]) {
			continue
		}
		j := off
		switch {
		case strings.HasPrefix(s[j:], "Code"):
			j += len("Code")
		case strings.HasPrefix(s[j:], "_code"):
			j += len("_code")
		case strings.HasPrefix(s[j:], " of "):
			j += len(" of ")
		case strings.HasPrefix(s[j:], " code "):
			j += len(" code ")
		}
		if v := statusAt(s, j); v != 0 {
			return v
		}
	}
	for _, key := range &statusKeys {
		if i := key.Index(s); i >= 0 {
			if v := statusAt(s, i+key.Len()); v != 0 {
				return v
			}
		}
	}
	// Chrome: "GET https://… 502 (Bad Gateway)".
	off = 0
	for n := 0; n < 8; n++ {
		i := findParen.Index(s[off:])
		if i < 0 {
			break
		}
		i += off
		off = i + 2
		if i >= 4 && s[i-4] == ' ' && i+2 < len(s) && s[i+2] >= 'A' && s[i+2] <= 'Z' {
			if v, ok := statusValue(s[i-3 : i]); ok {
				return v
			}
		}
	}
	return 0
}

// statusAt reads a status at s[j:] after quotes, spaces, ':' or '='.
func statusAt(s string, j int) int {
	if j < len(s) && (s[j] == '"' || s[j] == '\'') {
		j++
	}
	for j < len(s) && (s[j] == ' ' || s[j] == ':' || s[j] == '=' || s[j] == '"') {
		j++
	}
	if j+3 <= len(s) && (j+3 == len(s) || !isWordByte(s[j+3])) {
		if v, ok := statusValue(s[j : j+3]); ok {
			return v
		}
	}
	return 0
}

// plainMessage is the message of a text record: its first line, or for a
// Python traceback its last line ("ValueError: bad").
func plainMessage(body string) string {
	if strings.HasPrefix(body, "Traceback (most recent call last):") {
		last := strings.TrimSpace(body[strings.LastIndexByte(body, '\n')+1:])
		return last
	}
	if nl := strings.IndexByte(body, '\n'); nl >= 0 {
		return strings.TrimSpace(body[:nl])
	}
	return strings.TrimSpace(body)
}

// normLevel maps a level name or number to debug, info, warn, error or
// fatal; "" when it names none.
func normLevel(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 12 {
		return ""
	}
	var b [12]byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	switch string(b[:len(s)]) {
	case "trace", "debug", "verbose", "10", "20":
		return "debug"
	case "info", "information", "notice", "log", "30":
		return "info"
	case "warn", "warning", "40":
		return "warn"
	case "error", "err", "severe", "critical", "crit", "50":
		return "error"
	case "fatal", "panic", "alert", "emerg", "emergency", "60":
		return "fatal"
	}
	return ""
}

// prefixLevel finds a level word among the first words of a line:
// "ERROR [main] …", "[error] 12#12: …", "- root - ERROR - …",
// "ERROR:root:…", "error: …". It returns the level and the text after it.
func prefixLevel(s string) (level, rest string, ok bool) {
	pos := 0
	for w := 0; w < 6 && pos < len(s) && pos < 160; w++ {
		for pos < len(s) && (s[pos] == ' ' || s[pos] == '\t') {
			pos++
		}
		// A word ends at a space, a tab or a newline; one of over 40
		// bytes is a message, not a prefix.
		end, lim := pos, min(len(s), pos+41)
		for end < lim && !wordEnds.has(s[end]) {
			end++
		}
		if end-pos > 40 {
			return "", s, false
		}
		tok := s[pos:end]
		if lvl, ok := levelToken(tok, w == 0); ok {
			return lvl, trimLeft(s[end:], &levelTail), true
		}
		if end < len(s) && s[end] == '\n' {
			break
		}
		pos = end
	}
	return "", s, false
}

// levelToken recognises one word as a level: upper-case names anywhere,
// bracketed names in any case, and a lower-case "error:" as the first word.
func levelToken(tok string, first bool) (string, bool) {
	if len(tok) < 3 || len(tok) > 16 {
		return "", false
	}
	c := tok[0] | 0x20
	if (c < 'a' || c > 'z') && tok[0] != '[' && tok[0] != '<' {
		return "", false
	}
	if c >= 'a' && c <= 'z' && levelInitials&(1<<(c-'a')) == 0 {
		return "", false // no level name begins with this letter
	}
	bracketed := false
	if len(tok) > 2 && (tok[0] == '[' && tok[len(tok)-1] == ']' || tok[0] == '<' && tok[len(tok)-1] == '>') {
		tok, bracketed = tok[1:len(tok)-1], true
	}
	colon := false
	if i := strings.IndexByte(tok, ':'); i > 0 {
		tok, colon = tok[:i], true
	}
	tok = trimRight(tok, &levelTokTail)
	lvl := normLevel(tok)
	if lvl == "" || len(tok) < 3 {
		return "", false
	}
	if isUpperSnake(tok) || bracketed {
		if tok == "LOG" && !bracketed {
			return "", false
		}
		return lvl, true
	}
	if first && colon && isLower(tok) && len(tok) >= 4 {
		return lvl, true
	}
	return "", false
}

// levelInitials has bit c-'a' set for each letter c that begins a level
// name of normLevel (trace, debug, verbose, info, notice, log, warn,
// error, severe, critical, fatal, panic, alert, emerg), in either case.
var levelInitials = letterBits("tdvinlwescfpa")

// letterBits has bit c-'a' set for each lower-case letter c of letters.
func letterBits(letters string) uint32 {
	var bits uint32
	for i := 0; i < len(letters); i++ {
		bits |= 1 << (letters[i] - 'a')
	}
	return bits
}

// The bytes that end a word of prefixLevel, and those trimmed after a
// level word and from the end of one.
var (
	wordEnds     = newByteSet(" \t\n")
	levelTail    = newByteSet(" \t-:|")
	levelTokTail = newByteSet(",|")
)

func isLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			return false
		}
	}
	return true
}

func isUpperSnake(s string) bool {
	if len(s) < 2 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c == '_' || c >= '0' && c <= '9') {
			return false
		}
	}
	return s[0] >= 'A' && s[0] <= 'Z'
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}
