package textutil

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCut(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 20, "short"},
		{"short", 5, "short"},
		{"shorter", 6, "sho…"},
		{"abcdef", 3, "abc"},
		{"abcdef", 4, "a…"},
		{"abcdef", 2, "ab"},
		{"abcdef", 1, "a"},
		{"abcdef", 0, ""},
		{"abcdef", -1, ""},
		{"数据源", 8, "数…"},
		{"数据源", 5, "…"},
		{"数据源", 2, ""},
		{"数据源", 3, "数"},
		{"数据", 2, ""},
		{"数据源", 7, "数…"},
		{"数据源x", 8, "数…"},
		{"", 0, ""},
	} {
		if got := Cut(tt.in, tt.n); got != tt.want {
			t.Errorf("Cut(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

// TestCutEveryLimit: for every limit, tiny ones included, the result fits,
// is valid UTF-8 and is a prefix of the input (mark aside).
func TestCutEveryLimit(t *testing.T) {
	in := "a数é" + strings.Repeat("x", 3) + "🙂z"
	for n := -2; n <= len(in)+1; n++ {
		got := Cut(in, n)
		if len(got) > max(n, 0) {
			t.Errorf("Cut(%q, %d) = %q: %d bytes", in, n, got, len(got))
		}
		if !utf8.ValidString(got) {
			t.Errorf("Cut(%q, %d) = %q: not UTF-8", in, n, got)
		}
		if !strings.HasPrefix(in, strings.TrimSuffix(got, Ellipsis)) {
			t.Errorf("Cut(%q, %d) = %q: not a prefix", in, n, got)
		}
	}
}

func TestLevenshtein(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"kitten", "sitting", 3},
		{"severity", "severty", 1},
		{"数据源", "数据", 1},
		{"flaw", "lawn", 2},
	} {
		if got := Levenshtein(tt.a, tt.b); got != tt.want {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Levenshtein(tt.b, tt.a); got != tt.want {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestHex(t *testing.T) {
	for _, c := range []struct {
		in   string
		want uint32
		ok   bool
	}{{"00e9", 0xe9, true}, {"FFFF", 0xffff, true}, {"aB", 0xab, true}, {"", 0, true}, {"12g4", 0, false}, {"-1", 0, false}} {
		if v, ok := Hex(c.in); v != c.want || ok != c.ok {
			t.Errorf("Hex(%q) = %x, %v; want %x, %v", c.in, v, ok, c.want, c.ok)
		}
		if v, ok := Hex([]byte(c.in)); v != c.want || ok != c.ok {
			t.Errorf("Hex([]byte(%q)) = %x, %v", c.in, v, ok)
		}
	}
}
