package gen

import (
	"strings"
	"testing"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/record"
	"github.com/wedadiag/wedadiag/rules"
)

// diagnoseLine runs one record through the committed built-in rules and
// returns the ids it is diagnosed as.
func diagnoseLine(t *testing.T, m *rules.Matcher, res *diagnose.Resolver, line string) []string {
	t.Helper()
	rec := record.Record{Source: "test", Text: []byte(line), Lines: strings.Count(line, "\n") + 1, End: int64(len(line))}
	out := m.Match(&rec)
	var ids []string
	for _, f := range res.ResolveAll(out.Matches, nil) {
		ids = append(ids, f.Entry.ID)
	}
	return ids
}

func builtinMatcher(t *testing.T) (*catalog.Catalog, *rules.Matcher, *diagnose.Resolver) {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	set, err := diagnose.CompileRules(cat, rules.Builtin()...)
	if err != nil {
		t.Fatal(err)
	}
	return cat, set.NewMatcher(), diagnose.NewResolver(cat)
}

// Every example of every platform entry is one diagnosis of that entry
// with the rules as committed (so the committed file is not stale).
func TestPlatformExamplesResolve(t *testing.T) {
	cat, m, res := builtinMatcher(t)
	n := 0
	for _, e := range cat.Platform() {
		for _, ex := range e.Examples {
			n++
			if got := diagnoseLine(t, m, res, ex); len(got) != 1 || got[0] != e.ID {
				t.Errorf("%s: %q diagnosed as %v", e.ID, ex, got)
			}
		}
	}
	if n < 60 {
		t.Errorf("only %d platform examples", n)
	}
}

// Platform codes in logs the way they really appear, and near misses that
// must stay quiet.
func TestPlatformLines(t *testing.T) {
	_, m, res := builtinMatcher(t)
	tests := []struct{ name, line, want string }{
		{"wx.cloud timeout", `Error: cloud.callFunction:fail Error: errCode: -504003  | errMsg: Invoking task timed out after 3 seconds`, "wxcloud/504003-function-invoke-timeout"},
		{"wx.cloud errCode in JSON", `{"level":"error","msg":"callFunction failed","errCode":-504002,"errMsg":"functions execute fail"}`, "wxcloud/504002-function-execution-failed"},
		{"cloudbase SDK code", `{"code":"DATABASE_PERMISSION_DENIED","message":"permission denied","requestId":"5f0e9d8c7b6a4e3d"}`, "cloudbase/database-permission-denied"},
		{"cloudbase in console.error", `ERROR [models] { code: 'DATABASE_COLLECTION_NOT_EXIST', message: 'collection not exist', requestId: 'r1' }`, "cloudbase/database-collection-not-exist"},
		{"API 3.0 signature expired", `[TencentCloudSDKException] code:AuthFailure.SignatureExpire message:Signature expired. requestId:ed93f3cb`, "tcapi/auth-failure-signature-expire"},
		{"API 3.0 rate limit variant", `{"Response":{"Error":{"Code":"RequestLimitExceeded.UinLimitExceeded","Message":"too many requests"},"RequestId":"r2"}}`, "tcapi/request-limit-exceeded"},
		{"SCF timeout result", `ERROR RequestId:7a2ae0d9 Result:{"errorCode":-1,"errorMessage":"Invoking task timed out after 3 seconds","statusCode":433}`, "scf/433-time-limit-reached"},
		{"SCF async timeout", `{"errorCode":-1,"errorMessage":"Async invoking task timed out after 900 seconds"}`, "scf/433-time-limit-reached"},
		{"SCF timeout, other runtime wording", `2024-06-21T08:00:03.000Z ERROR Task timed out after 3.00 seconds`, "scf/433-time-limit-reached"},
		{"SCF memory", `{"errorCode":-1,"errorMessage":"memory exhausted","statusCode":434}`, "scf/434-memory-limit-reached"},
		{"SCF user code", `{"errorCode":1,"errorMessage":"user code exception caught","statusCode":430}`, "scf/430-user-code-exception"},

		{"code inside an id", `2024-06-21T08:00:01.000+08:00 ERROR [order] order ord-504003-7f2a failed validation`, ""},
		{"errCode zero", `{"errCode":0,"errMsg":"cloud.callFunction:ok"}`, ""},
		{"INFO mention", `2024-06-21T08:00:01.000+08:00 INFO [docs] DATABASE_PERMISSION_DENIED means the security rules refused the read`, ""},
		{"status 433 without SCF context", `203.0.113.7 - - [21/Jun/2024:08:00:01 +0800] "GET /api/433 HTTP/1.1" 200 433 "-" "curl/8"`, ""},
		{"timeout talk at info", `2024-06-21T08:00:01.000+08:00 INFO [scf] retry: a task timed out after 3 seconds is retried once`, ""},
		{"a code number as a size", `{"level":"error","msg":"upload failed","size":504003,"reason":"network"}`, ""},
		{"test name", `--- PASS: TestHandlesAuthFailureSignatureExpire (0.00s)`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := diagnoseLine(t, m, res, tt.line)
			if tt.want == "" {
				if len(got) > 0 {
					t.Errorf("%q diagnosed as %v, want nothing", tt.line, got)
				}
				return
			}
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("%q diagnosed as %v, want only %s", tt.line, got, tt.want)
			}
		})
	}
}
