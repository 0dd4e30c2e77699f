package rules

import "bytes"

// Byte-level tests of where a prefilter hit stands in a record's text:
// whole tokens and numbers, code positions (code=N, "errCode": N, [N],
// prose such as (code N)) and success values after a code key. They read
// the text only; the Matcher (match.go) decides what a hit satisfies.

// hasWholeNumber reports whether n, a number, occurs in text not as part
// of a longer one.
func hasWholeNumber(text, n []byte) bool {
	for off := 0; ; {
		i := bytes.Index(text[off:], n)
		if i < 0 {
			return false
		}
		i += off
		end := i + len(n)
		if (i == 0 || !isDigit(text[i-1])) && (end == len(text) || !isDigit(text[end])) {
			return true
		}
		off = i + 1
	}
}

// codePosition reports whether what starts at text[start] stands where the
// parser looks for a code: after a key ending in "ode" (code, Code,
// errCode, errorCode, error_code, Response.Error.Code) and ':' or '=', with
// quotes, backslashes and spaces around, or inside "[…]". It is a cheap
// necessary condition: a number elsewhere can never be Event.Code, so the
// record need not be parsed for it.
func codePosition(text []byte, start int) bool {
	i := start - 1
	for i >= 0 && isCodeGap(text[i]) {
		i--
	}
	if i < 0 {
		return false
	}
	switch text[i] {
	case '[':
		return true
	case ':', '=':
	default:
		return false
	}
	i--
	for i >= 0 && isCodeGap(text[i]) {
		i--
	}
	return i >= 2 && text[i-2] == 'o' && text[i-1] == 'd' && text[i] == 'e'
}

// numberAfterKey finds the number that follows text[start:end], a code
// key (codeKeys), where a code position holds one: after a key that is a
// word of its own or the end of errCode, errorCode, error_code, Error.Code
// (not statusCode), then ':' or '=' and a whole number, quotes and spaces
// allowed around; or between brackets. text[ds:de] is the number, its sign
// and thousands separators included. (proseNumberAfter finds the number
// after a code word of a sentence.)
func numberAfterKey(text []byte, start, end int) (ds, de int, ok bool) {
	if text[start] == '[' {
		i := end
		if i < len(text) && text[i] == '-' {
			i++
		}
		d := i
		for i < len(text) && (isDigit(text[i]) || text[i] == ',' && i+1 < len(text) && isDigit(text[i+1])) {
			i++
		}
		return end, i, i > d && i < len(text) && text[i] == ']'
	}
	j := start
	k := j
	if k > 0 && text[k-1] == '_' {
		k--
	}
	for _, p := range [...]string{"error", "Error", "ERROR", "err", "Err", "ERR"} {
		if k >= len(p) && string(text[k-len(p):k]) == p {
			j = k - len(p)
			break
		}
	}
	if j > 0 && isWordByte(text[j-1]) {
		return 0, 0, false // statusCode, encode, …
	}
	i := end
	for i < len(text) && isCodeGap(text[i]) {
		i++
	}
	if i >= len(text) || text[i] != ':' && text[i] != '=' {
		return 0, 0, false
	}
	i++
	for i < len(text) && isCodeGap(text[i]) {
		i++
	}
	ds = i
	if i < len(text) && text[i] == '-' {
		i++
	}
	d := i
	for i < len(text) && (isDigit(text[i]) || text[i] == ',' && i+1 < len(text) && isDigit(text[i+1])) {
		i++
	}
	// A whole number: 100009-1 or 100009.5 is not a code.
	ok = i > d && (i == len(text) || !isTokenByte(text[i]) && text[i] != '-' ||
		text[i] == '.' && (i+1 == len(text) || !isTokenByte(text[i+1])))
	return ds, i, ok
}

