package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScanRecords checks that scan-records names each diagnosed record by
// its offsets and ids, skips benign lines, and fails on a missing file.
func TestScanRecords(t *testing.T) {
	lines := []string{
		`{"level":"info","msg":"request ok","code":0}`,
		`{"level":"error","code":"UserError.DsNotFound","msg":"找不到数据源order_info，或该数据源未正确更新"}`,
		`{"level":"info","msg":"done"}`,
	}
	path := filepath.Join(t.TempDir(), "app.log")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", "scan-records", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got []scanRecord
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var r scanRecord
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		got = append(got, r)
	}
	start := int64(len(lines[0]) + 1)
	want := scanRecord{Path: path, Offset: start, End: start + int64(len(lines[1])+1), IDs: []string{"apis/ds-not-found"}}
	if len(got) != 1 || got[0].Path != want.Path || got[0].Offset != want.Offset || got[0].End != want.End ||
		strings.Join(got[0].IDs, ",") != strings.Join(want.IDs, ",") {
		t.Errorf("scan-records = %+v, want [%+v]", got, want)
	}
	if code, _, _ := runCLI(t, "", "scan-records", filepath.Join(t.TempDir(), "missing.log")); code != 1 {
		t.Errorf("missing file: exit %d, want 1", code)
	}
}
