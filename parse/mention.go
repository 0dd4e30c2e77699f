package parse

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// readMention recognises records that are text about errors rather than
// errors: a metric sample or its # HELP / # TYPE line (Prometheus text
// format), a row of a Markdown table, an item of a changelog or a list, a
// Markdown heading, a commit subject (git log --oneline, a conventional
// commit), a test runner's passing line. Such a record names codes and
// failure words in passing; its Format says so (FormatMetrics,
// FormatDocs), it keeps no code, and package rules matches no rule on it.
//
// Only a record that opened with no time and no level is considered: a
// line that a logger wrote is never documentation.
func readMention(_ *Parser, st *state) bool {
	ev := st.ev
	if ev.Level != "" || !ev.Time.IsZero() || st.body != st.s {
		return false
	}
	line := st.s
	if nl := strings.IndexByte(line, '\n'); nl >= 0 {
		line = line[:nl]
	}
	line = trimRight(line, &lineEndBlanks)
	switch {
	case isMetricLine(line):
		ev.Format = FormatMetrics
	case isDocsLine(line):
		ev.Format = FormatDocs
	default:
		return false
	}
	ev.Message = line
	return true
}

// isMetricLine reports whether line is a line of the Prometheus text
// format: "# HELP name …", "# TYPE name kind", or a sample "name{labels}
// value [timestamp]" whose name has an underscore or labels.
func isMetricLine(line string) bool {
	if strings.HasPrefix(line, "# HELP ") || strings.HasPrefix(line, "# TYPE ") {
		return true
	}
	i := 0
	for i < len(line) && (isWordByte(line[i]) || line[i] == ':') {
		i++
	}
	if i == 0 || line[0] >= '0' && line[0] <= '9' {
		return false
	}
	name := line[:i]
	rest := line[i:]
	labels := false
	if strings.HasPrefix(rest, "{") {
		j := closingBrace(rest)
		if j < 0 {
			return false
		}
		rest, labels = rest[j+1:], true
	}
	if !labels && !strings.Contains(name, "_") {
		return false
	}
	// One or two fields: the value and a timestamp.
	value, rest := nextField(rest)
	if value == "" || !isSampleValue(value) {
		return false
	}
	stamp, rest := nextField(rest)
	if stamp == "" {
		return true
	}
	if more, _ := nextField(rest); more != "" {
		return false
	}
	return digits(stamp)
}

// nextField returns the first field of s, as strings.Fields splits s,
// and the text after it; "" when s holds none. It allocates nothing.
func nextField(s string) (field, rest string) {
	start := -1
	for i := 0; i < len(s); {
		c, size := s[i], 1
		space := blanksAll.has(c)
		if c >= utf8.RuneSelf {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
		}
		switch {
		case space && start >= 0:
			return s[start:i], s[i:]
		case !space && start < 0:
			start = i
		}
		i += size
	}
	if start < 0 {
		return "", ""
	}
	return s[start:], ""
}

// inMetricLabels reports whether s[k:], a key, stands inside the label set
// of a metric sample written into a record: name{…,key="v",…} 0.
func inMetricLabels(s string, k int) bool {
	if k == 0 || s[k-1] != '{' && s[k-1] != ',' {
		return false
	}
	o := strings.LastIndexByte(s[:k], '{')
	if o <= 0 || !isWordByte(s[o-1]) || strings.ContainsAny(s[o:k], " \n") {
		return false
	}
	c := closingBrace(s[o:])
	if c < 0 {
		return false
	}
	rest := strings.TrimLeft(s[o+c+1:], " ")
	end := strings.IndexAny(rest, " \n")
	if end < 0 {
		end = len(rest)
	}
	return end > 0 && isSampleValue(rest[:end])
}

// InMetricSample reports whether text[start] stands inside the label set
// of a metric sample written into a record (name{code="X"} 0): a
// mention, not an occurrence.
func InMetricSample(text []byte, start int) bool {
	for i := start - 1; i >= 0 && i >= start-256; i-- {
		switch text[i] {
		case '{':
			k := i + 1
			s := string(text[i-min(i, 256) : min(len(text), start+512)])
			return inMetricLabels(s, k-(i-min(i, 256)))
		case '}', '\n':
			return false
		}
	}
	return false
}

