package redact

import "strings"

// maskNumbers masks Chinese mobile numbers (11 digits starting 13–19, with an
// optional 86 or +86 in front) and 18-character resident ID numbers (身份证,
// with a plausible birth date and a valid check character) that stand as a
// whole number: no ASCII letter or digit on either side. A mobile keeps its
// first 3 and last 4 digits, an ID number its first 3 and last 4 characters,
// so a sample still tells two people apart without naming them.
func maskNumbers(s string) string {
	var sb *strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if !isDigit(s[i]) || (i > 0 && isAlnum(s[i-1])) {
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		end := j
		if end < len(s) && (s[end] == 'X' || s[end] == 'x') && end-i == 17 {
			end++
		}
		if end < len(s) && isAlnum(s[end]) {
			i = j
			continue
		}
		run := s[i:end]
		masked := ""
		switch {
		case len(run) == 11 && isMobile(run):
			masked = run[:3] + "****" + run[7:]
		case len(run) == 13 && run[:2] == "86" && isMobile(run[2:]):
			masked = run[:5] + "****" + run[9:]
		case len(run) == 18 && isResidentID(run):
			masked = run[:3] + strings.Repeat("*", 11) + run[14:]
		}
		if masked != "" {
			if sb == nil {
				sb = &strings.Builder{}
				sb.Grow(len(s))
			}
			sb.WriteString(s[last:i])
			sb.WriteString(masked)
			last = end
		}
		i = end
	}
	if sb == nil {
		return s
	}
	sb.WriteString(s[last:])
	return sb.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAlnum(c byte) bool {
	return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z') || c == '_'
}

func isMobile(d string) bool { return d[0] == '1' && d[1] >= '3' && d[1] <= '9' }

// isResidentID checks an 18-character ID number: 17 digits, a birth date
// YYYYMMDD from 1900 on at positions 7–14, and the ISO 7064 MOD 11-2 check
// character.
func isResidentID(s string) bool {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for k := 0; k < 17; k++ {
		if !isDigit(s[k]) {
			return false
		}
		sum += int(s[k]-'0') * weights[k]
	}
	y := atoi(s[6:10])
	m := atoi(s[10:12])
	d := atoi(s[12:14])
	if y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	check := "10X98765432"[sum%11]
	c := s[17]
	if c == 'x' {
		c = 'X'
	}
	return c == check
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
