package parse

import "strings"

// readTextCode reads a code in one of its text forms when no code was
// found so far; its message is the record's preferred message field.
func readTextCode(p *Parser, st *state) bool {
	ev := st.ev
	if ev.Code == "" {
		if c, ok := textCode(st.body); ok {
			ev.Code = c
			if ev.ErrMessage == "" {
				ev.ErrMessage = p.fieldOf(kindMsg)
			}
		}
	}
	return false
}

// textCode finds a code in one of the text forms: code=X, code: 'X',
// "Code":"X", errCode: X, error_code=X, ErrorCode=X.
func textCode(s string) (string, bool) {
	off := 0
	for n := 0; n < 64; n++ {
		i := findOde.Index(s[off:])
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
		if !isCodeKey(s[ks:i+3]) || inMetricLabels(s, ks) {
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
		return NormCode(s[j:k]), true
	}
	return "", false
}

// NormCode trims a code and removes the thousands separators of a number:
// "100,009" → "100009".
func NormCode(s string) string {
	s = trim(s, &codeQuotes)
	if !strings.Contains(s, ",") {
		return s
	}
	d := s
	d = strings.TrimPrefix(d, "-")
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
