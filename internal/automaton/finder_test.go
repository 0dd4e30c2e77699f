package automaton

import (
	"strings"
	"testing"
)

var finderSeeds = []string{"tatus", " (", "eq", "TencentCloudSDK", "状态码", "x", "", "aa", "ode"}

func checkFinder(t *testing.T, sub, s string) {
	t.Helper()
	f := NewFinder(sub)
	if got, want := f.Index(s), strings.Index(s, sub); got != want {
		t.Fatalf("Finder(%q, byte %d).Index(%q) = %d, strings.Index %d", sub, f.k, s, got, want)
	}
	if f.In(s) != strings.Contains(s, sub) {
		t.Fatalf("Finder(%q).In(%q) is not strings.Contains", sub, s)
	}
}

// Finder.Index is strings.Index: at every place, near both ends, with
// repeats and with the rarest byte where the string does not start.
func TestFinderIsIndex(t *testing.T) {
	texts := []string{"", "s", "status", "statusCode: 502", "tatu", "ttatus", "xtatustatus",
		"GET https://x/y 502 (Bad Gateway)", "((( (", "requestId: r-1 eq", "e", "qe eq",
		"[TencentCloudSDKException] code:X", "状态码502 状态", "aaa", "a"}
	for _, sub := range finderSeeds {
		for _, s := range texts {
			checkFinder(t, sub, s)
			checkFinder(t, sub, s+sub)
			checkFinder(t, sub, sub+s)
		}
	}
}

func FuzzFinder(f *testing.F) {
	for _, s := range finderSeeds {
		f.Add(s, "a "+s+" b"+s)
	}
	f.Fuzz(func(t *testing.T, sub, s string) {
		checkFinder(t, sub, s)
	})
}
