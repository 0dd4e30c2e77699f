package catalog

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/wedadiag/wedadiag/internal/testutil/golden"
)

func mustDefault(t testing.TB) *Catalog {
	t.Helper()
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The row counts were taken by hand from the FAQ's tables (with the
// InvalidParameterValue/InvalidParameter row counted once): a lost or
// duplicated row fails here.
func TestCountsPerDomain(t *testing.T) {
	c := mustDefault(t)
	wantRows := map[string]int{"datasource": 9, "apis": 16, "flow": 100, "permission": 22, "workbench": 10}
	wantEntries := map[string]int{"datasource": 10, "apis": 16, "flow": 100, "permission": 22, "workbench": 10}
	wantQuestions := map[string]int{"practice": 20, "page": 12, "datasource": 31, "billing": 12, "platform": 16,
		"flow-permission": 20, "collaboration": 3, "provider": 9}
	rows := map[string]map[int]bool{}
	entries := map[string]int{}
	questions := map[string]int{}
	for _, e := range c.Entries() {
		if e.Source != SourceFAQ {
			continue
		}
		switch e.Kind {
		case KindErrorCode:
			if rows[e.Domain] == nil {
				rows[e.Domain] = map[int]bool{}
			}
			rows[e.Domain][e.Row] = true
			entries[e.Domain]++
		case KindSymptom:
			questions[e.Section]++
		}
	}
	total := 0
	for d, n := range wantRows {
		if len(rows[d]) != n {
			t.Errorf("%s: %d rows, want %d", d, len(rows[d]), n)
		}
		for r := 1; r <= n; r++ {
			if !rows[d][r] {
				t.Errorf("%s: row %d missing", d, r)
			}
		}
		if entries[d] != wantEntries[d] {
			t.Errorf("%s: %d entries, want %d", d, entries[d], wantEntries[d])
		}
		total += n
	}
	if total != 157 {
		t.Errorf("rows in all: %d", total)
	}
	for s, n := range wantQuestions {
		if questions[s] != n {
			t.Errorf("section %s: %d questions, want %d", s, questions[s], n)
		}
	}
}

// TestPairsGolden pins every error row (code and message) and every FAQ
// question with the start of its answer: a broken pairing changes a line.
func TestPairsGolden(t *testing.T) {
	c := mustDefault(t)
	var b strings.Builder
	for _, e := range c.Entries() {
		if e.Source != SourceFAQ {
			continue // the platform tier has tests of its own
		}
		switch e.Kind {
		case KindErrorCode:
			fmt.Fprintf(&b, "%s | %d | %s | %s | %s\n", e.ID, e.Row, e.Code, e.Message, prefix(e.Advice, 24))
		case KindSymptom:
			fmt.Fprintf(&b, "%s | %s | %s\n", e.ID, e.Question, prefix(e.Answer, 24))
		}
	}
	golden.Check(t, "testdata/golden/pairs.txt", []byte(b.String()))
}

// TestSampleGolden pins whole entries of each kind and domain.
func TestSampleGolden(t *testing.T) {
	c := mustDefault(t)
	ids := []string{
		"datasource/flexdb-resource-overdue", "datasource/invalid-parameter",
		"apis/http-invalid-url", "apis/http-url-not-http", "apis/ds-method-no-permission",
		"flow/start-circular-call", "flow/revoke-not-allowed",
		"permission/resource-auth-no-license", "workbench/home-user-no-license",
		"faq/cdn-traffic-exhausted-app-unreachable", "faq/published-page-no-permission",
		"faq/portal-404-index-html-deleted", "faq/datasource-method-call-failed",
	}
	var out []*Entry
	for _, id := range ids {
		e := c.ByID(id)
		if e == nil {
			t.Fatalf("no entry %q", id)
		}
		out = append(out, e)
	}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/golden/sample.json", append(data, '\n'))
}

func prefix(s string, n int) string {
	r := []rune(strings.ReplaceAll(s, "\n", "⏎"))
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

// Every error row resolves from its code and each of its messages as a
// log would print it (placeholders filled in). Rows that share code and
// message (任务不存在 under several interfaces) may resolve to any of them,
// the others being alternatives.
func TestResolveEveryRow(t *testing.T) {
	c := mustDefault(t)
	fill := strings.NewReplacer("{0}", "getOrders", "{1}", "https://x.example/{id}", "%s", "lowcode-1a2b", "xxxxxxx", "role-123")
	for _, e := range c.Entries() {
		if e.Kind != KindErrorCode || e.Source != SourceFAQ {
			continue
		}
		for _, alt := range e.Alternatives() {
			msg := fill.Replace(alt)
			for _, code := range e.Codes() {
				r := c.ResolveCode(code, msg, "request failed: "+msg+" (requestId 5f1c)")
				if r.Entry == nil || !r.Full {
					t.Errorf("%s: ResolveCode(%q, %q) = %v, full=%v", e.ID, code, msg, r.Entry, r.Full)
					continue
				}
				if r.Entry != e && !containsEntry(r.Alternatives, e) {
					t.Errorf("%s: ResolveCode(%q, %q) = %s, alternatives %v", e.ID, code, msg, r.Entry.ID, ids(r.Alternatives))
				}
			}
		}
	}
}

func ids(es []*Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

// A known code is never lost: a message that fits none of its rows, or no
// message, still resolves, on the code's generic row when it has one.
func TestResolveGenericCode(t *testing.T) {
	c := mustDefault(t)
	r := c.ResolveCode("InvalidParameterValue", "something unrelated broke", "")
	if r.Entry == nil || r.Entry.ID != "datasource/invalid-parameter-value" || !r.Generic || r.Full || len(r.Alternatives) == 0 {
		t.Errorf("InvalidParameterValue, unknown message: %+v", r)
	}
	if r := c.ResolveCode("InvalidParameter", "", ""); r.Entry == nil || r.Entry.ID != "datasource/invalid-parameter" || !r.Generic {
		t.Errorf("InvalidParameter without message: %+v", r)
	}
	if r := c.ResolveCode("FailedOperation", "something unrelated broke", ""); r.Entry == nil || r.Entry.ID != "tcapi/failed-operation" || !r.Generic || len(r.Alternatives) != 0 {
		t.Errorf("FailedOperation, unknown message, no context: %+v", r)
	}
	// With context words, the rows they point at are the alternatives.
	r = c.ResolveCode("FailedOperation", "lock timeout", "revokeInstance failed: FailedOperation lock timeout")
	if r.Entry == nil || r.Entry.ID != "tcapi/failed-operation" || len(r.Alternatives) == 0 {
		t.Fatalf("FailedOperation in revokeInstance: %+v", r)
	}
	for _, a := range r.Alternatives {
		if !strings.HasPrefix(a.ID, "flow/revoke-") {
			t.Errorf("FailedOperation in revokeInstance: alternative %s", a.ID)
		}
	}
	if r := c.ResolveCode("NoSuchCode", "参数取值错误", ""); r.Entry != nil {
		t.Errorf("unknown code resolved: %+v", r)
	}
	// A specific code resolves even when its message is worded otherwise.
	if e, full := c.Resolve("FailedOperation.FlexdbResourceOverdue", "quota exceeded"); e == nil || e.ID != "datasource/flexdb-resource-overdue" || full {
		t.Errorf("specific code: %v %v", e, full)
	}
	// Of two rows of one code, the message picks.
	if e, _ := c.Resolve("FnError.HTTP.InvalidURL", "方法 getList 的请求地址不是 HTTP 地址"); e == nil || e.ID != "apis/http-url-not-http" {
		t.Errorf("InvalidURL second row: %v", e)
	}
	if e, _ := c.Resolve("FnError.HTTP.InvalidURL", "方法 getList 的请求地址无效：url is empty"); e == nil || e.ID != "apis/http-invalid-url" {
		t.Errorf("InvalidURL first row: %v", e)
	}
	// Thousands separators in numeric codes.
	if rows := c.ByCode("100,038"); len(rows) != 1 || rows[0].Code != "100038" {
		t.Errorf("ByCode(100,038) = %v", rows)
	}
	// Case matters.
	if rows := c.ByCode("failedoperation.flexdbresourceoverdue"); len(rows) != 0 {
		t.Errorf("lookup is case-insensitive")
	}
}

func TestResolveMessageAlone(t *testing.T) {
	c := mustDefault(t)
	e := c.ResolveMessage("ERROR 存在循环调用，启用流程失败，请检查自定义 API 方法、数据模型事件")
	if e == nil || e.ID != "flow/start-circular-call" {
		t.Errorf("got %v", e)
	}
	if e := c.ResolveMessage("操作失败"); e != nil {
		t.Errorf("a short, shared message identified %s alone", e.ID)
	}
}

func TestSearch(t *testing.T) {
	c := mustDefault(t)
	tests := []struct{ q, want string }{
		{"CDN 流量耗尽", "faq/cdn-traffic-exhausted-app-unreachable"},
		{"FailedOperation.FlexdbResourceOverdue", "datasource/flexdb-resource-overdue"},
		{"发布后 访问页面 无权限", "faq/published-page-no-permission"},
		{"企业工作台 404", "faq/portal-404-index-html-deleted"},
		{"小程序 主包 超限", "faq/mp-main-package-over-limit"},
		{"data source not found", "apis/ds-not-found"},
	}
	for _, tt := range tests {
		hits := c.Search(tt.q, 5)
		if len(hits) == 0 || hits[0].Entry.ID != tt.want {
			var got []string
			for _, h := range hits {
				got = append(got, fmt.Sprintf("%s(%.2f)", h.Entry.ID, h.Score))
			}
			t.Errorf("Search(%q) = %v, want %s first", tt.q, got, tt.want)
		}
	}
	if hits := c.Search("zzzz qqqq", 5); len(hits) != 0 {
		t.Errorf("nonsense matched %v", hits[0].Entry.ID)
	}
}

func TestSuggest(t *testing.T) {
	c := mustDefault(t)
	s := c.Suggest("FailedOperation.FlexdbResourceOverdu", 3)
	if len(s) == 0 || s[0] != "FailedOperation.FlexdbResourceOverdue" {
		t.Errorf("Suggest = %v", s)
	}
	s = c.Suggest("UserError.DsNotFnd", 3)
	if len(s) == 0 || s[0] != "UserError.DsNotFound" {
		t.Errorf("Suggest = %v", s)
	}
}

// TestLoadBadCatalogs: each file under testdata/bad holds one fault; the
// error names the file and the line of the entry.
func TestLoadBadCatalogs(t *testing.T) {
	good, err := os.ReadFile("data/errors-apis.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("testdata/bad/*.yaml")
	if len(files) == 0 {
		t.Fatal("no bad catalogs")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(strings.TrimSuffix(f, ".yaml") + ".err")
			if err != nil {
				t.Fatal(err)
			}
			name := "errors-bad.yaml"
			if strings.Contains(f, "faq") {
				name = "faq-bad.yaml"
			}
			fsys := fstest.MapFS{
				"errors-apis.yaml": {Data: good},
				name:               {Data: data},
			}
			_, err = Load(fsys)
			if err == nil {
				t.Fatal("loaded without error")
			}
			if strings.TrimSpace(string(want)) == "" {
				t.Fatalf("%s.err is empty: it would accept any error", strings.TrimSuffix(f, ".yaml"))
			}
			if !strings.Contains(err.Error(), strings.TrimSpace(string(want))) {
				t.Errorf("got  %v\nwant %s", err, want)
			}
		})
	}
}
