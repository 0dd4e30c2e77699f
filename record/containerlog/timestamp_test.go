package containerlog

import (
	"testing"
	"time"
)

var timestampSeeds = []string{
	"2024-06-21T08:00:00.123456789Z", "2024-06-21T08:00:00Z", "2024-06-21T08:00:00.1Z",
	"2024-02-29T23:59:59.999Z", "2023-02-29T00:00:00Z", "2024-06-31T00:00:00Z", "2024-13-01T00:00:00Z",
	"2024-06-21T24:00:00Z", "2024-06-21T08:60:00Z", "2024-06-21T08:00:60Z", "2024-06-21T08:00:00.Z",
	"2024-06-21T08:00:00.1234567890Z", "2024-06-21T08:00:00,5Z", "2024-06-21t08:00:00Z",
	"2024-06-21T08:00:00.5+08:00", "2024-06-21T08:00:00z", "0000-01-01T00:00:00Z", "2024-06-21T08:00:00.-5Z",
}

// checkTimestamp: parseTimestamp is time.Parse(time.RFC3339Nano): the same
// error or the same instant in the same zone.
func checkTimestamp(t *testing.T, s string) {
	t.Helper()
	got, ok := parseTimestamp([]byte(s))
	want, err := time.Parse(time.RFC3339Nano, s)
	if ok != (err == nil) || ok && (!got.Equal(want) || got.Location().String() != want.Location().String()) {
		t.Fatalf("%q: parseTimestamp %v %v, time.Parse %v %v", s, got, ok, want, err)
	}
}

func TestTimestampIsTimeParse(t *testing.T) {
	for _, s := range timestampSeeds {
		checkTimestamp(t, s)
	}
	if _, ok := parseUTC([]byte(timestampSeeds[0])); !ok {
		t.Fatal("the kubelet's form is not read by the fast path")
	}
}

func FuzzTimestamp(f *testing.F) {
	for _, s := range timestampSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkTimestamp(t, s)
	})
}

// Every day from year 0 to 2400 (days 1–28 of each month, the ones the
// fast path reads) lands where time.Date puts it.
func TestDaysFromCivil(t *testing.T) {
	for y := 0; y <= 2400; y++ {
		for m := 1; m <= 12; m++ {
			for _, d := range []int{1, 15, 28} {
				want := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix() / 86400
				if r := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix(); r < 0 && r%86400 != 0 {
					want--
				}
				if got := daysFromCivil(y, m, d); got != want {
					t.Fatalf("%04d-%02d-%02d: %d days, time.Date %d", y, m, d, got, want)
				}
			}
		}
	}
}
