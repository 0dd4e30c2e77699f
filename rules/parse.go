package rules

import (
	"strconv"
	"strings"
	"time"
)

// Formats an Event may have.
const (
	FormatJSON      = "json"
	FormatTCAPI     = "tcapi"
	FormatCloudBase = "cloudbase"
	FormatJSSDK     = "jssdk"
	FormatWXCloud   = "wxcloud"
	FormatSCF       = "scf"
	FormatTCSDK     = "tcsdk"
	FormatLogfmt    = "logfmt"
	FormatAccess    = "access"
	FormatConsole   = "console"
	FormatPlain     = "plain"
)

// parser turns one record's text into an Event. It owns buffers reused from
// record to record; not safe for concurrent use.
type parser struct {
	fields map[string]string
	keys   []string
	obj    objReader
	isCode func(string) bool // whether a string is a code of some rule's vocabulary
}

func newParser(isCode func(string) bool) *parser {
	return &parser{fields: make(map[string]string), isCode: isCode}
}

// parse fills ev from text (valid UTF-8) and reports whether a record that
// opens a JSON object broke off before its end.
func (p *parser) parse(ev *Event, text, format string) (brokenJSON bool) {
	clear(p.fields)
	p.keys = p.keys[:0]
	ev.Raw = text
	ev.Fields = p.fields
	ev.Format = FormatPlain

	s := strings.TrimSpace(strings.TrimPrefix(text, "\uFEFF"))
	if p.scfControl(ev, s) {
		return false
	}
	body := s
	// A leading "[tag] " (a logger or app name) may precede the time.
	if t, rest, ok := leadingTime(body); ok {
		ev.Time, body = t, rest
	} else if strings.HasPrefix(body, "[") {
		// "[weda-admin] 2025-03-18T09:15:02.118Z WARN …", and the Python
		// runtime's "[ERROR]\t2024-06-21T08:00:01.123Z\t<requestId>\t…".
		if j := strings.IndexByte(body, ']'); j > 0 && j < 64 {
			if t, rest, ok := leadingTime(strings.TrimLeft(body[j+1:], " \t")); ok {
				ev.Time, body = t, rest
				if lvl := normLevel(s[1:j]); lvl != "" && isUpperSnake(s[1:j]) {
					ev.Level = lvl
				}
			}
		}
	}
	if strings.HasPrefix(body, "\t") {
		body = p.scfTabbed(ev, body)
	}
	body = strings.TrimLeft(body, " \t")
	if format != InputPlain && format != InputJSON && p.access(ev, body) {
		return false
	}
	p.console(ev, &body)
	if ev.Level == "" && !strings.HasPrefix(body, "{") {
		if lvl, rest, ok := prefixLevel(body); ok {
			ev.Level, body = lvl, rest
		}
	}
	if strings.Contains(body, "TencentCloudSDK") {
		p.tcsdk(ev, body)
	}

	// logfmt first when the body opens with a pair (an object may be one of
	// its values), else only when no object was found.
	structured := format != InputPlain && format != InputAccess
	pairFirst := structured && format != InputJSON && startsWithPair(body)
	if pairFirst && p.logfmt(body) {
		ev.Format = FormatLogfmt
	}
	objStart := -1
	if structured {
		objStart = strings.IndexByte(body, '{')
	}
	if objStart >= 0 {
		broken := p.objects(body, objStart)
		if broken && objStart == 0 {
			brokenJSON = true
		}
	}
	if structured && format != InputJSON && !pairFirst && len(p.keys) == 0 && p.logfmt(body) {
		ev.Format = FormatLogfmt
	}
	if len(p.keys) > 0 {
		p.structured(ev)
	}
	if ev.Code == "" && strings.Contains(body, "errCode") {
		p.wxText(ev, body)
	}
	if ev.Code == "" {
		if c, msg, ok := p.bracketCode(firstNonEmpty(ev.ErrMessage, ev.Message, body)); ok {
			ev.Code = c
			if ev.ErrMessage == "" {
				ev.ErrMessage = msg
			}
		}
	}
	if ev.Code == "" {
		if c, ok := textCode(body); ok {
			ev.Code = c
			if ev.ErrMessage == "" {
				ev.ErrMessage = p.fieldOf(kindMsg)
			}
		}
	}
	if ev.RequestID == "" {
		ev.RequestID = textRequestID(body)
	}
	if ev.Status == 0 {
		ev.Status = textStatus(body)
	}
	if ev.Message == "" {
		ev.Message = plainMessage(body)
	}
	return brokenJSON
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// scfControl reads the cloud-function runtime's own lines:
// "START RequestId: x Version: $LATEST", "END RequestId: x",
// "Report RequestId: x Duration: 3000ms Memory: 256MB MemUsage: 30MB".
func (p *parser) scfControl(ev *Event, s string) bool {
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
		rest = strings.TrimLeft(rest, " \t")
		colon := strings.Index(rest, ": ")
		if colon <= 0 || strings.ContainsAny(rest[:colon], " \t") {
			break
		}
		key := rest[:colon]
		rest = strings.TrimLeft(rest[colon+2:], " \t")
		end := indexSpace(rest)
		if end < 0 {
			end = len(rest)
		}
		p.setField(key, rest[:end])
		rest = rest[end:]
	}
	ev.RequestID = p.fields["RequestId"]
	return true
}

