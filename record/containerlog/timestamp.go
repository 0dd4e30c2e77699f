package containerlog

import "time"

// lastSecond keeps the whole second of the last UTC timestamp read, so
// that a timestamp of the same second reads only its fraction.
type lastSecond struct {
	prefix [19]byte // "YYYY-MM-DDTHH:MM:SS"
	unix   int64
	ok     bool
}

// parse is time.Parse(time.RFC3339Nano, s) for the runtime's timestamps:
// the form the kubelet and containerd write in UTC,
// "2006-01-02T15:04:05.999999999Z", is read here without time.Parse's
// generic layout walk, and a timestamp in the second kept reads only its
// fraction; any other form, an offset or a day past the 28th among them,
// is left to time.Parse, so the results are time.Parse's. l may be nil
// (no second kept).
func (l *lastSecond) parse(s []byte) (time.Time, bool) {
	if t, ok := l.fast(s); ok {
		return t, true
	}
	t, err := time.Parse(time.RFC3339Nano, string(s))
	return t, err == nil
}

// fast reads s when it is in the runtime's UTC form (in the second kept,
// or parseUTC), keeping its second; false for any other form.
func (l *lastSecond) fast(s []byte) (time.Time, bool) {
	if l.kept(s) {
		nsec, _ := fraction(s[19 : len(s)-1])
		return time.Unix(l.unix, int64(nsec)).UTC(), true
	}
	t, ok := parseUTC(s)
	if ok && l != nil {
		copy(l.prefix[:], s[:19])
		l.unix, l.ok = t.Unix(), true
	}
	return t, ok
}

// kept reports whether s is a UTC timestamp in the second l keeps, read
// from its fraction alone.
func (l *lastSecond) kept(s []byte) bool {
	if l == nil || !l.ok || len(s) < 20 || s[len(s)-1] != 'Z' || string(s[:19]) != string(l.prefix[:]) {
		return false
	}
	_, ok := fraction(s[19 : len(s)-1])
	return ok
}

// parseUTC reads "YYYY-MM-DDTHH:MM:SS[.F{1,9}]Z" with every field in
// range and the day at most 28 (a day that exists in every month).
func parseUTC(s []byte) (time.Time, bool) {
	if len(s) < 20 || s[len(s)-1] != 'Z' || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	minute, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 ||
		month < 1 || month > 12 || day < 1 || day > 28 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	nsec, ok := fraction(s[19 : len(s)-1])
	if !ok {
		return time.Time{}, false
	}
	days := daysFromCivil(year, month, day)
	return time.Unix(days*86400+int64(hour*3600+minute*60+sec), int64(nsec)).UTC(), true
}

// fraction reads "" or ".F{1,9}" as nanoseconds.
func fraction(frac []byte) (int, bool) {
	if len(frac) == 0 {
		return 0, true
	}
	if len(frac) < 2 || len(frac) > 10 || frac[0] != '.' {
		return 0, false
	}
	n, ok := digits(frac[1:])
	if !ok {
		return 0, false
	}
	for range 10 - len(frac) {
		n *= 10
	}
	return n, true
}

// daysFromCivil is the number of days from 1970-01-01 to y-m-d of the
// proleptic Gregorian calendar (H. Hinnant's days_from_civil), what
// time.Date works out with more steps.
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// digits is the value of b, all ASCII digits.
func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
