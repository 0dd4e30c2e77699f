package cloudbase

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/wedadiag/wedadiag/internal/clstime"
)

func unquote(b []byte) (string, error) {
	var s string
	err := json.Unmarshal(b, &s)
	return s, err
}

// parseEventTime reads a result's Timestamp: "YYYY-MM-DD HH:mm:ss[.fff]" in
// loc (the API's documented form), RFC 3339 with its own zone, or Unix
// seconds, milliseconds, microseconds or nanoseconds.
func parseEventTime(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if isDigits(s) {
		return clstime.Epoch(s)
	}
	if len(s) >= 19 && s[10] == 'T' {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t, true
		}
	}
	// The fraction after the seconds is accepted even though the layout
	// has none.
	if t, err := time.ParseInLocation(apiTimeLayout, s, loc); err == nil {
		return t, true
	}
	return time.Time{}, false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}