func (p *parser) setField(k, v string) {
	if len(p.fields) >= maxFields {
		return
	}
	if _, ok := p.fields[k]; ok {
		return
	}
	p.fields[k] = v
	p.keys = append(p.keys, k)
}

// scfTabbed reads "\t<requestId>\t[LEVEL\t]message", what follows the time
// in a cloud-function log line, and returns the message.
func (p *parser) scfTabbed(ev *Event, body string) string {
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

// access reads an nginx combined (or common) access line:
// 1.2.3.4 - - [21/Jun/2024:08:00:01 +0800] "GET / HTTP/1.1" 502 157 "ref" "ua".
func (p *parser) access(ev *Event, s string) bool {
	var host, ident, user string
	rest := s
	var ok bool
	if host, rest, ok = cutSpace(rest); !ok {
		return false
	}
	if ident, rest, ok = cutSpace(rest); !ok {
		return false
	}
	if user, rest, ok = cutSpace(rest); !ok || !strings.HasPrefix(rest, "[") {
		return false
	}
	end := strings.IndexByte(rest, ']')
	if end < 0 {
		return false
	}
	ts := rest[1:end]
	rest = rest[end+1:]
	if !strings.HasPrefix(rest, " \"") {
		return false
	}
	req, rest, ok := quoted(rest[1:])
	if !ok || len(rest) < 4 || rest[0] != ' ' {
		return false
	}
	status, ok := statusValue(rest[1:4])
	if !ok || (len(rest) > 4 && rest[4] != ' ') {
		return false
	}
	t, err := time.Parse("02/Jan/2006:15:04:05 -0700", ts)
	if err != nil {
		return false
	}
	ev.Format = FormatAccess
	ev.Time = t
	ev.Status = status
	switch {
	case status >= 500:
		ev.Level = "error"
	case status >= 400:
		ev.Level = "warn"
	default:
		ev.Level = "info"
	}
	ev.Message = req
	p.setField("remote_addr", host)
	if ident != "-" {
		p.setField("ident", ident)
	}
	if user != "-" {
		p.setField("remote_user", user)
	}
	p.setField("time_local", ts)
	p.setField("request", req)
	if m, rest, ok := strings.Cut(req, " "); ok {
		p.setField("method", m)
		path, proto, _ := strings.Cut(rest, " ")
		p.setField("path", path)
		if proto != "" {
			p.setField("protocol", proto)
		}
	}
	p.setField("status", rest[1:4])
	rest = rest[4:]
	if b, r, ok := cutSpace(strings.TrimLeft(rest, " ")); ok || b != "" {
		p.setField("body_bytes_sent", b)
		rest = r
	}
	for _, name := range []string{"http_referer", "http_user_agent", "host"} {
		rest = strings.TrimLeft(rest, " ")
		if !strings.HasPrefix(rest, "\"") {
			break
		}
		v, r, ok := quoted(rest)
		if !ok {
			break
		}
		p.setField(name, v)
		rest = r
	}
	return true
}

// cutSpace splits at the first space.
func cutSpace(s string) (before, after string, ok bool) {
	i := strings.IndexByte(s, ' ')
	if i <= 0 {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}

// quoted reads a double-quoted field (\" escapes kept) at the start of s.
func quoted(s string) (v, rest string, ok bool) {
	if !strings.HasPrefix(s, "\"") {
		return "", s, false
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return s[1:i], s[i+1:], true
		}
	}
	return "", s, false
}

func statusValue(s string) (int, bool) {
	if len(s) != 3 || s[0] < '1' || s[0] > '5' || s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9' {
		return 0, false
	}
	return int(s[0]-'0')*100 + int(s[1]-'0')*10 + int(s[2]-'0'), true
}

