package main

import (
	"strings"
	"testing"
)

// explain takes a code in any case and without its prefix.
func TestExplainForgivingCodes(t *testing.T) {
	for _, q := range []string{"flexdbresourceoverdue", "FlexdbResourceOverdue", "FAILEDOPERATION.FLEXDBRESOURCEOVERDUE", "Datasource/Flexdb-Resource-Overdue"} {
		code, out, errs := runCLI(t, "", "explain", q)
		if code != 0 || !strings.Contains(out, "Flexdb 读写次数到期") {
			t.Errorf("explain %s: exit %d, stderr %q\n%s", q, code, errs, out)
		}
	}
}
