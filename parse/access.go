package parse

import (
	"strings"
	"time"
)

// readAccess reads an access line, which is the whole record, unless the
// source declared plain text or JSON.
func readAccess(p *Parser, st *state) bool {
	return st.format != InputPlain && st.format != InputJSON && p.access(st.ev, st.body)
}

// access reads an nginx combined (or common) access line:
// 1.2.3.4 - - [21/Jun/2024:08:00:01 +0800] "GET / HTTP/1.1" 502 157 "ref" "ua".
func (p *Parser) access(ev *Event, s string) bool {
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
