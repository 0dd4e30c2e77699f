package redact

import "strings"

// keyWords are the gate words of the key_value step: every name of
// secretKeys holds one of them.
var keyWords = [...]string{"secret", "pass", "pwd", "token", "key", "signature", "credential"}

// keyBeforeSeparator reports whether the key_value regexp may match s:
// whether some gate word (ASCII case ignored), with the rest of its name
// ([A-Za-z0-9_-]) after it, is followed by what the regexp wants after a
// name, `\\?["']?\s*` then ':' or '='. Every secretKeys name is a gate
// word with name bytes around it, so a match has such a word; most texts
// that only hold a gate word ("monkey", "passed", "tokens: 3" does pass)
// are told apart without the regexp, whose backtracking over secretKeys'
// alternation at every byte is the dearest part of a sample. The regexp's
// (?i) also folds K with U+212A (Kelvin) and s with U+017F (long s): a
// text holding either is left to the regexp.
func keyBeforeSeparator(s string) bool {
	if strings.Contains(s, "\u212a") || strings.Contains(s, "\u017f") {
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c != 's' && c != 'p' && c != 't' && c != 'k' && c != 'c' {
			continue
		}
		for _, w := range &keyWords {
			if w[0] != c || len(s)-i < len(w) || !equalFoldASCII(s[i:i+len(w)], w) {
				continue
			}
			if separatorAfterName(s, i+len(w)) {
				return true
			}
		}
	}
	return false
}

// separatorAfterName reports whether s[j:], after the rest of a name, opens
// with `\\?["']?[\t\n\f\r ]*[:=]`.
func separatorAfterName(s string, j int) bool {
	for j < len(s) && isNameByte(s[j]) {
		j++
	}
	if j < len(s) && s[j] == '\\' {
		j++
	}
	if j < len(s) && (s[j] == '"' || s[j] == '\'') {
		j++
	}
	for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\f' || s[j] == '\r') {
		j++
	}
	return j < len(s) && (s[j] == ':' || s[j] == '=')
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// equalFoldASCII reports whether a equals lower, a lower-case ASCII word,
// with ASCII case ignored.
func equalFoldASCII(a, lower string) bool {
	for i := 0; i < len(lower); i++ {
		if a[i]|0x20 != lower[i] {
			return false
		}
	}
	return true
}
