package parse

import (
	"strings"
	"testing"
)

// oldPrefixLevel and oldLevelToken are prefixLevel and levelToken as they
// were before the word loop read a table and levelToken turned away words
// by their first letter: the oracle of FuzzPrefixLevel.
func oldPrefixLevel(s string) (level, rest string, ok bool) {
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
		if lvl, ok := oldLevelToken(tok, w == 0); ok {
			return lvl, strings.TrimLeft(s[end:], " \t-:|"), true
		}
		if end < len(s) && s[end] == '\n' {
			break
		}
		pos = end
	}
	return "", s, false
}
func oldLevelToken(tok string, first bool) (string, bool) {
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

// FuzzPrefixLevel holds prefixLevel to the oracle.
func FuzzPrefixLevel(f *testing.F) {
	for _, s := range []string{"ERROR [main] x", "[error] 12#12: x", "- root - ERROR - x", "ERROR:root:x", "error: x",
		"2024 INFO\tx", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ERROR", "x y z w v u ERROR", "Warning, x", "<crit> x",
		"LOG x", "[LOG] x", "\rERROR x", "fatal:x", "ERROR|x", "Error: x",
		// Every level name of normLevel, so that a letter missing from
		// levelInitials fails here.
		"TRACE x", "DEBUG x", "VERBOSE x", "INFO x", "[information] x", "NOTICE x", "[log] x", "WARN x",
		"WARNING x", "ERR x", "SEVERE x", "CRITICAL x", "CRIT x", "FATAL x", "PANIC x", "ALERT x", "EMERG x",
		"[emergency] x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l1, r1, ok1 := prefixLevel(s)
		l2, r2, ok2 := oldPrefixLevel(s)
		if l1 != l2 || r1 != r2 || ok1 != ok2 {
			t.Fatalf("prefixLevel(%q) = %q %q %v, before %q %q %v", s, l1, r1, ok1, l2, r2, ok2)
		}
	})
}
