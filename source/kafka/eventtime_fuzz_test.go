package kafka

import (
	"bytes"
	"testing"
	"time"
)

// FuzzEventTime: any value is safe to look at, and a time other than the
// fallback only ever comes from a top-level-looking __TIMESTAMP__ key.
func FuzzEventTime(f *testing.F) {
	f.Add([]byte(`{"SCF_Message":"x","__TIMESTAMP__":1764576000123}`))
	f.Add([]byte(`{"__TIMESTAMP__":"2026-12-01T08:00:00Z"}`))
	f.Add([]byte(`{"content":"{\"__TIMESTAMP__\":5}"}`))
	f.Add([]byte(`plain line`))
	fb := time.Unix(42, 0)
	f.Fuzz(func(t *testing.T, v []byte) {
		got := eventTime(v, fb)
		if !got.Equal(fb) && !bytes.Contains(v, timestampKey) {
			t.Fatalf("time %v from %q without the key", got, v)
		}
	})
}
