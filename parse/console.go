package parse

import "strings"

// readConsole strips a browser console's prefix.
func readConsole(p *Parser, st *state) bool {
	p.console(st.ev, &st.body)
	return false
}

// console reads the H5 runtime's browser-console lines: Safari's
// "[Error] …", Chrome's "index.js:12 Uncaught (in promise) …" and
// "xhr.js:220  GET https://… 502 (Bad Gateway)". It strips the console's
// prefix from body.
func (p *Parser) console(ev *Event, body *string) bool {
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
