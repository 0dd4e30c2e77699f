package parse

import (
	"testing"

	"github.com/wedadiag/wedadiag/record"
)

func TestMentionRecords(t *testing.T) {
	tests := []struct {
		in, format, code string
	}{
		{"| FailedOperation.AddDuplicationErr | 资源已存在，添加重复资源失败 | 见 FAQ |", FormatDocs, ""},
		{"  | 100038 | 用户未授权 |", FormatDocs, ""},
		{"- 优化：遇到 FnError.HTTP.InvalidAddressSecretError 时自动重试 3 次", FormatDocs, ""},
		{"* Fixed: crash on FailedOperation.Aggregate", FormatDocs, ""},
		{"## FailedOperation.FlexdbResourceOverdue", FormatDocs, ""},
		{"f32ba54 test: cover FnError.HTTP.InvalidURL and ErrResultEmpty", FormatDocs, ""},
		{"4541976 docs: explain error code 100035", FormatDocs, ""},
		{"commit 3c1e0d9b7a5f4e2d1c0b9a8f7e6d5c4b3a291807", FormatDocs, ""},
		{"fix(flow): retry on ResourceInUse error", FormatDocs, ""},
		{"Merge pull request #552 from acme/handle-error", FormatDocs, ""},
		{"--- PASS: TestResolve_FailedOperation_Aggregate (0.85s)", FormatDocs, ""},
		{"  ✓ maps FailedOperation.DataSourceOperationAuthFailure to a user hint (2 ms)", FormatDocs, ""},
		{`app_weda_errors_total{code="100035"} 0`, FormatMetrics, ""},
		{`weda_errors_total{code="FailedOperation",env="prod"} 12 1718956902000`, FormatMetrics, ""},
		{"# HELP app_weda_errors_total Errors by WeDa code, e.g. FnError.HTTP.NetworkError.", FormatMetrics, ""},
		{"process_resident_memory_bytes 1.00051622e+08", FormatMetrics, ""},
		// Near misses: log records that look like the above.
		{"2024-06-21 08:00:01 ERROR | FailedOperation | 任务不存在 |", FormatPlain, ""},
		{"ERROR - code=FailedOperation 任务不存在", FormatPlain, "FailedOperation"},
		{"deadbeef-1234 failed code=FailedOperation", FormatPlain, "FailedOperation"},
		{"fixed: code=FailedOperation", FormatPlain, "FailedOperation"},
		{"errors 5", FormatPlain, ""},
		{"1718956902 request failed code=FailedOperation", FormatPlain, "FailedOperation"},
		{`INFO metrics: weda_errors_total{code="FailedOperation.PackageExpired"} 0`, FormatPlain, ""},
		{`ERROR request failed {code="FailedOperation.PackageExpired"}`, FormatJSON, "FailedOperation.PackageExpired"},
	}
	p := New(nil)
	for _, tt := range tests {
		r := &record.Record{Text: []byte(tt.in)}
		var ev Event
		p.Parse(&ev, r, p.Text(r, ""), "")
		if ev.Format != tt.format || ev.Code != tt.code {
			t.Errorf("%q: format %q code %q, want %q %q", tt.in, ev.Format, ev.Code, tt.format, tt.code)
		}
	}
}

func TestProseCode(t *testing.T) {
	for in, want := range map[string]string{
		"企业工作台首页失败：用户未授权，错误码：100038":                      "100038",
		"用户未授权，错误码 100038。":                               "100038",
		"错误码为-504003，调用超时":                                "-504003",
		"错误码100,009":                                      "100009",
		"loadWorkbenchHome failed: 用户未授权 (code 100038)":   "100038",
		"删除用户失败（code FailedOperation）":                    "FailedOperation",
		"request failed with error code 100035, retrying": "100035",
		"查询失败，错误码：InvalidParameterValue":                  "InvalidParameterValue",
		// Not codes: ids, times, sizes, words.
		"(code 128MB)":           "",
		"错误码：08:00:01":           "",
		"(code 100038-2)":        "",
		"(code 1.5)":             "",
		"myerror code 100038":    "",
		"barcode 100038":         "",
		"order 100038 failed":    "",
		"(code review by alice)": "",
		"请查看错误码说明":               "",
	} {
		got, _ := ProseCode(in)
		if got != want {
			t.Errorf("ProseCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestProseKeyBefore(t *testing.T) {
	for in, want := range map[string]bool{
		"错误码：": true, "错误码 ": true, "错误码": true, "(code ": true, "error code ": true, "错误码为": true,
		"code ": false, "order ": false, "statusCode ": false, "": false,
	} {
		if got := ProseKeyBefore([]byte(in), len(in)); got != want {
			t.Errorf("ProseKeyBefore(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestWXCloudInnerCode(t *testing.T) {
	p := New(func(c string) bool {
		return c == "FailedOperation" || c == "FailedOperation.Aggregate" || c == "100035"
	})
	for in, want := range map[string][2]string{
		"ERROR cloud.callFunction failed: Error: errCode: -504002 functions execute fail | errMsg: Error: FailedOperation.Aggregate: 客户请求参数不合法": {"FailedOperation.Aggregate", "客户请求参数不合法"},
		"errCode: -504002 functions execute fail | errMsg: Error: FailedOperation: 任务不存在":                                                       {"FailedOperation", "任务不存在"},
		"errCode: -504002 functions execute fail | errMsg: Error: 100,035: 数据库资源到期":                                                             {"100035", "数据库资源到期"},
		"errCode: -504002 functions execute fail | errMsg: Error: 100036: 未知":                                                                   {"-504002", "Error: 100036: 未知"},
		"errCode: -504002 functions execute fail | errMsg: TypeError: Cannot read properties of undefined":                                      {"-504002", "TypeError: Cannot read properties of undefined"},
		"errCode: -501000 | errMsg: [ResourceNotFound.Function] FunctionName parameter could not be found.":                                     {"-501000", "[ResourceNotFound.Function] FunctionName parameter could not be found."},
		"errCode: -504002 functions execute fail | errMsg: Error: ResourceNotFound.Function: 函数 f 不存在":                                          {"-504002", "Error: ResourceNotFound.Function: 函数 f 不存在"},
	} {
		r := &record.Record{Text: []byte(in)}
		var ev Event
		p.Parse(&ev, r, p.Text(r, ""), "")
		if ev.Code != want[0] || ev.ErrMessage != want[1] {
			t.Errorf("%q: code %q message %q, want %q %q", in, ev.Code, ev.ErrMessage, want[0], want[1])
		}
	}
}
