package redact

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// keyValueStep is the key_value built-in.
func keyValueStep(t testing.TB) builtin {
	for _, b := range builtins() {
		if b.name == "key_value" {
			if b.maybe == nil {
				t.Fatal("key_value has no pre-check")
			}
			return b
		}
	}
	t.Fatal("no key_value step")
	return builtin{}
}

// checkMaybe fails when the regexp matches s and the pre-check said it
// could not.
func checkMaybe(t testing.TB, b builtin, s string) {
	if b.re.MatchString(s) && !b.maybe(s) {
		t.Fatalf("key_value matches %q, but its pre-check says it cannot", s)
	}
}

// TestKeyValuePreCheck: on texts built of secret names, separators,
// quotes, escapes, spaces, name bytes and the Unicode folds of k and s,
// the pre-check never turns away a text the regexp matches; and it does
// turn away the usual texts that only hold a gate word.
func TestKeyValuePreCheck(t *testing.T) {
	b := keyValueStep(t)
	parts := []string{"password", "PassWd", "secret_key", "SecretId", "access-key-secret", "x-tc-token", "token",
		"apiKey", "credentials", "signature", "pwd", "monkey", "passed", "tokens", ":", "=", "=>", " ", "\t", "\v",
		"\n", "\"", "'", `\`, `\"`, "_", "-", "a", "Z", "9", "{", ",", "\u212a", "\u017f", "ey", "ecret", "错"}
	r := rand.New(rand.NewPCG(3, 4))
	matched := 0
	for i := 0; i < 50000; i++ {
		var sb strings.Builder
		for n := 1 + r.IntN(7); n > 0; n-- {
			sb.WriteString(parts[r.IntN(len(parts))])
		}
		s := sb.String()
		if b.re.MatchString(s) {
			matched++
		}
		checkMaybe(t, b, s)
	}
	if matched < 1000 {
		t.Fatalf("only %d of the random texts match key_value: the test says little", matched)
	}
	for _, s := range []string{"api\u212aey=1", "\u017fecret: x", "Token: abc", `{\"password\":\"x\"}`, "pwd =>x"} {
		if !b.re.MatchString(s) {
			t.Fatalf("the regexp no longer matches %q", s)
		}
		checkMaybe(t, b, s)
	}
	for _, s := range []string{"monkey business", "all tests passed", "3 tokens left", "sorted by key", "signature verified"} {
		if b.maybe(s) {
			t.Errorf("pre-check lets %q through to the regexp", s)
		}
	}
}

func FuzzKeyValuePreCheck(f *testing.F) {
	for _, s := range []string{"password=1", `token\": \"x`, "apikey : 'v'", "monkey", "secret-id\t=x", "\u212aey=1"} {
		f.Add(s)
	}
	b := keyValueStep(f)
	f.Fuzz(func(t *testing.T, s string) { checkMaybe(t, b, s) })
}
