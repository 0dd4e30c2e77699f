package redact

import (
	"regexp"
	"strings"
	"sync"
)

// builtin is one built-in masking step: a cheap lower-case gate word that
// must occur (case-insensitively) before the regexp runs, the regexp, and a
// function that turns one match (its submatch indices into s) into its
// replacement.
type builtin struct {
	name  string
	quick []string
	re    *regexp.Regexp
	fn    func(s string, m []int) string
	// maybe, when set, is a finer look than the gate at whether re can
	// match s: false only when it cannot.
	maybe func(s string) bool
}

func (b builtin) apply(s string) string {
	ms := b.re.FindAllStringSubmatchIndex(s, -1)
	if ms == nil {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s))
	last := 0
	for _, m := range ms {
		sb.WriteString(s[last:m[0]])
		sb.WriteString(b.fn(s, m))
		last = m[1]
	}
	sb.WriteString(s[last:])
	return sb.String()
}

// secretKeys are the names whose value is a secret, in any case, with _ or -
// or nothing between the words: password, secretKey, access_token ….
const secretKeys = `(?:secret[_-]?(?:key|id)|client[_-]?secret|app[_-]?secret|secret|` +
	`pass(?:word|wd)|pwd|` +
	`(?:access|refresh|id|session|auth|api|security|x-tc)[_-]?token|token|` +
	`api[_-]?key|access[_-]?key(?:[_-]?(?:id|secret))?|private[_-]?key|` +
	`signature|credentials?)`

// value is a quoted value (JSON, JS, escaped JSON inside a string) or a bare
// one up to a separator.
const value = `(\\"(?:[^"\\]|\\[^"])*\\"|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s&,;"'}\]\\]+)`

// builtins are the built-in steps, their regexps compiled on first use: a
// run that makes no sample compiles none.
var builtins = sync.OnceValue(func() []builtin {
	return []builtin{
		{
			name:  "private_key",
			quick: []string{"private key"},
			re:    regexp.MustCompile(`(?s)-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)`),
			fn:    func(string, []int) string { return "[REDACTED:private_key]" },
		},
		{
			// Header-like credentials whose value runs to the end of its quotes
			// or its line: Authorization (Bearer, Basic, TC3-HMAC-SHA256 …),
			// Cookie, Set-Cookie.
			name:  "header",
			quick: []string{"authorization", "cookie", "x-tc-token"},
			re: regexp.MustCompile(`(?i)\b((?:proxy-)?authorization|cookie|set-cookie|x-tc-token)(\\?["']?\s*[:=]\s*)` +
				`(\\"(?:[^"\\]|\\[^"])*\\"|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\r\n]*)`),
			fn: func(s string, m []int) string {
				return s[m[2]:m[5]] + maskValue(s[m[6]:m[7]])
			},
		},
		{
			name:  "bearer",
			quick: []string{"bearer", "basic"},
			re:    regexp.MustCompile(`(?i)\b(bearer|basic)\s+([A-Za-z0-9._~+/=-]{8,})`),
			fn: func(s string, m []int) string {
				if strings.HasPrefix(s[m[4]:m[5]], "[REDACTED") {
					return s[m[0]:m[1]]
				}
				return s[m[2]:m[3]] + " " + Mask
			},
		},
		{
			// key=value, "key": "value", key: 'value', key => value, and the
			// same inside an escaped JSON string.
			name:  "key_value",
			quick: keyValueWords,
			re:    regexp.MustCompile(`(?i)(^|[^A-Za-z0-9_])(` + secretKeys + `)(\\?["']?\s*(?::|=>?)\s*)` + value),
			maybe: keyBeforeSeparator,
			fn: func(s string, m []int) string {
				return s[m[0]:m[7]] + maskValue(s[m[8]:m[9]])
			},
		},
		{
			// URL query credentials: a WeCom or DingTalk robot's key, OAuth
			// tokens, signatures.
			name:  "query",
			quick: []string{"key=", "token=", "sign", "sig=", "secret=", "password=", "ticket="},
			re:    regexp.MustCompile(`(?i)([?&](?:key|access_token|token|sign|signature|sig|secret|password|ticket|apikey|api_key|x-amz-signature|x-cos-security-token)=)([^&\s"'#<>]+)`),
			fn: func(s string, m []int) string {
				if strings.HasPrefix(s[m[4]:m[5]], "[REDACTED") {
					return s[m[0]:m[1]]
				}
				return s[m[2]:m[3]] + Mask
			},
		},
		{
			name:  "jwt",
			quick: []string{"eyj"},
			re:    regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*`),
			fn:    func(string, []int) string { return "[REDACTED:jwt]" },
		},
		{
			// A Tencent Cloud SecretId, wherever it stands.
			name:  "secret_id",
			quick: []string{"akid"},
			re:    regexp.MustCompile(`\bAKID[A-Za-z0-9]{10,}`),
			fn:    func(string, []int) string { return "[REDACTED:secret_id]" },
		},
		{
			name:  "email",
			quick: []string{"@"},
			re:    regexp.MustCompile(`\b([A-Za-z0-9][A-Za-z0-9._%+-]*)@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})\b`),
			fn: func(s string, m []int) string {
				local := s[m[2]:m[3]]
				return local[:1] + "***@" + s[m[4]:m[5]]
			},
		},
	}
})

// maskValue replaces a value by Mask, keeping its quotes. Empty values and
// values already masked stay as they are.
func maskValue(v string) string {
	for _, q := range []string{`\"`, `"`, `'`} {
		if len(v) >= 2*len(q) && strings.HasPrefix(v, q) && strings.HasSuffix(v, q) {
			inner := v[len(q) : len(v)-len(q)]
			if inner == "" || strings.HasPrefix(inner, "[REDACTED") {
				return v
			}
			return q + Mask + q
		}
	}
	if v == "" || strings.HasPrefix(v, "[REDACTED") || strings.TrimSpace(v) == "" {
		return v
	}
	return Mask
}
