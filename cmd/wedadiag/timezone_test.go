package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// --timezone reads zone-less times in that zone and shows every time in it;
// a zone the system does not know is a usage error.
func TestScanTimezone(t *testing.T) {
	utc(t)
	log := `2024-06-21 08:00:03 ERROR {"Response":{"Error":{"Code":"UserError.DsNotFound","Message":"找不到数据源order"}}}` + "\n" +
		`2024-06-21T00:00:09Z ERROR {"Response":{"Error":{"Code":"UserError.DsNotFound","Message":"找不到数据源order"}}}` + "\n"
	seen := func(args ...string) (string, string) {
		code, out, errs := runCLI(t, log, append([]string{"scan", "--format", "json"}, append(args, "-")...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var r struct {
			Diagnoses []struct {
				FirstSeen string `json:"first_seen"`
				LastSeen  string `json:"last_seen"`
			} `json:"diagnoses"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Diagnoses) != 1 {
			t.Fatalf("%v: %s", err, out)
		}
		return r.Diagnoses[0].FirstSeen, r.Diagnoses[0].LastSeen
	}
	// Machine zone UTC: the zone-less line is 08:00:03Z, after the Z line.
	if first, last := seen(); first != "2024-06-21T00:00:09Z" || last != "2024-06-21T08:00:03Z" {
		t.Errorf("machine zone: %s / %s", first, last)
	}
	// Asia/Shanghai: the zone-less line is 00:00:03Z, shown as 08:00:03+08:00.
	if first, last := seen("--timezone", "Asia/Shanghai"); first != "2024-06-21T08:00:03+08:00" || last != "2024-06-21T08:00:09+08:00" {
		t.Errorf("Asia/Shanghai: %s / %s", first, last)
	}
	code, _, errs := runCLI(t, log, "scan", "--timezone", "Mars/Olympus", "-")
	if code != 2 || !strings.Contains(errs, "Mars/Olympus") {
		t.Errorf("unknown zone: exit %d, %q", code, errs)
	}
}
