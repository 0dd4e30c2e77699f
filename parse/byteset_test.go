package parse

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// cutsets are the sets the parsers trim with, as strings.
var cutsets = map[*byteSet]string{
	&levelTail: " \t-:|", &levelTokTail: ",|", &blanks: " \t", &lineEndBlanks: " \t\r",
	&blanksAll: "\t\n\v\f\r ", &timeTail: " ,|", &codeQuotes: " \t\r\n\"'`", &keyTail: " :", &wordEnds: " \t\n",
}

// TestTrimsAgreeWithStrings holds trimLeft, trimRight and trim to the
// strings functions they stand for, on random texts of the bytes that
// matter (every set's bytes, letters, UTF-8 of a Chinese character).
func TestTrimsAgreeWithStrings(t *testing.T) {
	alphabet := []string{" ", "\t", "\r", "\n", "\v", "\f", "-", ":", "|", ",", "\"", "'", "`", "a", "Z", "0", "错", "\u3000", "\x85"}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := r.IntN(12); n > 0; n-- {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		s := b.String()
		for set, chars := range cutsets {
			if got, want := trimLeft(s, set), strings.TrimLeft(s, chars); got != want {
				t.Fatalf("trimLeft(%q, %q) = %q, strings.TrimLeft %q", s, chars, got, want)
			}
			if got, want := trimRight(s, set), strings.TrimRight(s, chars); got != want {
				t.Fatalf("trimRight(%q, %q) = %q, strings.TrimRight %q", s, chars, got, want)
			}
			if got, want := trim(s, set), strings.Trim(s, chars); got != want {
				t.Fatalf("trim(%q, %q) = %q, strings.Trim %q", s, chars, got, want)
			}
		}
	}
}

// FuzzNextField holds nextField to strings.Fields: taking fields one by
// one gives Fields' list.
func FuzzNextField(f *testing.F) {
	for _, s := range []string{"", " ", "1 1718956809123", "  NaN\t", "0 1 2", "1\u00a02", "1\u30002 ", "x\xffy z", "\x85a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.Fields(s)
		var got []string
		rest := s
		for {
			var field string
			field, rest = nextField(rest)
			if field == "" {
				break
			}
			got = append(got, field)
			if len(got) > len(want) {
				break
			}
		}
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") || len(got) != len(want) {
			t.Fatalf("nextField on %q gives %q, strings.Fields %q", s, got, want)
		}
	})
}

func TestNewByteSetRefusesNonASCII(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("newByteSet took a non-ASCII byte")
		}
	}()
	newByteSet("a\x80")
}
