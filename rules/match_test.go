package rules

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/wedadiag/wedadiag/parse"
	"github.com/wedadiag/wedadiag/record"
)

func rec(text string) *record.Record {
	return &record.Record{Source: "app", Path: "/var/log/app.log", Text: []byte(text), Lines: strings.Count(text, "\n") + 1}
}

// testSet compiles testdata/rules.yaml, shaped like the generated rules.
func testSet(t testing.TB) *Set {
	t.Helper()
	data, err := os.ReadFile("testdata/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Compile(File{Name: "testdata/rules.yaml", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// testCodes stands in for the catalog: the entry of a code when the code
// alone names one.
var testCodes = map[string]string{
	"FailedOperation.FlexdbResourceOverdue":     "datasource/flexdb-resource-overdue",
	"FailedOperation.FlexdbInternalError":       "datasource/flexdb-internal-error",
	"FailedOperation.AddDuplicationErr":         "datasource/add-duplicate",
	"ResourceNotFound.DataSourceNotExist":       "datasource/not-exist",
	"InvalidParameter":                          "datasource/invalid-parameter",
	"InvalidParameterValue":                     "datasource/invalid-parameter-value",
	"UserError.DsNotFound":                      "apis/ds-not-found",
	"UserError.DsMethodNotAllowed.NoPermission": "apis/ds-method-no-permission",
	"FnError.HTTP.NetworkError":                 "apis/http-network-error",
	"FnError.HTTP.CloudSDKError":                "apis/cloud-sdk-error",
	"FailedOperation.UserNoLicense":             "permission/resource-auth-no-license",
	"100009":                                    "workbench/home-resource-limit",
	"100038":                                    "workbench/home-user-no-license",
}

func testResolve(m Match) string {
	if m.ID != "" {
		return m.ID
	}
	return testCodes[m.Code]
}

// found returns "rule=>id-or-code" for each match.
func found(res Result) []string {
	var out []string
	for _, m := range res.Matches {
		v := m.ID
		if v == "" {
			v = "code:" + m.Code
		}
		out = append(out, m.Rule+"=>"+v)
	}
	return out
}

func gbk(t testing.TB, s string) string {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestMatchRecords(t *testing.T) {
	s := testSet(t)
	m := s.NewMatcher()
	big := `{"level":"error","msg":"` + strings.Repeat("x", 5<<20) + `","code":"FnError.HTTP.NetworkError"}`
	tests := []struct {
		name    string
		rec     *record.Record
		want    []string // rule=>id or rule=>code:X
		bad     []string
		suspect bool
	}{
		{"tcapi", rec(`{"Response":{"Error":{"Code":"FailedOperation.FlexdbResourceOverdue","Message":"数据库资源到期"},"RequestId":"r1"}}`),
			[]string{"weda-error-code=>code:FailedOperation.FlexdbResourceOverdue"}, nil, false},
		{"python sdk", rec("[TencentCloudSDKException] code:FailedOperation.FlexdbResourceOverdue message:数据库资源到期或者数据库读写次数超过套餐包限制 requestId:6f1c2a4e"),
			[]string{"weda-error-code=>code:FailedOperation.FlexdbResourceOverdue"}, nil, false},
		{"node literal over lines", rec("{\n  code: 'FnError.HTTP.NetworkError',\n  message: '方法 getList 底层接口网络请求失败',\n  requestId: 'x'\n}"),
			[]string{"weda-error-code=>code:FnError.HTTP.NetworkError"}, nil, false},
		{"structured code wins over mention", rec(`{"code":"UserError.DsNotFound","message":"找不到数据源order (after FnError.HTTP.NetworkError retry)"}`),
			[]string{"weda-error-code=>code:UserError.DsNotFound"}, nil, false},
		{"most specific without structure", rec(`ERROR FailedOperation: FailedOperation.AddDuplicationErr 资源已存在`),
			[]string{"weda-error-code=>code:FailedOperation.AddDuplicationErr"}, nil, false},
		{"numeric code in code position", rec(`{"code":100038,"msg":"用户未授权","requestId":"c9b8a7f6"}`),
			[]string{"weda-error-code=>code:100038"}, nil, false},
		{"numeric code with separators", rec(`2024-06-21 08:00:01.123 ERROR [main] c.w.OrderService - 首页加载失败 code=100,009`),
			[]string{"weda-error-code=>code:100009"}, nil, false},
		{"numeric code as free token", rec(`ERROR 订单 100009 处理失败`), nil, nil, true},
		{"numeric inside id", rec(`ERROR user_id=u100009 failed`), nil, nil, true},
		{"symptom by code", rec(`{"code":"ENV_SUSPENDED","message":"环境已停服","requestId":"a8f3"}`),
			[]string{"faq/cdn-traffic-exhausted-app-unreachable=>faq/cdn-traffic-exhausted-app-unreachable"}, nil, false},
		{"symptom by status and literal", rec(`198.51.100.23 - - [02/Apr/2025:20:41:09 +0800] "GET /app/index.html HTTP/1.1" 402 187 "-" "Mozilla/5.0" "lowcode-7gx2k9a1c3e5f-1307654321.tcloudbaseapp.com"`),
			[]string{"faq/cdn-traffic-exhausted-app-unreachable=>faq/cdn-traffic-exhausted-app-unreachable"}, nil, false},
		{"status without literal", rec(`198.51.100.23 - - [02/Apr/2025:20:41:09 +0800] "GET /app/index.html HTTP/1.1" 402 187 "-" "Mozilla/5.0"`), nil, nil, false},
		{"symptom by errcode", rec(`Error: errCode: -504003 | errMsg: Invoking task timed out after 3 seconds`),
			[]string{"faq/weda-cloud-functions-usage=>faq/weda-cloud-functions-usage"}, nil, false},
		{"scf timeout", rec(`{"errorCode":-1,"errorMessage":"Invoking task timed out after 3 seconds","requestId":"0f1e2d3c","statusCode":433}`),
			[]string{"faq/weda-cloud-functions-usage=>faq/weda-cloud-functions-usage"}, nil, false},
		{"symptom and code together", rec(`{"Response":{"Error":{"Code":"FailedOperation","Message":"无法删除：操作失败。该流程已被流程实例引用，不能删除"},"RequestId":"4b3a"}}`),
			[]string{"weda-error-code=>code:FailedOperation", "faq/flow-delete-error=>faq/flow-delete-error"}, nil, false},
		{"text signal behind unicode escapes", rec(`{"Response":{"Error":{"Code":"FailedOperation","Message":"\u8be5\u6d41\u7a0b\u5df2\u88ab\u6d41\u7a0b\u5b9e\u4f8b\u5f15\u7528"}}}`),
			[]string{"weda-error-code=>code:FailedOperation", "faq/flow-delete-error=>faq/flow-delete-error"}, nil, false},
		{"gbk", rec(gbk(t, "2024-06-21 08:00:01 ERROR 删除失败：该流程已被流程实例引用 code=FailedOperation")),
			[]string{"weda-error-code=>code:FailedOperation", "faq/flow-delete-error=>faq/flow-delete-error"}, nil, false},
		{"bom and crlf", rec("\xef\xbb\xbf{\"code\":\"UserError.DsNotFound\",\"message\":\"找不到数据源order\"}\r"),
			[]string{"weda-error-code=>code:UserError.DsNotFound"}, nil, false},
		{"nul bytes", rec("\x00\x00ERROR code=Fail\x00edOperation.FlexdbResourceOverdue"),
			[]string{"weda-error-code=>code:FailedOperation.FlexdbResourceOverdue"}, []string{parse.BadNUL}, false},
		{"invalid utf8", rec("ERROR \xff\xfe\xfd code=UserError.DsNotFound 找不到数据源"),
			[]string{"weda-error-code=>code:UserError.DsNotFound"}, []string{parse.BadInvalidUTF8}, false},
		{"invalid bytes, not gbk", rec("\xff\xfe ERROR code=UserError.DsNotFound"),
			[]string{"weda-error-code=>code:UserError.DsNotFound"}, []string{parse.BadInvalidUTF8}, false},
		{"broken json", rec(`{"Response":{"Error":{"Code":"ResourceNotFound.DataSourceNotExist","Message":"数据源不存`),
			[]string{"weda-error-code=>code:ResourceNotFound.DataSourceNotExist"}, []string{parse.BadJSON}, false},
		{"5 MB line", &record.Record{Text: []byte(big), Cut: true},
			[]string{"weda-error-code=>code:FnError.HTTP.NetworkError"}, []string{parse.BadTooLong}, false},
		{"debug level excluded by when", rec(`{"level":"debug","code":"UserError.DsNotFound"}`), nil, nil, false},
		{"unknown error is suspect", rec(`2024-06-21 08:00:01 ERROR [main] something unexpected happened`), nil, nil, true},
		{"unknown scf error is suspect", rec(`{"errorCode":1,"errorMessage":"user code exception caught","statusCode":430}`), nil, nil, true},
		{"access 500 is suspect", rec(`10.0.0.1 - - [21/Jun/2024:08:00:01 +0800] "GET /api HTTP/1.1" 500 12 "-" "curl/8.0"`), nil, nil, true},
		{"node stack is suspect", rec("TypeError: Cannot read properties of undefined (reading 'id')\n    at exports.main (/var/user/index.js:7:23)"), nil, nil, true},
		{"chinese failure is suspect", rec(`调用支付接口失败，稍后重试`), nil, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := m.Match(tt.rec)
			if got := strings.Join(found(res), " "); got != strings.Join(tt.want, " ") {
				t.Errorf("matches %q, want %q", got, strings.Join(tt.want, " "))
			}
			if got := strings.Join(res.Bad, " "); got != strings.Join(tt.bad, " ") {
				t.Errorf("bad %q, want %q", got, strings.Join(tt.bad, " "))
			}
			if res.Suspect != tt.suspect {
				t.Errorf("suspect %v, want %v (event %+v)", res.Suspect, tt.suspect, res.Event)
			}
			if len(res.Errors) > 0 {
				t.Errorf("rule errors: %v", res.Errors)
			}
			if res.Event != nil && !utf8Valid(res.Event.Raw) {
				t.Errorf("Raw is not UTF-8")
			}
		})
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "") == s }

func TestMatchGBKRaw(t *testing.T) {
	m := testSet(t).NewMatcher()
	res := m.Match(rec(gbk(t, "ERROR 调用失败 code=UserError.DsNotFound 找不到数据源订单")))
	if res.Event == nil || res.Event.Raw != "ERROR 调用失败 code=UserError.DsNotFound 找不到数据源订单" || len(res.Bad) != 0 {
		t.Fatalf("GBK not decoded: %+v bad %v", res.Event, res.Bad)
	}
}

// TestWholeToken: a code counts only as a whole token.
func TestWholeToken(t *testing.T) {
	m := testSet(t).NewMatcher()
	for in, want := range map[string]string{
		"ERROR InvalidParameterValue: x":                  "InvalidParameterValue",
		"ERROR InvalidParameterValueX: x":                 "",
		"ERROR got InvalidParameter.":                     "InvalidParameter",
		"ERROR got InvalidParameter.Foo":                  "",
		"ERROR XInvalidParameter":                         "",
		"ERROR my_InvalidParameter":                       "",
		"ERROR FailedOperation.FlexdbResourceOverdueX":    "",
		"ERROR FailedOperation.FlexdbResourceOverdue，请升级": "FailedOperation.FlexdbResourceOverdue",
		`ERROR "code":"FnError.HTTP.NetworkError"`:        "FnError.HTTP.NetworkError",
		"ERROR [FnError.HTTP.NetworkError] 方法 getList":    "FnError.HTTP.NetworkError",
		"ERROR code=-100009":                              "",
		"ERROR code=100009-1":                             "",
		"ERROR code=1,100,009":                            "",
		"ERROR code=100009.5":                             "",
		"ERROR [100,009] 请求用户资源超限":                        "100009",
		"ERROR errorCode=100009":                          "100009",
		`ERROR error_code: "100009"`:                      "100009",
		`ERROR {"Response":{"Error":{"Code":"100009"}}}`:  "100009",
		`ERROR {"statusCode":100009}`:                     "",
		"ERROR encode=100009":                             "",
		"ERROR [100009-1]":                                "",
	} {
		res := m.Match(rec(in))
		got := ""
		if len(res.Matches) > 0 {
			got = res.Matches[0].Code
		}
		if got != want {
			t.Errorf("%q: code %q, want %q", in, got, want)
		}
	}
}

// TestBenignLog: ordinary traffic yields no diagnosis, is not suspect, and
// most of it is not even parsed.
func TestBenignLog(t *testing.T) {
	s := testSet(t)
	m := s.NewMatcher()
	lines := strings.Split(benignLog, "\n")
	parsed := 0
	for _, l := range lines {
		if l == "" {
			continue
		}
		res := m.Match(rec(l))
		if len(res.Matches) > 0 {
			t.Errorf("benign line matched %v: %s", found(res), l)
		}
		if res.Suspect {
			t.Errorf("benign line suspect: %s", l)
		}
		if res.Event != nil {
			parsed++
		}
	}
	if parsed > 0 {
		t.Errorf("%d benign lines parsed; the prefilter should have passed over all", parsed)
	}
}

const benignLog = `2024-06-21T08:00:01.123Z	1d3e5f7a-2b4c-4d6e-8f90-a1b2c3d4e5f6	INFO	{"level":"info","msg":"query finished","user_id":"u_100009x","cost_ms":12}
START RequestId: 1d3e5f7a-2b4c-4d6e-8f90-a1b2c3d4e5f6 Version: $LATEST
END RequestId: 1d3e5f7a-2b4c-4d6e-8f90-a1b2c3d4e5f6
Report RequestId: 1d3e5f7a-2b4c-4d6e-8f90-a1b2c3d4e5f6 Duration: 35ms Memory: 256MB MemUsage: 30MB
level=info msg="orders listed" count=20 errors=0 user_id=100009
2024-06-21 10:00:09.100 INFO [main] c.w.app.OrderService - 查询订单列表成功，用户 u_1234 共返回 20 条记录，耗时 35ms errors=0
2024-06-21 10:00:09.101 INFO order=1718100009 ts=1718100009123 InvalidParameterValueX=ok trace=InvalidParameterValue2
10.0.3.17 - - [21/Jun/2024:10:00:09 +0800] "GET /static/js/app.4f3c2a.js HTTP/1.1" 200 157342 "https://lowcode-1a2b.tcloudbaseapp.com/app/index.html" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) MicroMessenger/8.0.49"
10.0.3.17 - - [21/Jun/2024:10:00:10 +0800] "GET /api/v1/orders?page=100009 HTTP/1.1" 304 0 "-" "Mozilla/5.0"
[Log] page onLoad home, 100,0090 items
{"level":30,"time":1718956809123,"pid":7,"msg":"request completed","res":{"statusCode":200},"responseTime":12}
2024-06-21 10:00:11 WARN slow query 1200ms on collection orders
{"level":"info","msg":"request done","code":0,"errCode":0,"status":200,"user_id":"100009","size":402,"page":433}
2024-06-21T00:00:00.002Z	104e18da-91f0-4d2e-822b-1faaebebaa41	INFO	{"code":0,"message":"success","data":{"total":3794}}
level=info code=0 errCode=OK error_code=null status=200 msg="runWorkflow ok" bytes=100009
2024-06-21 10:00:12 INFO [worker-100009] [402] retry=0 errorCode: "0" code: 200
`

func TestTestExamples(t *testing.T) {
	s := testSet(t)
	results := Test(s, testResolve)
	if len(results) == 0 {
		t.Fatal("no examples ran")
	}
	for _, r := range results {
		if !r.Pass {
			t.Errorf("%s:%d rule %q: input %q want %q got %v (err %v)", r.File, r.Line, r.Rule, r.Input, r.Want, r.Got, r.Err)
		}
	}
	// A wrong expectation fails, and says what it got instead.
	bad, err := Compile(File{Name: "x.yaml", Data: []byte(`rules:
  - id: x
    codes: [UserError.DsNotFound]
    yield: {code: bestCode()}
    examples:
      - {input: 'code=UserError.DsNotFound', want: apis/wrong}
      - {input: 'code=UserError.DsNotFound', want: ""}
`)})
	if err != nil {
		t.Fatal(err)
	}
	res := Test(bad, testResolve)
	if len(res) != 2 || res[0].Pass || res[1].Pass || strings.Join(res[0].Got, ",") != "apis/ds-not-found" {
		t.Errorf("failing examples: %+v", res)
	}
}

func TestRuleRuntimeError(t *testing.T) {
	s, err := Compile(File{Name: "x.yaml", Data: []byte(`rules:
  - id: idx
    prefilter: [boom]
    when: 'Codes[3] == "x"'
    yield: {id: faq/x}
`)})
	if err != nil {
		t.Fatal(err)
	}
	res := s.NewMatcher().Match(rec("ERROR boom"))
	if len(res.Errors) != 1 || res.Errors[0].Rule != "idx" || len(res.Matches) != 0 {
		t.Errorf("runtime error not reported: %+v", res)
	}
}

func TestHasUsesPrefilterHits(t *testing.T) {
	s, err := Compile(File{Name: "x.yaml", Data: []byte(`rules:
  - id: both
    when: has("alpha") && has("beta")
    yield: {id: faq/x}
`)})
	if err != nil {
		t.Fatal(err)
	}
	m := s.NewMatcher()
	if res := m.Match(rec("alpha only")); len(res.Matches) != 0 {
		t.Error("matched without beta")
	}
	if res := m.Match(rec("beta and alpha")); len(res.Matches) != 1 {
		t.Error("did not match alpha and beta")
	}
	// Hits of one record do not leak into the next.
	if res := m.Match(rec("alpha again")); len(res.Matches) != 0 {
		t.Error("hits leaked across records")
	}
}

// TestNumericCodeWakesRules: a number after a code key wakes the rules
// only when it is one of their numeric codes, in any form the parser reads
// it in; a success value after errCode does not make a record worth
// parsing for ErrorLike, any other value does.
func TestNumericCodeWakesRules(t *testing.T) {
	m := testSet(t).NewMatcher()
	for in, want := range map[string]bool{
		`{"code":100009}`:                     true,
		`{"code":0,"errCode":-504002}`:        true,
		`{"errorCode": "100,009"}`:            true,
		`code=100,009`:                        true,
		`[100038] 用户未授权`:                      true,
		`INFO 首页加载失败，错误码：100009`:              true,
		`INFO load failed (code 100009)`:      true,
		`{"code":0,"errCode":0,"status":200}`: false,
		`{"code":100010}`:                     false,
		`{"code":100009.5}`:                   false,
		`{"statusCode":100009}`:               false,
		`{"user_id":"100009","code":0}`:       false,
		`[100009-1] ok`:                       false,
	} {
		m.Match(rec(in))
		if got := len(m.cands) > 0; got != want {
			t.Errorf("%s: candidate %v, want %v", in, got, want)
		}
	}
	for in, want := range map[string]bool{
		`{"errCode":0}`:          false,
		`{"errCode":"OK"}`:       false,
		`errCode=200 status=200`: false,
		`error_code: null`:       false,
		`{"errCode":500}`:        true,
		`{"errCode":""}`:         true,
		`{"errCode":"0x1"}`:      true,
		`errCode=0.5`:            true,
		`errorCode missing`:      true,
	} {
		m.Match(rec(in))
		if m.errish != want {
			t.Errorf("%s: worth parsing for ErrorLike %v, want %v", in, m.errish, want)
		}
	}
}

func TestBenignAllocs(t *testing.T) {
	m := testSet(t).NewMatcher()
	r := rec(`2024-06-21T08:00:01.123Z	1d3e5f7a	INFO	{"level":"info","msg":"query finished","user_id":"u_100009x","cost_ms":12}`)
	m.Match(r)
	if n := testing.AllocsPerRun(100, func() { m.Match(r) }); n != 0 {
		t.Errorf("%v allocs per benign record, want 0", n)
	}
	if res := m.Match(r); res.Event != nil {
		t.Error("benign record parsed")
	}
	// A benign GBK line is decoded into the matcher's buffer.
	g := rec(gbk(t, "2024-06-21 08:00:01 INFO 查询订单列表成功，共返回 20 条记录"))
	m.Match(g)
	if n := testing.AllocsPerRun(100, func() { m.Match(g) }); n != 0 {
		t.Errorf("%v allocs per benign GBK record, want 0", n)
	}
}

func TestResultsReuseBuffers(t *testing.T) {
	m := testSet(t).NewMatcher()
	a := m.Match(rec(`{"code":"UserError.DsNotFound","message":"x"}`))
	if len(a.Matches) != 1 {
		t.Fatal("no match")
	}
	code := a.Matches[0].Code
	m.Match(rec(`{"code":"FnError.HTTP.NetworkError","message":"y"}`))
	if code != "UserError.DsNotFound" || !bytes.Equal([]byte(code), []byte("UserError.DsNotFound")) {
		t.Error("a copied string changed")
	}
}

// TestConcurrentMatchers: one Set, a Matcher per goroutine (run with -race).
func TestConcurrentMatchers(t *testing.T) {
	s := testSet(t)
	inputs := []string{
		`{"Response":{"Error":{"Code":"FailedOperation.FlexdbResourceOverdue","Message":"x"},"RequestId":"r"}}`,
		`level=info msg="ok" user_id=100009`,
		"Error: errCode: -504003 | errMsg: Invoking task timed out after 3 seconds",
	}
	want := make([]string, len(inputs))
	m := s.NewMatcher()
	for i, in := range inputs {
		want[i] = strings.Join(found(m.Match(rec(in))), " ")
	}
	done := make(chan string, 4)
	for g := 0; g < 4; g++ {
		go func() {
			m := s.NewMatcher()
			for n := 0; n < 200; n++ {
				i := n % len(inputs)
				if got := strings.Join(found(m.Match(rec(inputs[i]))), " "); got != want[i] {
					done <- got + " != " + want[i]
					return
				}
			}
			done <- ""
		}()
	}
	for g := 0; g < 4; g++ {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
}

// TestImpliedHas: has() chains that a prefilter clause implies are folded
// to true; the others still run.
func TestImpliedHas(t *testing.T) {
	s, err := Compile(File{Name: "x.yaml", Data: []byte(`rules:
  - id: r
    when: has("alpha") && (has("beta") || Level == "warn") && (has("gamma") || has("delta"))
    yield: {id: faq/x}
`)})
	if err != nil {
		t.Fatal(err)
	}
	m := s.NewMatcher()
	for in, want := range map[string]bool{
		"alpha beta gamma":            true,
		"alpha delta beta":            true,
		"WARN alpha delta":            true,
		"ERROR alpha delta":           false,
		"alpha beta":                  false,
		"INFO alphabet betamax delta": true,
	} {
		if got := len(m.Match(rec(in)).Matches) == 1; got != want {
			t.Errorf("%q: match %v, want %v", in, got, want)
		}
	}
}

func TestCodePosition(t *testing.T) {
	for in, want := range map[string]bool{
		`{"code":100009}`:      true,
		`{"code": "100,009"}`:  true,
		`code=100009`:          true,
		`errCode: -501000`:     true,
		`{"errorCode":100009`:  true,
		`{\"code\":100009}`:    true,
		`"Code" : 100009`:      true,
		`[100009] 请求用户资源超限`:    true,
		`user_id=100009`:       false,
		`"user_id":"100009"`:   false,
		`?from=100009`:         false,
		`order 100009 shipped`: false,
		`100009`:               false,
		`"zipcode":100009`:     true, // the parser decides; the pre-check lets it through
	} {
		i := strings.Index(in, "100")
		if strings.Contains(in, "-501000") {
			i = strings.Index(in, "-501000")
		}
		if got := codePosition([]byte(in), i); got != want {
			t.Errorf("codePosition(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestBrokenJSONWithoutParse: a record that opens a JSON object and breaks
// off counts as broken_json even when nothing in it makes it worth parsing.
func TestBrokenJSONWithoutParse(t *testing.T) {
	m := testSet(t).NewMatcher()
	for in, want := range map[string]bool{
		`{"level":"info","msg":"page view","cost_ms":4`: true,
		`{"level":"info","msg":"page view"}`:            false,
		"  {\"level\":\"info\"}  \r":                    false,
		"2024-06-21 INFO plain line":                    false,
		"":                                              false,
	} {
		res := m.Match(rec(in))
		if got := slices.Contains(res.Bad, parse.BadJSON); got != want {
			t.Errorf("%q: broken_json %v, want %v (bad %v)", in, got, want, res.Bad)
		}
		if res.Event != nil {
			t.Errorf("%q was parsed", in)
		}
	}
}

// TestMatchFormat: a declared format changes how a record is read.
func TestMatchFormat(t *testing.T) {
	m := testSet(t).NewMatcher()
	// json: a line that is not an object is broken.
	res := m.MatchFormat(rec("2024-06-21 INFO plain line"), parse.InputJSON)
	if !slices.Contains(res.Bad, parse.BadJSON) {
		t.Errorf("json source, plain line: bad %v", res.Bad)
	}
	// plain: an object is text; the code is still found in its text form.
	line := `{"Response":{"Error":{"Code":"UserError.DsNotFound","Message":"找不到数据源order，或该数据源未正确更新"},"RequestId":"r"}}`
	res = m.MatchFormat(rec(line), parse.InputPlain)
	if res.Event == nil || res.Event.Field("Response.Error.Code") != "" || res.Event.Format != parse.FormatPlain {
		t.Fatalf("plain source parsed JSON: %+v", res.Event)
	}
	if len(res.Matches) == 0 || res.Matches[0].Code != "UserError.DsNotFound" {
		t.Errorf("plain source: matches %+v", res.Matches)
	}
	// auto reads the object.
	res = m.MatchFormat(rec(line), parse.InputAuto)
	if res.Event == nil || res.Event.Field("Response.Error.Code") != "UserError.DsNotFound" {
		t.Errorf("auto: %+v", res.Event)
	}
}

// TestMentionsAreNotOccurrences: a code named in passing (a test name, a
// docs table, a changelog, a URL, a metric, an info record) is not
// diagnosed; the same code in a code position or in an error record is.
func TestMentionsAreNotOccurrences(t *testing.T) {
	s := testSet(t)
	m := s.NewMatcher()
	const hit = "weda-error-code=>code:"
	tests := []struct {
		in   string
		want string
	}{
		{"| UserError.DsNotFound | 找不到数据源{0}，或该数据源未正确更新 | 见 FAQ |", ""},
		{"- 修复：UserError.DsNotFound 报错时页面白屏", ""},
		{"f32ba54 test: cover FnError.HTTP.NetworkError and 100038", ""},
		{"fix(apis): retry on FnError.HTTP.NetworkError error", ""},
		{`app_weda_errors_total{code="100038"} 0`, ""},
		{`2024-06-21 08:01:18.766 INFO metrics: weda_errors_total{code="UserError.DsNotFound"} 0`, ""},
		{`{"level":"info","msg":"GET /pages/errors/UserError.DsNotFound 200","ms":86}`, ""},
		{`2024-06-21 08:00:02 INFO [auth] retry policy for FnError.HTTP.NetworkError set to 3`, ""},
		{"Step 4/9 : RUN npm ci && npm test -- --grep FnError.HTTP.NetworkError", ""},
		{"npm WARN deprecated request@2.88.2: request has been deprecated\n  ✓ maps UserError.DsNotFound to a user hint (2 ms)", ""},
		{"ERROR failed, see https://docs.example.com/errors#UserError.DsNotFound", ""},
		{"com.acme.WedaException: metrics: weda_errors_total{code=\"UserError.DsNotFound\"} 0\n\tat a.B.c(B.java:1)", ""},
		{"Uncaught (in promise) Error: mapping UserError.DsNotFound -> 404 registered", ""},
		{"com.acme.WedaException: known codes: FnError.HTTP.NetworkError, UserError.DsNotFound, FnError.HTTP.CloudSDKError", ""},
		{"4541976 docs: explain error code 100038", ""},
		{"Step 4/9 : RUN npm ci && npm test -- --grep FnError.HTTP.NetworkError", ""},
		{"Step 4/9 : RUN npm test -- --grep=UserError.DsNotFound failed", ""},
		// Failure words inside the code itself do not make it an error.
		{"see UserError.DsNotFound and FnError.HTTP.NetworkError", ""},
		{"Invoke failed: UserError.DsNotFound", hit + "UserError.DsNotFound"},
		// Occurrences.
		{"2024-06-21 08:00:05 ERROR flow-engine UserError.DsNotFound: 找不到数据源order", hit + "UserError.DsNotFound"},
		{"2024-06-21 08:00:05 WARN retry after FnError.HTTP.NetworkError", hit + "FnError.HTTP.NetworkError"},
		{"com.acme.WedaException: UserError.DsNotFound 找不到数据源order\n\tat com.acme.Client.call(Client.java:42)", hit + "UserError.DsNotFound"},
		{`{"level":"info","code":"UserError.DsNotFound","msg":"找不到数据源order"}`, hit + "UserError.DsNotFound"},
		{"2024-06-21 08:02:50.667 ERROR loadWorkbenchHome failed: 用户未授权 (code 100038)", hit + "100038"},
		{"2024-06-21 08:02:28.587 [ERROR] 企业工作台首页失败：用户未授权，错误码：100038", hit + "100038"},
		{"2024-06-21 08:02:28.587 [ERROR] 错误码 100038", hit + "100038"},
		// An error-level line that reports a success or a setting mentions
		// its codes, unless it also names a failure.
		{"2024-06-21 08:00:05 ERROR handler registered for UserError.DsNotFound", ""},
		{"Error: fallback for FnError.HTTP.NetworkError enabled (5 retries)", ""},
		{"2024-06-21 08:00:05 ERROR UserError.DsNotFound 找不到数据源 (cache initialized)", hit + "UserError.DsNotFound"},
		{"2024-06-21 08:00:05 ERROR config loaded, request failed: FnError.HTTP.NetworkError", hit + "FnError.HTTP.NetworkError"},
		// Numbers in prose without a code word, or glued to units, are not.
		{"2024-06-21 08:02:28.587 [ERROR] 用户 100038 登录失败", ""},
		{"2024-06-21 08:02:28.587 [ERROR] upload failed (code 100038KB)", ""},
	}
	for _, tt := range tests {
		res := m.Match(rec(tt.in))
		if got := strings.Join(found(res), " "); got != tt.want {
			t.Errorf("%q: matches %q, want %q", tt.in, got, tt.want)
		}
	}
}
