package parse

import "strings"

// logfmt reads key=value pairs; body is logfmt when it opens with a pair and
// holds at least two.
func (p *Parser) logfmt(body string) bool {
	if nl := strings.IndexByte(body, '\n'); nl >= 0 {
		body = body[:nl]
	}
	n := 0
	before := p.tab.len()
	rest := body
	for rest != "" {
		rest = trimLeft(rest, &blanks)
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
				v, rest = p.unquoteLogfmt(q), r
			}
		} else {
			sp := indexSpace(rest)
			if sp < 0 {
				sp = len(rest)
			}
			v, rest = rest[:sp], rest[sp:]
		}
		if !p.tab.has(key) {
			p.setField(key, v)
			n++
		}
	}
	if n < 2 {
		// Not logfmt: take back the pair set (setField never replaces, so
		// the fields added are exactly the ones to forget).
		p.tab.truncate(before)
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

// unquoteLogfmt returns a quoted value's text, its escapes decoded into
// the arena.
func (p *Parser) unquoteLogfmt(s string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	start := len(p.arena)
	b := p.arena
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n':
				b = append(b, '\n')
			case 't':
				b = append(b, '\t')
			default:
				b = append(b, s[i])
			}
			continue
		}
		b = append(b, s[i])
	}
	p.arena = b
	return bytesView(b[start:])
}
