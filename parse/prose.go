package parse

import "strings"

// readProseCode reads a code that a sentence names next to a code word,
// when no code was found so far: "删除用户失败，错误码：100038", "错误码 100038",
// "用户未授权 (code 100038)", "failed with error code FailedOperation". The
// code must stand whole right after the word: a number glued to a unit,
// a time or an id ("code 128MB", "code 08:00", "code 100038-2") is not one.
func readProseCode(_ *Parser, st *state) bool {
	ev := st.ev
	if ev.Code == "" {
		if c, ok := ProseCode(st.body); ok {
			ev.Code = c
		}
	}
	return false
}

// proseKeys are the code words of a prose code, each followed by a
// separator (a colon in either width, '=', '为' or a space) and the code.
var proseKeys = [...]string{"错误码", "错误代码", "错误编号", "(code ", "（code ", "error code ", "Error code ", "error code: ",
	"Error code: ", "errcode ", "err code "}

// ProseCode finds a code that a sentence names next to a code word (see
// readProseCode). Package rules uses ProseKeyBefore, its counterpart, to
// tell whether a number stands in such a place.
func ProseCode(s string) (string, bool) {
	// Every code word holds "code" or "错误": one look for each before
	// looking for the words.
	if !findCode.In(s) && !strings.Contains(s, "错误") {
		return "", false
	}
	for _, key := range proseKeys {
		off := 0
		for n := 0; n < 8; n++ {
			i := strings.Index(s[off:], key)
			if i < 0 {
				break
			}
			i += off
			off = i + len(key)
			if key[0] != '(' && i > 0 && isWordByte(s[i-1]) && key[0] < 0x80 {
				continue // statusCode …, myerror code
			}
			j := skipProseSep(s, i+len(key))
			if c, ok := proseToken(s[j:]); ok {
				return c, true
			}
		}
	}
	return "", false
}

// skipProseSep skips what may stand between a code word and its code.
func skipProseSep(s string, j int) int {
	for j < len(s) {
		switch {
		case s[j] == ' ' || s[j] == ':' || s[j] == '=' || s[j] == '\t':
			j++
		case strings.HasPrefix(s[j:], "："):
			j += len("：")
		case strings.HasPrefix(s[j:], "为"):
			j += len("为")
		case strings.HasPrefix(s[j:], "是"):
			j += len("是")
		default:
			return j
		}
	}
	return j
}

// proseToken reads the code at the start of s: a whole number (a sign
// allowed) or a Tencent Cloud code (FailedOperation.X, UserError.Y), ended
// by the end, a space, a bracket or punctuation.
func proseToken(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	k := 0
	if s[0] == '-' || s[0] >= '0' && s[0] <= '9' {
		if s[0] == '-' {
			k++
		}
		d := k
		for k < len(s) && (s[k] >= '0' && s[k] <= '9' || s[k] == ',' && k+1 < len(s) && s[k+1] >= '0' && s[k+1] <= '9') {
			k++
		}
		if k == d {
			return "", false
		}
	} else if s[0] >= 'A' && s[0] <= 'Z' {
		for k < len(s) && (isWordByte(s[k]) || s[k] == '.' && k+1 < len(s) && isWordByte(s[k+1])) {
			k++
		}
		if k < 4 {
			return "", false
		}
	} else {
		return "", false
	}
	if k < len(s) && !proseCodeEnd(s[k:]) {
		return "", false
	}
	return NormCode(s[:k]), true
}

// proseCodeEnd reports whether what follows a code ends it: a space, a
// closing bracket, punctuation, a quote or a CJK character; not a letter, a
// digit, '-', ':' or '.' before a digit (128MB, 08:00, 100038-2, 1.5).
func proseCodeEnd(rest string) bool {
	c := rest[0]
	switch {
	case c >= 0x80:
		return true
	case c == ' ', c == '\t', c == '\n', c == '\r', c == ')', c == ']', c == ',', c == ';', c == '"', c == '\'', c == '|', c == '}':
		return true
	case c == '.':
		return len(rest) == 1 || rest[1] == ' '
	}
	return false
}

// ProseKeyBefore reports whether text[:end] ends with a code word and its
// separator (see ProseCode): what may stand before a numeric code in a
// sentence.
func ProseKeyBefore(text []byte, end int) bool {
	j := end
	for j > 0 {
		switch {
		case text[j-1] == ' ' || text[j-1] == ':' || text[j-1] == '=' || text[j-1] == '\t':
			j--
			continue
		case j >= 3 && (string(text[j-3:j]) == "：" || string(text[j-3:j]) == "为" || string(text[j-3:j]) == "是"):
			j -= 3
			continue
		}
		break
	}
	if j == end {
		// No separator: only 错误码100038 is written without one.
		return j >= len("错误码") && string(text[j-len("错误码"):j]) == "错误码"
	}
	for _, key := range proseKeys {
		key = trimRight(key, &keyTail)
		if j >= len(key) && string(text[j-len(key):j]) == key {
			return true
		}
	}
	return false
}
