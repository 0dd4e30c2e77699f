package clstime

import (
	"bytes"
	"strconv"
	"time"
)

var timestampKey = []byte(`"__TIMESTAMP__"`)

// EventTime returns the time of a CLS record: its __TIMESTAMP__ meta field
// when the value is a JSON object carrying one (a number or a string of
// seconds, milliseconds, microseconds or nanoseconds since the epoch, or
// RFC 3339), otherwise fallback (e.g. the Kafka record's timestamp). It
// looks at the top-level key only by position (an escaped key inside a
// nested JSON string reads \"__TIMESTAMP__\" and does not match) and does
// not parse the rest of the object.
func EventTime(value []byte, fallback time.Time) time.Time {
	if len(value) == 0 || value[0] != '{' {
		return fallback
	}
	i := bytes.Index(value, timestampKey)
	if i < 0 {
		return fallback
	}
	rest := bytes.TrimLeft(value[i+len(timestampKey):], " \t\r\n")
	if len(rest) == 0 || rest[0] != ':' {
		return fallback
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	var tok []byte
	if len(rest) > 0 && rest[0] == '"' {
		end := bytes.IndexByte(rest[1:], '"')
		if end < 0 {
			return fallback
		}
		tok = rest[1 : 1+end]
	} else {
		end := bytes.IndexAny(rest, ",} \t\r\n")
		if end < 0 {
			return fallback
		}
		tok = rest[:end]
	}
	if len(tok) > 0 && len(bytes.Trim(tok, "0123456789.")) == 0 {
		if t, ok := Epoch(string(tok)); ok {
			return t
		}
		return fallback
	}
	if t, err := time.Parse(time.RFC3339Nano, string(tok)); err == nil {
		return t
	}
	return fallback
}

// Epoch reads a positive Unix time written as digits, its unit told by
// its length: up to 10 digits are seconds (which may carry a fraction
// after a dot), up to 13 milliseconds, up to 16 microseconds, more
// nanoseconds (a fraction after those is ignored). Anything else, zero
// included, is not a time.
func Epoch(s string) (time.Time, bool) {
	frac := ""
	if i := indexDot(s); i >= 0 {
		s, frac = s[:i], s[i:]
	}
	if s == "" || !allDigits(s) {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}, false
	}
	switch {
	case len(s) <= 10:
		var ns int64
		if frac != "" {
			f, err := strconv.ParseFloat("0"+frac, 64)
			if err != nil {
				return time.Time{}, false
			}
			ns = int64(f * 1e9)
		}
		return time.Unix(n, ns), true
	case len(s) <= 13:
		return time.UnixMilli(n), true
	case len(s) <= 16:
		return time.UnixMicro(n), true
	default:
		return time.Unix(0, n), true
	}
}

func indexDot(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			return i
		}
	}
	return -1
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