// closingBrace returns the index of the '}' that closes the label set
// s opens, quoted values skipped, or -1.
func closingBrace(s string) int {
	quoted := false
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && c == '}':
			return i
		}
	}
	return -1
}

func isSampleValue(s string) bool {
	switch s {
	case "NaN", "+Inf", "-Inf":
		return true
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	if s == "" {
		return false
	}
	dot, exp := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && !exp:
			dot = true
		case (c == 'e' || c == 'E') && !exp && i > 0:
			exp = true
			if i+1 < len(s) && (s[i+1] == '-' || s[i+1] == '+') {
				i++
			}
		default:
			return false
		}
	}
	return true
}

// DocsLine reports whether one line of a record is documentation or
// history rather than a log line (isDocsLine): package rules does not count
// a code named on such a line of a multi-line record ("  ✓ maps
// FailedOperation to a hint" under a test runner's header).
func DocsLine(line string) bool { return isDocsLine(trimRight(line, &lineEndBlanks)) }

// isDocsLine reports whether line is documentation or history rather than
// a log record: a Markdown table row, list item or heading, a commit line,
// a passing test.
func isDocsLine(line string) bool {
	t := trimLeft(line, &blanks)
	switch {
	case len(t) >= 2 && t[0] == '|' && t[len(t)-1] == '|':
		return true // | FailedOperation | 任务不存在 | … |
	case strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") || strings.HasPrefix(t, "+ "):
		return true // - Fixed: retry on FailedOperation.FlexdbRequestTimeOut
	case strings.HasPrefix(t, "#"):
		h := strings.TrimLeft(t, "#")
		return len(t)-len(h) <= 6 && strings.HasPrefix(h, " ") // ## 1.2.0 / ### Fixed
	case strings.HasPrefix(t, "✓ ") || strings.HasPrefix(t, "✔ ") || strings.HasPrefix(t, "√ ") ||
		strings.HasPrefix(t, "--- PASS") || strings.HasPrefix(t, "PASS ") || strings.HasPrefix(t, "=== RUN"):
		return true
	case strings.HasPrefix(t, "Merge pull request #") || strings.HasPrefix(t, "Merge branch '"):
		return true
	}
	return isCommitLine(t)
}

// isCommitLine reports whether t is a commit subject: "<7-40 hex> subject"
// (git log --oneline), "commit <40 hex>", or a conventional commit
// "fix(flow): …", "test: …".
func isCommitLine(t string) bool {
	if rest, ok := strings.CutPrefix(t, "commit "); ok {
		t = rest
	}
	n := 0
	for n < len(t) && n <= 40 && (t[n] >= '0' && t[n] <= '9' || t[n] >= 'a' && t[n] <= 'f') {
		n++
	}
	if n >= 7 && n <= 40 && (n == len(t) || t[n] == ' ') {
		// An abbreviated hash may be all digits: then the subject must
		// read as one.
		hasLetter := strings.IndexFunc(t[:n], func(r rune) bool { return r >= 'a' && r <= 'f' }) >= 0
		rest := strings.TrimLeft(t[n:], " ")
		if hasLetter || conventionalCommit(rest) || strings.HasPrefix(rest, "Merge ") {
			return true
		}
	}
	return conventionalCommit(t)
}

// conventionalCommits are the types of the Conventional Commits convention
// (and Angular's), the words a commit subject opens with.
var conventionalCommits = [...]string{"feat", "fix", "docs", "test", "tests", "chore", "refactor", "perf", "ci",
	"build", "style", "revert"}

func conventionalCommit(t string) bool {
	for _, w := range conventionalCommits {
		rest, ok := strings.CutPrefix(t, w)
		if !ok {
			continue
		}
		if strings.HasPrefix(rest, "(") {
			j := strings.IndexByte(rest, ')')
			if j < 0 || j > 40 {
				return false
			}
			rest = rest[j+1:]
		}
		rest = strings.TrimPrefix(rest, "!")
		return strings.HasPrefix(rest, ": ")
	}
	return false
}
