package parse

import (
	"strconv"
	"strings"
	"time"
)

// readLeadingTime reads the time a record opens with, after a "[tag] " (a
// logger or app name) if need be: "[weda-admin] 2025-03-18T09:15:02.118Z
// WARN …", and the Python runtime's "[ERROR]\t2024-06-21T08:00:01.123Z\t…",
// whose tag is the level.
func readLeadingTime(p *Parser, st *state) bool {
	ev, s := st.ev, st.s
	if t, rest, ok := leadingTimeIn(st.body, p.Loc, &p.zones); ok {
		ev.Time, st.body = t, rest
	} else if strings.HasPrefix(st.body, "[") {
		if j := strings.IndexByte(st.body, ']'); j > 0 && j < 64 {
			if t, rest, ok := leadingTimeIn(trimLeft(st.body[j+1:], &blanks), p.Loc, &p.zones); ok {
				ev.Time, st.body = t, rest
				if lvl := normLevel(s[1:j]); lvl != "" && isUpperSnake(s[1:j]) {
					ev.Level = lvl
				}
			}
		}
	}
	return false
}

// leadingTime reads a time at the start of s: 2024-06-21T08:00:01.123Z,
// 2024-06-21 08:00:01,123, 2024/06/21 08:00:01, [2024-06-21 08:00:01],
// optionally with a zone. A time without a zone is in zoneless (nil: the
// machine's zone).
func leadingTime(s string, zoneless *time.Location) (time.Time, string, bool) {
	return leadingTimeIn(s, zoneless, nil)
}

// leadingTimeIn is leadingTime taking the zones of offsets from zones
// (nil: a new one each time).
func leadingTimeIn(s string, zoneless *time.Location, zones *zoneCache) (time.Time, string, bool) {
	if zoneless == nil {
		zoneless = time.Local
	}
	bracket := strings.HasPrefix(s, "[")
	if bracket {
		s = s[1:]
	}
	if len(s) < 19 || !digits(s[0:4]) || (s[4] != '-' && s[4] != '/') || !digits(s[5:7]) || s[7] != s[4] ||
		!digits(s[8:10]) || (s[10] != 'T' && s[10] != ' ') || !digits(s[11:13]) || s[13] != ':' ||
		!digits(s[14:16]) || s[16] != ':' || !digits(s[17:19]) {
		return time.Time{}, s, false
	}
	i := 19
	nsec := 0
	if i < len(s) && (s[i] == '.' || s[i] == ',') {
		j := i + 1
		for j < len(s) && j-i <= 9 && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		frac := s[i+1 : j]
		for k := 0; k < 9; k++ {
			nsec *= 10
			if k < len(frac) {
				nsec += int(frac[k] - '0')
			}
		}
		i = j
	}
	loc := zoneless
	switch {
	case i < len(s) && s[i] == 'Z':
		loc = time.UTC
		i++
	case i+6 <= len(s) && (s[i] == '+' || s[i] == '-') && digits(s[i+1:i+3]) && s[i+3] == ':' && digits(s[i+4:i+6]):
		off := (atoi2(s[i+1:i+3])*60 + atoi2(s[i+4:i+6])) * 60
		if s[i] == '-' {
			off = -off
		}
		loc = zones.zone(off)
		i += 6
	case i+6 <= len(s) && s[i] == ' ' && (s[i+1] == '+' || s[i+1] == '-') && digits(s[i+2:i+6]):
		off := (atoi2(s[i+2:i+4])*60 + atoi2(s[i+4:i+6])) * 60
		if s[i+1] == '-' {
			off = -off
		}
		loc = zones.zone(off)
		i += 6
	}
	if i < len(s) && s[i] != ' ' && s[i] != '\t' && s[i] != ']' && s[i] != '|' && s[i] != ',' {
		return time.Time{}, s, false
	}
	t := time.Date(atoi4(s[0:4]), time.Month(atoi2(s[5:7])), atoi2(s[8:10]),
		atoi2(s[11:13]), atoi2(s[14:16]), atoi2(s[17:19]), nsec, loc)
	rest := s[i:]
	if bracket {
		rest = strings.TrimPrefix(rest, "]")
	}
	if !strings.HasPrefix(rest, "\t") {
		rest = trimLeft(rest, &timeTail)
	}
	return t, rest, true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

func atoi4(s string) int { return atoi2(s[0:2])*100 + atoi2(s[2:4]) }

// parseTimeValue reads a time field: RFC 3339, "2006-01-02 15:04:05", or
// Unix seconds, milliseconds or nanoseconds.
func parseTimeValue(v string, zoneless *time.Location, zones *zoneCache) time.Time {
	if t, _, ok := leadingTimeIn(v, zoneless, zones); ok {
		return t
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil && n > 0 {
		switch {
		case n > 1e17:
			return time.Unix(0, int64(n))
		case n > 1e11:
			return time.UnixMilli(int64(n))
		default:
			sec := int64(n)
			return time.Unix(sec, int64((n-float64(sec))*1e9))
		}
	}
	return time.Time{}
}

// zoneCache keeps the zones of the last few offsets that are not whole
// hours (time.FixedZone shares those of whole hours already), so that a
// log written at +05:30 does not allocate a zone per record. A zone is
// never changed once made: sharing one between Events is safe.
type zoneCache struct {
	off  [4]int
	loc  [4]*time.Location
	next int
}

// zone returns the unnamed zone at off seconds east of UTC.
func (z *zoneCache) zone(off int) *time.Location {
	if z == nil || off%3600 == 0 {
		return time.FixedZone("", off)
	}
	for i, l := range z.loc {
		if l != nil && z.off[i] == off {
			return l
		}
	}
	l := time.FixedZone("", off)
	z.off[z.next], z.loc[z.next] = off, l
	z.next = (z.next + 1) % len(z.loc)
	return l
}
