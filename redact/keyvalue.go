package redact

import "strings"

// keyValueWords are the gate words of the key_value step: every name of
// secretKeys holds one of them.
var keyValueWords = []string{"secret", "pass", "pwd", "token", "key", "signature", "credential"}

// keyValueStarts holds the first byte of each of keyValueWords, in both
// cases.
var keyValueStarts = func() (t [256]bool) {
	for _, w := range keyValueWords {
		for _, c := range bothCases(w[0]) {
			t[c] = true
		}
	}
	return t
}()

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
		if !keyValueStarts[s[i]] {
			continue
		}
		for _, w := range keyValueWords {
			if hasPrefixFold(s[i:], w) && separatorAfterName(s, i+len(w)) {
				return true
			}
		}
	}
	return false
}

// separatorAfterName reports whether s[j:], after the rest of a name, opens
// with `\\?["']?[\t\n\f\r ]*[:=]`.
func separatorAfterName(s string, j int) bool {
	for j < len(s) && (isAlnum(s[j]) || s[j] == '-') {
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
