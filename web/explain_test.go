package web

import (
	"strings"
	"testing"
)

// /explain/<code> works as /explain/<id> does: a code in any case, with or
// without its prefix; a code of several rows lists them.
func TestExplainByCode(t *testing.T) {
	h := testHandler(t, nil, nil)
	for _, path := range []string{"/explain/FailedOperation.FlexdbResourceOverdue", "/explain/flexdbresourceoverdue", "/explain/DATASOURCE/FLEXDB-RESOURCE-OVERDUE"} {
		if code, body := get(t, h, "GET", path); code != 200 || !strings.Contains(body, "Flexdb 读写次数到期") {
			t.Errorf("%s: %d", path, code)
		}
	}
	code, body := get(t, h, "GET", "/explain/FailedOperation")
	if code != 200 || strings.Count(body, `href="/explain/`) < 3 {
		t.Errorf("/explain/FailedOperation: %d, %d links", code, strings.Count(body, `href="/explain/`))
	}
}
