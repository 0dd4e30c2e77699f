package main

import (
	"strings"
	"testing"
)

// TestTable: shares per 100,000, rounded, sixteen bytes a row.
func TestTable(t *testing.T) {
	var count [256]int64
	count['a'], count['b'], count['\n'] = 3, 1, 4 // of 8 bytes
	out := table(&count, 8, 1)
	for _, want := range []string{
		"var logByteFreq = [256]uint16{",
		"0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 50000, 0, 0, 0, 0, 0, // 0x00",
		"0, 37500, 12500, 0,", // 0x60: '`', 'a', 'b', 'c'
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if rows := strings.Count(out, "// 0x"); rows != 16 {
		t.Errorf("%d rows, want 16", rows)
	}
}
