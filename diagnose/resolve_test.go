package diagnose

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/wedadiag/wedadiag/record"
)

// handle runs one line through a pipeline with an aggregator and returns
// the outcome's findings and the aggregated diagnoses.
func handle(t *testing.T, lines ...string) ([][]Found, []Diagnosis) {
	t.Helper()
	cat := testCatalog(t)
	agg := NewAggregator(cat, Options{})
	p := New(Config{Program: func() *Program { return testProgram(t) }, Resolver: NewResolver(cat), Sinks: []Sink{agg}})
	w := p.NewWorker()
	var found [][]Found
	for i, l := range lines {
		o := w.Handle(&record.Record{Source: "app", Text: []byte(l)}, int64(i))
		found = append(found, append([]Found(nil), o.Found...))
	}
	return found, agg.Diagnoses("zh")
}

// The resolution side of issue 11, record by record: the entry diagnosed,
// how (rule or text), and the alternatives, with negative cases.
func TestResolveRecords(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		want       string // "" for no diagnosis
		match      string
		alts       bool // some alternatives
	}{
		{"message of a split cell", `{"Response":{"Error":{"Code":"ErrParamInvalid","Message":"用户环境下不存在该应用"},"RequestId":"r1"}}`,
			"workbench/app-admin-app-not-found", MatchRule, false},
		{"context tells shared rows apart", `2024-06-21 10:00:01 ERROR revokeInstance failed: {"code":"FailedOperation","message":"任务不存在"}`,
			"flow/revoke-task-not-found", MatchRule, false},
		{"no context: best row with alternatives", `{"Response":{"Error":{"Code":"FailedOperation","Message":"任务不存在"},"RequestId":"r2"}}`,
			"flow/approve-task-not-found", MatchRule, true},
		{"known code, unknown message: generic row", `{"Response":{"Error":{"Code":"InvalidParameterValue","Message":"field x is bad"},"RequestId":"r3"}}`,
			"datasource/invalid-parameter-value", MatchRule, true},
		{"FailedOperation, unknown message", `{"Response":{"Error":{"Code":"FailedOperation","Message":"boom"},"RequestId":"r4"}}`,
			"tcapi/failed-operation", MatchRule, false},
		{"placeholder needs a character", `{"Response":{"Error":{"Code":"FailedOperation","Message":"参数无效，请修改后重试"},"RequestId":"r5"}}`,
			"flow/confirm-next-approver-invalid-parameter", MatchRule, false},
		{"telling message without code", `com.acme.weda.WedaException: 流程实例 ID 错误`,
			"flow/approval-page-get-variables-invalid-instance-id", MatchRule, false},
		{"wrapper code gives way to the table row", `2024-06-21 08:00:09 ERROR cloud.callFunction failed: Error: errCode: -504002 functions execute fail | errMsg: Error: FailedOperation.Aggregate: 客户请求参数不合法`,
			"datasource/aggregate-invalid-params", MatchRule, false},
		{"text matcher", `2024-06-21 08:04:57 ERROR publish rejected: merchant mini program authorization expired, merchant must scan to authorize again`,
			"faq/provider-migration-authorized-mps", MatchText, false},
		{"a FAQ message beats a platform code inside it", `2024-06-21 08:01:16 ERROR [main] invoke failed: 腾讯云 SDK 请求失败，错误信息：AuthFailure.SignatureExpire: 签名过期`,
			"apis/cloud-sdk-error", MatchRule, false},
		{"a platform code alone is the platform row", `{"Response":{"Error":{"Code":"AuthFailure.SignatureExpire","Message":"签名过期"},"RequestId":"r6"}}`,
			"tcapi/auth-failure-signature-expire", MatchRule, false},
		// Negative cases.
		{"short generic message needs its code", `2024-06-21 10:00:00 ERROR flow-engine 操作失败`, "", "", false},
		{"benign text at error level", `2024-06-21 10:00:00 ERROR flow-engine 审批通过，进入下一节点`, "", "", false},
		{"symptom words at info level", `2024-06-21 10:00:00 INFO publish rejected: merchant mini program authorization expired, merchant must scan to authorize again`, "", "", false},
		{"Error: prefix without failure words", `VM1523 WAService.js:2 Error: errCode: 0, errMsg: 'cloud.callFunction:ok'`, "", "", false},
		{"code names listed, not returned", `VM1523 WAService.js:2 Error: known codes: FnError.HTTP.NetworkError, FnError.HTTP.StatusError, UserError.HTTP.InvalidIp`, "", "", false},
		{"file name alone", `[Error] Failed to load resource: the server responded with a status of 402 () (index.html, line 0)`, "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			found, diags := handle(t, tc.line)
			if tc.want == "" {
				if len(found[0]) > 0 {
					t.Fatalf("diagnosed %s (%s), want none", found[0][0].Entry.ID, found[0][0].Kind)
				}
				return
			}
			if len(found[0]) != 1 {
				var ids []string
				for _, f := range found[0] {
					ids = append(ids, f.Entry.ID)
				}
				t.Fatalf("found %v, want one diagnosis %s", ids, tc.want)
			}
			f := found[0][0]
			if f.Entry.ID != tc.want || f.Kind != tc.match || (len(f.Alternatives) > 0) != tc.alts {
				t.Errorf("got %s %s with %d alternatives, want %s %s (alternatives %v)", f.Entry.ID, f.Kind, len(f.Alternatives), tc.want, tc.match, tc.alts)
			}
			d := diags[0]
			if d.Match != tc.match || tc.match == MatchText && d.Score <= 0 || tc.match == MatchRule && d.Score != 0 {
				t.Errorf("diagnosis match %q score %v", d.Match, d.Score)
			}
			if (len(d.Alternatives) > 0) != tc.alts {
				t.Errorf("diagnosis alternatives %v", d.Alternatives)
			}
		})
	}
}

