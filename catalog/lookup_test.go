package catalog

import "testing"

func TestLookupCode(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		q, canonical string
		some         bool
	}{
		{"FailedOperation.FlexdbResourceOverdue", "FailedOperation.FlexdbResourceOverdue", true},
		{"failedoperation.flexdbresourceoverdue", "FailedOperation.FlexdbResourceOverdue", true},
		{"FlexdbResourceOverdue", "FailedOperation.FlexdbResourceOverdue", true},
		{"flexdbresourceoverdue", "FailedOperation.FlexdbResourceOverdue", true},
		{"  DsNotFound ", "UserError.DsNotFound", true},
		{"100,038", "100,038", true},
		{"FlexdbResourceOverdu", "", false},
		{"", "", false},
	} {
		rows, canonical := c.LookupCode(tc.q)
		if (len(rows) > 0) != tc.some || canonical != tc.canonical {
			t.Errorf("LookupCode(%q) = %d rows, %q; want rows %v, %q", tc.q, len(rows), canonical, tc.some, tc.canonical)
		}
		for _, r := range rows {
			if tc.canonical != "" && r.Code != tc.canonical && !contains(r.Aliases, tc.canonical) && stripSeparators(tc.canonical) != r.Code {
				t.Errorf("LookupCode(%q) gave a row of %s", tc.q, r.Code)
			}
		}
	}
	if e := c.LookupID("DATASOURCE/Flexdb-Resource-Overdue"); e == nil || e.ID != "datasource/flexdb-resource-overdue" {
		t.Errorf("LookupID ignoring case: %v", e)
	}
}
