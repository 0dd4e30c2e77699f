package rules

import (
	"regexp"
	"strings"
	"testing"
)

// TestSpellingIsTheRegexp: the hand-written checks of rule ids and label
// values accept exactly what the regexps they stand for accept.
func TestSpellingIsTheRegexp(t *testing.T) {
	for _, c := range []struct {
		sp spelling
		re string
	}{
		{ruleIDRe, `^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$`},
		{labelRe, `^[a-z0-9][a-z0-9_-]{0,63}$`},
	} {
		re := regexp.MustCompile(c.re)
		inputs := []string{"", "a", "A", "0", "-a", ".a", "_a", "a-b", "a_b", "a.b", "a/b", "a b", "Ab", "aB",
			"weda-error-code", "faq/x.y_z", "é", "aé", "a\n", "\na",
			strings.Repeat("a", 63), strings.Repeat("a", 64), strings.Repeat("a", 65),
			strings.Repeat("a", 127), strings.Repeat("a", 128), strings.Repeat("a", 129)}
		for b := 0; b < 256; b++ {
			inputs = append(inputs, string([]byte{byte(b)}), "a"+string([]byte{byte(b)}))
		}
		for _, in := range inputs {
			if got, want := c.sp.MatchString(in), re.MatchString(in); got != want {
				t.Errorf("%s: %q: %v, the regexp says %v", c.re, in, got, want)
			}
		}
	}
}