// console reads the H5 runtime's browser-console lines: Safari's
// "[Error] …", Chrome's "index.js:12 Uncaught (in promise) …" and
// "xhr.js:220  GET https://… 502 (Bad Gateway)". It strips the console's
// prefix from body.
func (p *parser) console(ev *Event, body *string) bool {
	s := *body
	if len(s) > 2 && s[0] == '[' {
		if j := strings.IndexByte(s, ']'); j > 0 {
			switch s[1:j] {
			case "Error":
				ev.Level = "error"
			case "Warning":
				ev.Level = "warn"
			case "Log", "Info":
				ev.Level = "info"
			case "Debug", "Verbose":
				ev.Level = "debug"
			default:
				j = -1
			}
			if j > 0 {
				ev.Format = FormatConsole
				*body = strings.TrimLeft(s[j+1:], " ")
				s = *body
			}
		}
	}
	if src, rest, ok := cutSpace(s); ok && isSourceRef(src) {
		ev.Format = FormatConsole
		s = strings.TrimLeft(rest, " ")
		*body = s
	}
	if strings.HasPrefix(s, "Uncaught ") || strings.HasPrefix(s, "Uncaught(") {
		ev.Format = FormatConsole
		if ev.Level == "" {
			ev.Level = "error"
		}
	}
	return ev.Format == FormatConsole
}

