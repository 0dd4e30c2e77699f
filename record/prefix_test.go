package record

import "testing"

// The byte-by-byte checks digitsAround replaced.
func oldIsClock(b []byte) bool {
	return len(b) >= 8 && isDigit(b[0]) && isDigit(b[1]) && b[2] == ':' && isDigit(b[3]) && isDigit(b[4]) &&
		b[5] == ':' && isDigit(b[6]) && isDigit(b[7])
}

func oldIsDate(b []byte) bool {
	return isDigit(b[0]) && isDigit(b[1]) && isDigit(b[2]) && isDigit(b[3]) && b[4] == '-' &&
		isDigit(b[5]) && isDigit(b[6]) && b[7] == '-' && isDigit(b[8]) && isDigit(b[9])
}

func newIsDate(b []byte) bool {
	return timePrefix(append(b[:10:10], "T08:02:14 x"...)) > 0
}

// TestDigitsAround: every byte value at every place of a date and of a
// clock is told as the byte-by-byte checks tell it.
func TestDigitsAround(t *testing.T) {
	for _, tc := range []struct {
		name     string
		template string
		old, new func([]byte) bool
	}{
		{"clock", "08:02:14", oldIsClock, isClock},
		{"date", "2024-06-21", oldIsDate, newIsDate},
	} {
		for place := range tc.template {
			for c := 0; c < 256; c++ {
				b := []byte(tc.template)
				b[place] = byte(c)
				if got, want := tc.new(b), tc.old(b); got != want {
					t.Errorf("%s %q: %v, want %v", tc.name, b, got, want)
				}
			}
		}
	}
}

// FuzzTimePrefix: on any bytes, isClock and the date test of timePrefix
// agree with the byte-by-byte checks.
func FuzzTimePrefix(f *testing.F) {
	f.Add([]byte("2024-06-21T08:02:14.123+08:00 INFO x"))
	f.Add([]byte("2024-06-21 08:02:14,123 x"))
	f.Add([]byte("9999-99-99T99:99:99Z\t"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := isClock(b), oldIsClock(b); got != want {
			t.Fatalf("isClock(%q) = %v, want %v", b, got, want)
		}
		if len(b) >= 20 {
			want := oldIsDate(b) && (b[10] == 'T' || b[10] == ' ') && oldIsClock(b[11:])
			if got := timePrefix(b) > 0; got && !want {
				t.Fatalf("timePrefix(%q) > 0 without a date and clock", b)
			}
			if want && timePrefix(b) == 0 && oldTimePrefixRest(b) {
				t.Fatalf("timePrefix(%q) = 0 for a date and clock", b)
			}
		}
	})
}

// oldTimePrefixRest is timePrefix past the date and clock, for the fuzz
// test: whether what follows them makes a prefix.
func oldTimePrefixRest(b []byte) bool {
	c := append([]byte("2024-06-21T08:02:14"), b[19:]...)
	return timePrefix(c) > 0
}
