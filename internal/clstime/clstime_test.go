package clstime

import (
	"bytes"
	"testing"
	"time"
)

func TestEventTime(t *testing.T) {
	fb := time.Unix(1, 0)
	ms := time.UnixMilli(1764576000123)
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{`plain text line`, fb},
		{`{"SCF_Message":"x","__TIMESTAMP__":1764576000123}`, ms},
		{`{"__TIMESTAMP__" : "1764576000123", "a":1}`, ms},
		{`{"a":1,"__TIMESTAMP__":1764576000}`, time.Unix(1764576000, 0)},
		{`{"a":1,"__TIMESTAMP__":1764576000.5}`, time.Unix(1764576000, 5e8)},
		{`{"__TIMESTAMP__":1764576000123456}`, time.UnixMicro(1764576000123456)},
		{`{"__TIMESTAMP__":"2026-12-01T08:00:00.123Z"}`, time.Date(2026, 12, 1, 8, 0, 0, 123e6, time.UTC)},
		// JsonType 2: the nested JSON is a string; its keys are escaped
		// and never taken for the meta field.
		{`{"content":"{\"__TIMESTAMP__\":5}","__TIMESTAMP__":1764576000123}`, ms},
		{`{"content":"{\"__TIMESTAMP__\":5}"}`, fb},
		{`{"__TIMESTAMP__":null}`, fb},
		{`{"__TIMESTAMP__":"soon"}`, fb},
		{`{"__TIMESTAMP__":`, fb},
		{`{"__TIMESTAMP__"`, fb},
	} {
		if got := EventTime([]byte(tc.in), fb); !got.Equal(tc.want) {
			t.Errorf("EventTime(%s) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestEpoch(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"1796193005", time.Unix(1796193005, 0), true},
		{"1796193005.25", time.Unix(1796193005, 25e7), true},
		{"1796193005250", time.UnixMilli(1796193005250), true},
		{"1796193005250000", time.UnixMicro(1796193005250000), true},
		{"1796193005250000000", time.Unix(0, 1796193005250000000), true},
		{"0", time.Time{}, false},
		{"", time.Time{}, false},
		{".5", time.Time{}, false},
		{"12a", time.Time{}, false},
		{"-5", time.Time{}, false},
		{"1.2.3", time.Time{}, false},
		{"99999999999999999999", time.Time{}, false},
	} {
		got, ok := Epoch(tc.in)
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("Epoch(%q) = %v %v, want %v %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// FuzzEventTime: any value is safe to look at, and a time other than the
// fallback only ever comes from a top-level-looking __TIMESTAMP__ key.
func FuzzEventTime(f *testing.F) {
	f.Add([]byte(`{"SCF_Message":"x","__TIMESTAMP__":1764576000123}`))
	f.Add([]byte(`{"__TIMESTAMP__":"2026-12-01T08:00:00Z"}`))
	f.Add([]byte(`{"content":"{\"__TIMESTAMP__\":5}"}`))
	f.Add([]byte(`plain line`))
	fb := time.Unix(42, 0)
	f.Fuzz(func(t *testing.T, v []byte) {
		got := EventTime(v, fb)
		if !got.Equal(fb) && !bytes.Contains(v, timestampKey) {
			t.Fatalf("time %v from %q without the key", got, v)
		}
	})
}