// isSourceRef reports whether s is a console's "file.js:12" reference.
func isSourceRef(s string) bool {
	colon := strings.LastIndexByte(s, ':')
	if colon <= 0 || colon == len(s)-1 {
		return false
	}
	for i := colon + 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	name := s[:colon]
	if q := strings.IndexByte(name, '?'); q >= 0 {
		name = name[:q]
	}
	for _, ext := range []string{".js", ".ts", ".mjs", ".jsx", ".tsx", ".vue", ".html"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// tcsdk reads a Tencent Cloud SDK exception as the SDKs print it:
// Python "[TencentCloudSDKException] code:X message:Y requestId:Z",
// Go "[TencentCloudSDKError] Code=X, Message=Y, RequestId=Z",
// Java and Node "[TencentCloudSDKException]message:Y requestId:Z" with the
// code as "errorCode:X" or "code:X".
func (p *parser) tcsdk(ev *Event, body string) bool {
	i := strings.Index(body, "[TencentCloudSDK")
	if i < 0 {
		i = strings.Index(body, "TencentCloudSDK")
	}
	j := strings.IndexByte(body[i:], ']')
	if j < 0 {
		j = strings.IndexByte(body[i:], ':')
	}
	if j < 0 {
		return false
	}
	rest := body[i+j+1:]
	if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
		rest = rest[:nl]
	}
	type mark struct {
		key   string // field it fills
		at    int    // where the marker starts
		value int    // where its value starts
	}
	var marks [8]mark
	n := 0
	for _, m := range [...]struct{ lit, key string }{
		{"errorCode:", "code"}, {"code:", "code"}, {"Code=", "code"}, {"ErrorCode=", "code"},
		{"message:", "message"}, {"Message=", "message"},
		{"requestId:", "requestId"}, {"RequestId=", "requestId"},
	} {
		at := indexWord(rest, m.lit)
		if at < 0 || n == len(marks) {
			continue
		}
		dup := false
		for _, o := range marks[:n] {
			if o.key == m.key {
				dup = true
			}
		}
		if dup {
			continue
		}
		marks[n] = mark{m.key, at, at + len(m.lit)}
		n++
	}
	if n == 0 {
		return false
	}
	ms := marks[:n]
	// Values run to the next marker.
	for a := range ms {
		end := len(rest)
		for b := range ms {
			if ms[b].at >= ms[a].value && ms[b].at < end {
				end = ms[b].at
			}
		}
		v := strings.TrimSpace(rest[ms[a].value:end])
		v = strings.TrimSuffix(v, ",")
		v = strings.TrimSpace(v)
		switch ms[a].key {
		case "code":
			if v != "" && ev.Code == "" {
				ev.Code = normCode(v)
			}
		case "message":
			ev.ErrMessage = v
		case "requestId":
			ev.RequestID = v
		}
		p.setField(ms[a].key, v)
	}
	ev.Format = FormatTCSDK
	if ev.Level == "" {
		ev.Level = "error"
	}
	return true
}

// indexWord finds lit in s where it starts a word: at the start, or after
// a character that is not a letter or digit.
func indexWord(s, lit string) int {
	off := 0
	for {
		i := strings.Index(s[off:], lit)
		if i < 0 {
			return -1
		}
		i += off
		if i == 0 || !isWordByte(s[i-1]) {
			return i
		}
		off = i + 1
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// objects reads the objects in body, starting at the '{' at start, and
// merges their fields (the first writer of a key wins). It reports whether
// the first one broke off.
func (p *parser) objects(body string, start int) (firstBroken bool) {
	tries, read := 0, 0
	for start >= 0 && tries < maxObjTries && read < maxObjects {
		tries++
		before := len(p.keys)
		p.obj = objReader{s: body, i: start, fields: p.fields, order: &p.keys, key: p.obj.key[:0], esc: p.obj.esc}
		ok := p.obj.readObject()
		if tries == 1 && !ok {
			firstBroken = true
		}
		next := p.obj.i
		if len(p.keys) > before {
			read++
			tries = 0
		}
		if next <= start {
			next = start + 1
		}
		if next >= len(body) {
			break
		}
		i := strings.IndexByte(body[next:], '{')
		if i < 0 {
			break
		}
		start = next + i
	}
	return firstBroken
}

// logfmt reads key=value pairs; body is logfmt when it opens with a pair and
// holds at least two.
func (p *parser) logfmt(body string) bool {
	if nl := strings.IndexByte(body, '\n'); nl >= 0 {
		body = body[:nl]
	}
	n := 0
	before := len(p.keys)
	rest := body
	for rest != "" {
		rest = strings.TrimLeft(rest, " \t")
		k := 0
		for k < len(rest) && isKeyByte(rest[k]) {
			k++
		}
		if k == 0 || k >= len(rest) || rest[k] != '=' {
			// Skip a word that is not a pair.
			sp := indexSpace(rest)
			if sp < 0 {
				break
			}
			rest = rest[sp:]
			continue
		}
		key := rest[:k]
		rest = rest[k+1:]
		var v string
		if strings.HasPrefix(rest, "\"") {
			q, r, ok := quoted(rest)
			if !ok {
				v, rest = rest[1:], ""
			} else {
				v, rest = unquoteLogfmt(q), r
			}
		} else {
			sp := indexSpace(rest)
			if sp < 0 {
				sp = len(rest)
			}
			v, rest = rest[:sp], rest[sp:]
		}
		if _, dup := p.fields[key]; !dup {
			p.setField(key, v)
			n++
		}
	}
	if n < 2 {
		// Not logfmt: take back the pair set (setField never replaces, so
		// the keys added are exactly the ones to delete).
		for _, k := range p.keys[before:] {
			delete(p.fields, k)
		}
		p.keys = p.keys[:before]
		return false
	}
	return true
}

// startsWithPair reports whether s opens with key=value.
func startsWithPair(s string) bool {
	k := 0
	for k < len(s) && isKeyByte(s[k]) {
		k++
	}
	return k > 0 && k < len(s)-1 && s[k] == '='
}

// indexSpace is strings.IndexAny(s, " \t") without building a set.
func indexSpace(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' || s[i] == '\t' {
			return i
		}
	}
	return -1
}

func isKeyByte(c byte) bool {
	return isWordByte(c) || c == '.' || c == '-' || c == '@'
}

func unquoteLogfmt(s string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// What a field names, by its flattened key.
const (
	kindNone = iota
	kindCode
	kindMsg
	kindLevel
	kindTime
	kindRequestID
	kindStatus
	numKinds
)

// keyKind returns what a field key names and its preference among the keys
// of that kind, 0 the most preferred.
func keyKind(k string) (kind, rank int) {
	switch k {
	case "Response.Error.Code":
		return kindCode, 0
	case "errorCode":
		return kindCode, 1
	case "errCode":
		return kindCode, 2
	case "errcode":
		return kindCode, 3
	case "error_code":
		return kindCode, 4
	case "ErrorCode":
		return kindCode, 5
	case "err_code":
		return kindCode, 6
	case "ErrCode":
		return kindCode, 7
	case "code":
		return kindCode, 8
	case "Code":
		return kindCode, 9
	case "msg":
		return kindMsg, 0
	case "message":
		return kindMsg, 1
	case "Message":
		return kindMsg, 2
	case "errMsg":
		return kindMsg, 3
	case "errmsg":
		return kindMsg, 4
	case "errorMessage":
		return kindMsg, 5
	case "ErrorMessage":
		return kindMsg, 6
	case "error_message":
		return kindMsg, 7
	case "err_msg":
		return kindMsg, 8
	case "errorMsg":
		return kindMsg, 9
	case "log":
		return kindMsg, 10
	case "SCF_Message":
		return kindMsg, 11
	case "@m":
		return kindMsg, 12
	case "@mt":
		return kindMsg, 13
	case "level":
		return kindLevel, 0
	case "lvl":
		return kindLevel, 1
	case "severity":
		return kindLevel, 2
	case "levelname":
		return kindLevel, 3
	case "loglevel":
		return kindLevel, 4
	case "log_level":
		return kindLevel, 5
	case "Level":
		return kindLevel, 6
	case "Severity":
		return kindLevel, 7
	case "LogLevel":
		return kindLevel, 8
	case "@l":
		return kindLevel, 9
	case "log.level":
		return kindLevel, 10
	case "SCF_Level":
		return kindLevel, 11
	case "time":
		return kindTime, 0
	case "timestamp":
		return kindTime, 1
	case "ts":
		return kindTime, 2
	case "@timestamp":
		return kindTime, 3
	case "datetime":
		return kindTime, 4
	case "Time":
		return kindTime, 5
	case "Timestamp":
		return kindTime, 6
	case "@t":
		return kindTime, 7
	case "asctime":
		return kindTime, 8
	case "logtime":
		return kindTime, 9
	case "date":
		return kindTime, 10
	case "SCF_LogTime":
		return kindTime, 11
	case "Response.RequestId":
		return kindRequestID, 0
	case "RequestId":
		return kindRequestID, 1
	case "requestId":
		return kindRequestID, 2
	case "request_id":
		return kindRequestID, 3
	case "requestID":
		return kindRequestID, 4
	case "RequestID":
		return kindRequestID, 5
	case "reqId":
		return kindRequestID, 6
	case "req_id":
		return kindRequestID, 7
	case "x-request-id":
		return kindRequestID, 8
	case "SCF_RequestId":
		return kindRequestID, 9
	case "request-id":
		return kindRequestID, 10
	case "x_request_id":
		return kindRequestID, 11
	case "statusCode":
		return kindStatus, 0
	case "status":
		return kindStatus, 1
	case "StatusCode":
		return kindStatus, 2
	case "status_code":
		return kindStatus, 3
	case "httpStatus":
		return kindStatus, 4
	case "http_status":
		return kindStatus, 5
	case "Status":
		return kindStatus, 6
	case "res.statusCode":
		return kindStatus, 7
	case "response.status":
		return kindStatus, 8
	}
	return kindNone, 0
}

// errMsgRank returns the preference of a key (its last segment) for the
// message beside a code, -1 when it names no message.
func errMsgRank(k string) int {
	switch k {
	case "Message":
		return 0
	case "message":
		return 1
	case "msg":
		return 2
	case "errMsg":
		return 3
	case "errmsg":
		return 4
	case "errorMessage":
		return 5
	case "ErrorMessage":
		return 6
	case "error_message":
		return 7
	case "err_msg":
		return 8
	case "errorMsg":
		return 9
	case "Msg":
		return 10
	}
	return -1
}

// structured derives the Event's fields from the fields read, in one pass
// over their keys.
func (p *parser) structured(ev *Event) {
	f := p.fields
	var best [numKinds]string
	var bestRank [numKinds]int
	for _, k := range p.keys {
		kind, rank := keyKind(k)
		if kind == kindNone || f[k] == "" {
			continue
		}
		if kind == kindStatus {
			if n, err := strconv.Atoi(f[k]); err != nil || n < 100 || n > 599 {
				continue
			}
		}
		if best[kind] == "" || rank < bestRank[kind] {
			best[kind], bestRank[kind] = k, rank
		}
	}
	codeKey := best[kindCode]
	if codeKey == "" {
		// error.code, err.code, originError.Code: a code key under an
		// error object, shallowest first.
		depth := 0
		for _, k := range p.keys {
			dot := strings.LastIndexByte(k, '.')
			if dot < 0 || !isCodeKey(k[dot+1:]) || !errorParent(k[:dot]) || f[k] == "" {
				continue
			}
			if d := strings.Count(k, "."); codeKey == "" || d < depth {
				codeKey, depth = k, d
			}
		}
	}
	if codeKey != "" {
		ev.Code = normCode(f[codeKey])
		parent := codeKey[:strings.LastIndexByte(codeKey, '.')+1]
		bestMsg := -1
		for _, k := range p.keys {
			if len(k) <= len(parent) || k[:len(parent)] != parent || strings.IndexByte(k[len(parent):], '.') >= 0 {
				continue
			}
			if r := errMsgRank(k[len(parent):]); r >= 0 && (bestMsg < 0 || r < bestMsg) {
				ev.ErrMessage, bestMsg = f[k], r
			}
		}
	}
	if ev.Level == "" && best[kindLevel] != "" {
		ev.Level = normLevel(f[best[kindLevel]])
	}
	if ev.Time.IsZero() && best[kindTime] != "" {
		ev.Time = parseTimeValue(f[best[kindTime]])
	}
	if ev.RequestID == "" {
		ev.RequestID = f[best[kindRequestID]]
	}
	if ev.Status == 0 && best[kindStatus] != "" {
		ev.Status, _ = strconv.Atoi(f[best[kindStatus]])
	}
	if ev.Message == "" {
		ev.Message = f[best[kindMsg]]
		if ev.Message == "" {
			ev.Message = ev.ErrMessage
		}
	}
	// A message that is itself a JSON object (a container's "log" field, a
	// cloud function's SCF_Message) is read once, for what it carries.
	if m := strings.TrimSpace(ev.Message); len(m) > 1 && m[0] == '{' && m[len(m)-1] == '}' && codeKey == "" {
		n := len(p.keys)
		p.obj = objReader{s: m, fields: p.fields, order: &p.keys, key: p.obj.key[:0], esc: p.obj.esc}
		p.obj.readObject()
		if len(p.keys) > n {
			ev.Message = ""
			p.structured(ev)
			return
		}
	}

	// js-sdk: {"code":"OPERATION_FAIL","msg":"[FnError.HTTP.NetworkError] …"}.
	if (ev.Code == "" || isUpperSnake(ev.Code)) && ev.ErrMessage != "" {
		if c, msg, ok := p.bracketCode(ev.ErrMessage); ok && strings.HasPrefix(strings.TrimSpace(ev.ErrMessage), "[") {
			ev.Code, ev.ErrMessage = c, msg
			if ev.Format != FormatTCSDK {
				ev.Format = FormatJSSDK
			}
			return
		}
	}
	if ev.Format == FormatTCSDK || ev.Format == FormatLogfmt {
		return
	}
	// The object's own shape names the format; a plain, SCF or console line
	// carrying it takes that name.
	switch {
	case codeKey == "Response.Error.Code":
		ev.Format = FormatTCAPI
	case hasKey(f, "errorCode") && hasKey(f, "errorMessage"):
		ev.Format = FormatSCF
	case (hasKey(f, "errCode") || hasKey(f, "errcode")) && (hasKey(f, "errMsg") || hasKey(f, "errmsg")):
		ev.Format = FormatWXCloud
	case hasKey(f, "code") && (hasKey(f, "message") || hasKey(f, "msg")):
		ev.Format = FormatCloudBase
	case ev.Format == FormatPlain:
		ev.Format = FormatJSON
	}
}

func hasKey(f map[string]string, k string) bool { _, ok := f[k]; return ok }

// fieldOf returns the most preferred non-empty field of a kind.
func (p *parser) fieldOf(kind int) string {
	v, best := "", 0
	for _, k := range p.keys {
		if kd, rank := keyKind(k); kd == kind && p.fields[k] != "" && (v == "" || rank < best) {
			v, best = p.fields[k], rank
		}
	}
	return v
}

func isCodeKey(k string) bool {
	switch k {
	case "code", "Code", "errCode", "errcode", "errorCode", "ErrorCode", "error_code", "err_code", "ErrCode":
		return true
	}
	return false
}

// errorParent reports whether a key path names an error object.
func errorParent(path string) bool {
	last := path
	if dot := strings.LastIndexByte(path, '.'); dot >= 0 {
		last = path[dot+1:]
	}
	return strings.Contains(last, "err") || strings.Contains(last, "Err") || strings.Contains(last, "ERR")
}

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

// wxText reads wx.cloud's "errCode: -501000 | errMsg: …" and the
// cloud-function error inside it ("error code -504002", "innerCode: -80011").
func (p *parser) wxText(ev *Event, body string) {
	i := indexWord(body, "errCode:")
	if i < 0 {
		return
	}
	v := strings.TrimLeft(body[i+len("errCode:"):], " ")
	n := numberLen(v)
	if n == 0 {
		return
	}
	ev.Code = normCode(v[:n])
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
				p.setField("innerCode", normCode(v[:n]))
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

// bracketCode reads "[CODE] message" at the start of s, or a "[CODE]" in
// its first line, where CODE has a code's shape (FnError.HTTP.NetworkError)
// or is in a rule's vocabulary. It returns the code and the text after it.
func (p *parser) bracketCode(s string) (code, msg string, ok bool) {
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
		if codeShaped(c) || (p.isCode != nil && p.isCode(normCode(c))) {
			return normCode(c), strings.TrimSpace(line[i+j+1:]), true
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

// textCode finds a code in one of the text forms: code=X, code: 'X',
// "Code":"X", errCode: X, error_code=X, ErrorCode=X.
func textCode(s string) (string, bool) {
	off := 0
	for n := 0; n < 64; n++ {
		i := strings.Index(s[off:], "ode")
		if i < 0 {
			return "", false
		}
		i += off
		off = i + 3
		if i == 0 || (s[i-1] != 'c' && s[i-1] != 'C') {
			continue
		}
		ks := i - 1
		for ks > 0 && (isWordByte(s[ks-1])) {
			ks--
		}
		if !isCodeKey(s[ks : i+3]) {
			continue
		}
		j := i + 3
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
		for j < len(s) && s[j] == ' ' {
			j++
		}
		if j < len(s) && (s[j] == '"' || s[j] == '\'') {
			j++
		}
		k := j
		if k < len(s) && s[k] == '-' {
			k++
		}
		for k < len(s) && (isWordByte(s[k]) || s[k] == '.' || s[k] == ',' && k+1 < len(s) && s[k+1] >= '0' && s[k+1] <= '9' && k > j && s[k-1] >= '0' && s[k-1] <= '9') {
			k++
		}
		for k > j && s[k-1] == '.' {
			k--
		}
		if k == j || (k == j+1 && s[j] == '-') {
			continue
		}
		return normCode(s[j:k]), true
	}
	return "", false
}

// normCode trims a code and removes the thousands separators of a number:
// "100,009" → "100009".
func normCode(s string) string {
	s = strings.Trim(s, " \t\r\n\"'`")
	if !strings.Contains(s, ",") {
		return s
	}
	d := s
	if strings.HasPrefix(d, "-") {
		d = d[1:]
	}
	// Valid grouping: 1-3 digits, then groups of ",ddd".
	first := strings.IndexByte(d, ',')
	if first < 1 || first > 3 {
		return s
	}
	for i := 0; i < len(d); i++ {
		c := d[i]
		if c == ',' {
			if (len(d)-i-1)%4 != 3 {
				return s
			}
			continue
		}
		if c < '0' || c > '9' {
			return s
		}
	}
	return strings.ReplaceAll(s, ",", "")
}

// textRequestID finds "RequestId: x", "requestId: 'x'", "request_id=x".
func textRequestID(s string) string {
	for _, key := range []string{"RequestId", "requestId", "request_id", "requestID", "RequestID", "reqId"} {
		i := indexWord(s, key)
		if i < 0 {
			continue
		}
		j := i + len(key)
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
		i := strings.Index(s[off:], "tatus")
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
	for _, key := range [...]string{"状态码", "Invoke failed:"} {
		if i := strings.Index(s, key); i >= 0 {
			if v := statusAt(s, i+len(key)); v != 0 {
				return v
			}
		}
	}
	// Chrome: "GET https://… 502 (Bad Gateway)".
	off = 0
	for n := 0; n < 8; n++ {
		i := strings.Index(s[off:], " (")
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
		end := pos
		for end < len(s) && s[end] != ' ' && s[end] != '\t' && s[end] != '\n' {
			end++
			if end-pos > 40 {
				return "", s, false // a word this long is a message, not a prefix
			}
		}
		tok := s[pos:end]
		if lvl, ok := levelToken(tok, w == 0); ok {
			return lvl, strings.TrimLeft(s[end:], " \t-:|"), true
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
	if c := tok[0] | 0x20; (c < 'a' || c > 'z') && tok[0] != '[' && tok[0] != '<' {
		return "", false
	}
	bracketed := false
	if len(tok) > 2 && (tok[0] == '[' && tok[len(tok)-1] == ']' || tok[0] == '<' && tok[len(tok)-1] == '>') {
		tok, bracketed = tok[1:len(tok)-1], true
	}
	colon := false
	if i := strings.IndexByte(tok, ':'); i > 0 {
		tok, colon = tok[:i], true
	}
	tok = strings.TrimRight(tok, ",|")
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

// leadingTime reads a time at the start of s: 2024-06-21T08:00:01.123Z,
// 2024-06-21 08:00:01,123, 2024/06/21 08:00:01, [2024-06-21 08:00:01],
// optionally with a zone. A time without a zone is local time.
func leadingTime(s string) (time.Time, string, bool) {
	bracket := strings.HasPrefix(s, "[")
	if bracket {
		s = s[1:]
	}
	if len(s) < 19 || !digits(s[0:4]) || (s[4] != '-' && s[4] != '/') || !digits(s[5:7]) || s[7] != s[4] ||
		!digits(s[8:10]) || (s[10] != 'T' && s[10] != ' ') || !digits(s[11:13]) || s[13] != ':' ||
		!digits(s[14:16]) || s[16] != ':' || !digits(s[17:19]) {
		return time.Time{}, s, false
	}
	i := 19
	nsec := 0
	if i < len(s) && (s[i] == '.' || s[i] == ',') {
		j := i + 1
		for j < len(s) && j-i <= 9 && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		frac := s[i+1 : j]
		for k := 0; k < 9; k++ {
			nsec *= 10
			if k < len(frac) {
				nsec += int(frac[k] - '0')
			}
		}
		i = j
	}
	loc := time.Local
	switch {
	case i < len(s) && s[i] == 'Z':
		loc = time.UTC
		i++
	case i+6 <= len(s) && (s[i] == '+' || s[i] == '-') && digits(s[i+1:i+3]) && s[i+3] == ':' && digits(s[i+4:i+6]):
		off := (atoi2(s[i+1:i+3])*60 + atoi2(s[i+4:i+6])) * 60
		if s[i] == '-' {
			off = -off
		}
		loc = time.FixedZone("", off)
		i += 6
	case i+6 <= len(s) && s[i] == ' ' && (s[i+1] == '+' || s[i+1] == '-') && digits(s[i+2:i+6]):
		off := (atoi2(s[i+2:i+4])*60 + atoi2(s[i+4:i+6])) * 60
		if s[i+1] == '-' {
			off = -off
		}
		loc = time.FixedZone("", off)
		i += 6
	}
	if i < len(s) && s[i] != ' ' && s[i] != '\t' && s[i] != ']' && s[i] != '|' && s[i] != ',' {
		return time.Time{}, s, false
	}
	t := time.Date(atoi4(s[0:4]), time.Month(atoi2(s[5:7])), atoi2(s[8:10]),
		atoi2(s[11:13]), atoi2(s[14:16]), atoi2(s[17:19]), nsec, loc)
	rest := s[i:]
	if bracket {
		rest = strings.TrimPrefix(rest, "]")
	}
	if !strings.HasPrefix(rest, "\t") {
		rest = strings.TrimLeft(rest, " ,|")
	}
	return t, rest, true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }
func atoi4(s string) int { return atoi2(s[0:2])*100 + atoi2(s[2:4]) }

// parseTimeValue reads a time field: RFC 3339, "2006-01-02 15:04:05", or
// Unix seconds, milliseconds or nanoseconds.
func parseTimeValue(v string) time.Time {
	if t, _, ok := leadingTime(v); ok {
		return t
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil && n > 0 {
		switch {
		case n > 1e17:
			return time.Unix(0, int64(n))
		case n > 1e11:
			return time.UnixMilli(int64(n))
		default:
			sec := int64(n)
			return time.Unix(sec, int64((n-float64(sec))*1e9))
		}
	}
	return time.Time{}
}
