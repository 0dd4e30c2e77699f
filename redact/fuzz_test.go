package redact

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSample checks the invariants of a sample for any input: it is valid
// UTF-8, within the limit, masking it again changes nothing, and a password
// planted in it never survives.
func FuzzSample(f *testing.F) {
	f.Add([]byte(`{"password":"x"}`), 64)
	f.Add([]byte("Authorization: Bearer abcdefghijkl\n13812345678"), 16)
	f.Add([]byte("\xff\x00数据源"), 3)
	r := Default()
	f.Fuzz(func(t *testing.T, in []byte, limit int) {
		rl, err := New(Options{Limit: limit % 4096})
		if err != nil {
			t.Fatal(err)
		}
		s := rl.Sample(in)
		if !utf8.ValidString(s) || len(s) > rl.Limit() {
			t.Fatalf("sample %q (limit %d)", s, rl.Limit())
		}
		red := r.Redact(strings.ToValidUTF8(string(in), "\uFFFD"))
		if again := r.Redact(red); again != red {
			t.Fatalf("not idempotent:\n%q\n%q", red, again)
		}
		planted := r.Redact(string(in) + " password=Pl4ntedS3cret ")
		if strings.Contains(planted, "Pl4ntedS3cret") {
			t.Fatalf("planted secret survived: %q", planted)
		}
	})
}
