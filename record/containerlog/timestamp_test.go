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

// checkTimestamp: lastSecond.parse is time.Parse(time.RFC3339Nano): the same
// error or the same instant in the same zone.
// Through a lastSecond too, which keeps the second of what it read last.
func checkTimestamp(t *testing.T, s string, last *lastSecond) {
	t.Helper()
	want, err := time.Parse(time.RFC3339Nano, s)
	for _, l := range []*lastSecond{nil, last} {
		got, ok := l.parse([]byte(s))
		if ok != (err == nil) || ok && (!got.Equal(want) || got.Location().String() != want.Location().String()) {
			t.Fatalf("%q (kept second %v): parse %v %v, time.Parse %v %v", s, l != nil, got, ok, want, err)
		}
	}
}

func TestTimestampIsTimeParse(t *testing.T) {
	var last lastSecond
	for _, s := range timestampSeeds {
		checkTimestamp(t, s, &last)
	}
	// The same second with other fractions, then the next second.
	for _, s := range []string{"2024-06-21T08:00:00.5Z", "2024-06-21T08:00:00Z", "2024-06-21T08:00:00.000000001Z",
		"2024-06-21T08:00:00.x5Z", "2024-06-21T08:00:00+08:00", "2024-06-21T08:00:01.25Z", "2024-06-21T08:00:01Z"} {
		checkTimestamp(t, s, &last)
	}
	if _, ok := parseUTC([]byte(timestampSeeds[0])); !ok {
		t.Fatal("the kubelet's form is not read by the fast path")
	}
}

func FuzzTimestamp(f *testing.F) {
	for _, s := range timestampSeeds {
		f.Add(s)
	}
	var last lastSecond // kept from input to input
	f.Fuzz(func(t *testing.T, s string) {
		checkTimestamp(t, s, &last)
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