// proseNumberAfter finds a whole number that follows text[:end] after the
// separator of a code word of a sentence: "错误码：100009", "(code 100009)",
// "error code -504002". The caller checks the code word
// (parse.ProseKeyBefore at ds) when the number is worth it.
func proseNumberAfter(text []byte, end int) (ds, de int, ok bool) {
	i := end
	for i < len(text) {
		switch {
		case text[i] == ' ' || text[i] == ':' || text[i] == '=' || text[i] == '\t':
			i++
			continue
		case i+3 <= len(text) && (string(text[i:i+3]) == "：" || string(text[i:i+3]) == "为" || string(text[i:i+3]) == "是"):
			i += 3
			continue
		}
		break
	}
	d := i
	if i < len(text) && text[i] == '-' {
		i++
	}
	n := i
	for i < len(text) && (isDigit(text[i]) || text[i] == ',' && i > n && i+1 < len(text) && isDigit(text[i+1])) {
		i++
	}
	if i == n || i < len(text) && (isWordByte(text[i]) || text[i] == '-' || text[i] == ':' ||
		text[i] == '.' && i+1 < len(text) && isDigit(text[i+1])) {
		return 0, 0, false
	}
	return d, i, true
}

// numText returns num, a number, without its thousands separators (in buf
// when it has some): the form the set's numeric codes are kept in.
func numText(num []byte, buf *[24]byte) []byte {
	if bytes.IndexByte(num, ',') < 0 {
		return num
	}
	out := buf[:0]
	for _, c := range num {
		if c != ',' {
			if len(out) == len(buf) {
				return num
			}
			out = append(out, c)
		}
	}
	return out
}

// successAfterKey reports whether a success code (0, 200, OK, success, …)
// is the value after a key that ends at text[end]: `"errCode":0`,
// `errCode=0`. Anything else, or no value, is not known to be a success.
func successAfterKey(text []byte, end int) bool {
	i := end
	for i < len(text) && isCodeGap(text[i]) {
		i++
	}
	if i >= len(text) || text[i] != ':' && text[i] != '=' {
		return false
	}
	i++
	for i < len(text) && isCodeGap(text[i]) {
		i++
	}
	v := i
	for i < len(text) && isWordByte(text[i]) {
		i++
	}
	if i == v || i < len(text) && (text[i] == '.' || text[i] == '-') {
		return false
	}
	switch string(text[v:i]) {
	case "0", "200", "OK", "ok", "SUCCESS", "Success", "success", "null", "undefined":
		return true // successCode's, but ""
	}
	return false
}

// numStart is where a number token that starts at start begins with its
// sign.
func numStart(text []byte, start int) int {
	if start > 0 && text[start-1] == '-' {
		return start - 1
	}
	return start
}

func isCodeGap(c byte) bool { return byteClass[c]&classGap != 0 }

// The classes of byteClass: what the scans after a code key step over,
// told by one table load a byte instead of a chain of compares (the scans
// run on every hit of a code key, in nearly every success line).
const (
	classGap   = 1 << iota // isCodeGap: blanks, quotes, a backslash
	classSep               // ':' or '=', between a key and its value
	classRun               // a digit, '-' or ',': numberRunAfter's run
	classWord              // isWordByte
	classToken             // isTokenByte
)

var byteClass = func() (t [256]uint8) {
	for _, c := range []byte(" \t\n\r\"'\\") {
		t[c] |= classGap
	}
	t[':'] |= classSep
	t['='] |= classSep
	t['-'] |= classRun
	t[','] |= classRun
	for c := 0; c < 256; c++ {
		b := byte(c)
		if b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' {
			t[c] |= classWord | classToken
		}
		if b >= '0' && b <= '9' {
			t[c] |= classRun
		}
	}
	t['.'] |= classToken
	return t
}()

// wholeToken reports whether text[start:end] is a whole token: no token
// character ([A-Za-z0-9_.], and '-' for numbers) touches it on either side,
// except a '.' that ends a sentence.
func wholeToken(text []byte, start, end int, numeric bool) bool {
	if start > 0 {
		c := text[start-1]
		if isTokenByte(c) || numeric && (c == '-' || c == ',' && start > 1 && isDigit(text[start-2])) {
			return false
		}
	}
	if end < len(text) {
		c := text[end]
		if c == '.' {
			if end+1 < len(text) && isTokenByte(text[end+1]) {
				return false
			}
		} else if isTokenByte(c) || numeric && (c == '-' || c == ',' && end+1 < len(text) && isDigit(text[end+1])) {
			return false
		}
	}
	return true
}

func isTokenByte(c byte) bool { return byteClass[c]&classToken != 0 }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isWordByte(c byte) bool { return byteClass[c]&classWord != 0 }