// The JSON of a diagnosis carries match, score and alternatives as the
// README says.
func TestDiagnosisJSON(t *testing.T) {
	_, diags := handle(t, `{"Response":{"Error":{"Code":"FailedOperation","Message":"任务不存在"},"RequestId":"r2"}}`,
		`2024-06-21 08:04:57 ERROR publish rejected: merchant mini program authorization expired, merchant must scan to authorize again`)
	b, err := json.Marshal(diags)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{`"match":"rule"`, `"match":"text"`, `"score":`, `"alternatives":[{"id":"flow/countersign-task-not-found","title":"任务不存在","remedy":`} {
		if !strings.Contains(s, want) {
			t.Errorf("JSON lacks %s: %s", want, s)
		}
	}
}

// The text matcher's answers, remembered by query and level, are the
// catalog's: asked twice, for every entry's text and for noise.
func TestMatchTextRemembered(t *testing.T) {
	cat := testCatalog(t)
	r := NewResolver(cat)
	var queries []string
	for i, e := range cat.Entries() {
		if i%3 == 0 {
			queries = append(queries, e.Title("zh")+"，请求失败", e.Title("en")+" failed", e.Question)
		}
	}
	queries = append(queries, "", "ok", "数据源不存在 失败", strings.Repeat("数据库读写次数超过套餐包限制 ", 60))
	found, matched := 0, ""
	for round := range 2 {
		for _, q := range queries {
			for _, level := range []string{"", "info"} {
				got, ok := r.matchText(q, level)
				want, wantOK := cat.MatchTextLevel(q, level, r.TextThreshold)
				gj, _ := json.Marshal(got)
				wj, _ := json.Marshal(want)
				if ok != wantOK || string(gj) != string(wj) {
					t.Fatalf("round %d: matchText(%q, %q) = %s %v, want %s %v", round, q, level, gj, ok, wj, wantOK)
				}
				if ok {
					found, matched = found+1, q
				}
			}
		}
	}
	if found < 50 {
		t.Fatalf("only %d queries matched: the test tells little", found)
	}
	// Another threshold is not answered from memory.
	r.TextThreshold = 1e9
	if _, ok := r.matchText(matched, ""); ok {
		t.Fatalf("%q matched above any score", matched)
	}
}
