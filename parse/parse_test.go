package parse

import (
	"strings"
	"testing"
	"time"
)

// want lists the Event fields a parse test checks; empty ones are not
// checked unless named in zero.
type want struct {
	Format, Level, Code, ErrMessage, RequestID, Message string
	Status                                              int
	Time                                                string // RFC 3339 with nanoseconds
	Fields                                              map[string]string
	zero                                                []string // fields that must be empty: "Code", "Level", "Status"
}

func checkEvent(t *testing.T, ev *Event, w want) {
	t.Helper()
	check := func(name, got, want string) {
		t.Helper()
		if want != "" && got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	check("Format", ev.Format, w.Format)
	check("Level", ev.Level, w.Level)
	check("Code", ev.Code, w.Code)
	check("ErrMessage", ev.ErrMessage, w.ErrMessage)
	check("RequestID", ev.RequestID, w.RequestID)
	check("Message", ev.Message, w.Message)
	if w.Status != 0 && ev.Status != w.Status {
		t.Errorf("Status = %d, want %d", ev.Status, w.Status)
	}
	if w.Time != "" {
		if got := ev.Time.Format(time.RFC3339Nano); got != w.Time {
			t.Errorf("Time = %s, want %s", got, w.Time)
		}
	}
	for k, v := range w.Fields {
		if got, ok := ev.Fields[k]; !ok || got != v {
			t.Errorf("Fields[%q] = %q (present %v), want %q", k, got, ok, v)
		}
	}
	for _, z := range w.zero {
		switch z {
		case "Code":
			check("Code", ev.Code, "")
			if ev.Code != "" {
				t.Errorf("Code = %q, want none", ev.Code)
			}
		case "Level":
			if ev.Level != "" {
				t.Errorf("Level = %q, want none", ev.Level)
			}
		case "Status":
			if ev.Status != 0 {
				t.Errorf("Status = %d, want none", ev.Status)
			}
		}
	}
}

func parseText(text string) (*Event, bool) {
	p := New(func(c string) bool { return c == "100009" || c == "UserError.DsNotFound" })
	ev := &Event{}
	broken := p.parse(ev, text, "")
	return ev, broken
}

const reqID = "1d3e5f7a-2b4c-4d6e-8f90-a1b2c3d4e5f6"

func TestParseFormats(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want want
	}{
		// Cloud functions (SCF).
		{"scf start", "START RequestId: " + reqID + " Version: $LATEST",
			want{Format: "scf", Level: "info", RequestID: reqID, Fields: map[string]string{"Version": "$LATEST"}, zero: []string{"Code"}}},
		{"scf end", "END RequestId: " + reqID,
			want{Format: "scf", Level: "info", RequestID: reqID}},
		{"scf report", "Report RequestId: " + reqID + " Duration: 3000ms Memory: 256MB MemUsage: 30MB",
			want{Format: "scf", Level: "info", RequestID: reqID, Fields: map[string]string{"Duration": "3000ms", "Memory": "256MB", "MemUsage": "30MB"}}},
		{"scf tabbed json", "2024-06-21T08:00:01.123Z\t" + reqID + "\tERROR\t" + `{"code":"FnError.HTTP.NetworkError","message":"方法 getList 底层接口网络请求失败","requestId":"5f2c8e1a"}`,
			want{Format: "cloudbase", Level: "error", Code: "FnError.HTTP.NetworkError", ErrMessage: "方法 getList 底层接口网络请求失败",
				RequestID: reqID, Time: "2024-06-21T08:00:01.123Z"}},
		{"scf tabbed text", "2024-06-21T08:00:02.004Z\t" + reqID + "\tINFO\tquery finished in 35ms",
			want{Format: "scf", Level: "info", RequestID: reqID, Message: "query finished in 35ms", zero: []string{"Code"}}},
		{"scf tabbed no level", "2024-06-21T08:00:02.004Z\t" + reqID + "\tgetList done",
			want{Format: "scf", RequestID: reqID, Message: "getList done", zero: []string{"Level"}}},
		{"scf python runtime", "[ERROR]\t2024-06-21T08:00:01.123Z\t" + reqID + "\t[TencentCloudSDKException] code:UserError.DsNotFound message:找不到数据源order requestId:r9",
			want{Format: "tcsdk", Level: "error", Code: "UserError.DsNotFound", RequestID: "r9", Time: "2024-06-21T08:00:01.123Z"}},
		{"scf error response", `{"errorCode":-1,"errorMessage":"Invoking task timed out after 3 seconds","statusCode":433}`,
			want{Format: "scf", Code: "-1", ErrMessage: "Invoking task timed out after 3 seconds", Status: 433}},

		// Tencent Cloud API 3.0.
		{"tcapi", `{"Response":{"Error":{"Code":"FailedOperation.FlexdbResourceOverdue","Message":"数据库资源到期或者数据库读写次数超过套餐包限制。"},"RequestId":"6f1c2a4e-3b7d-4c55-9a0e-2d8f1b7c9e10"}}`,
			want{Format: "tcapi", Code: "FailedOperation.FlexdbResourceOverdue", ErrMessage: "数据库资源到期或者数据库读写次数超过套餐包限制。",
				RequestID: "6f1c2a4e-3b7d-4c55-9a0e-2d8f1b7c9e10", Fields: map[string]string{"Response.Error.Code": "FailedOperation.FlexdbResourceOverdue"}}},
		{"tcapi pretty", "{\n  \"Response\": {\n    \"Error\": {\n      \"Code\": \"ResourceNotFound.DataSourceNotExist\",\n      \"Message\": \"数据源不存在，请在控制台数据源检查对应数据源是否存在\"\n    },\n    \"RequestId\": \"0f1e2d3c\"\n  }\n}",
			want{Format: "tcapi", Code: "ResourceNotFound.DataSourceNotExist", RequestID: "0f1e2d3c"}},

		// @cloudbase SDK errors.
		{"cloudbase json", `{"code":"ENV_SUSPENDED","message":"环境已停服，请检查环境用量是否超出套餐限制","requestId":"a8f3c2d1e0b94f5a"}`,
			want{Format: "cloudbase", Code: "ENV_SUSPENDED", ErrMessage: "环境已停服，请检查环境用量是否超出套餐限制", RequestID: "a8f3c2d1e0b94f5a"}},
		{"cloudbase node literal", "{\n  code: 'FnError.HTTP.NetworkError',\n  message: '方法 getList 底层接口网络请求失败',\n  requestId: '5f2c8e1a-77b0-4c1e-9d3a-0b8e2f6c1d44'\n}",
			want{Format: "cloudbase", Code: "FnError.HTTP.NetworkError", ErrMessage: "方法 getList 底层接口网络请求失败", RequestID: "5f2c8e1a-77b0-4c1e-9d3a-0b8e2f6c1d44"}},
		{"cloudbase node one line", `{ code: 'UserError.DsNotFound', message: '找不到数据源order，或该数据源未正确更新', requestId: 'x' }`,
			want{Format: "cloudbase", Code: "UserError.DsNotFound", RequestID: "x"}},
		{"node error with props", "Error: 方法 getList 底层接口网络请求失败\n    at Object.callDataSource (/var/user/node_modules/@cloudbase/node-sdk/lib/index.js:120:15)\n    at processTicksAndRejections (node:internal/process/task_queues:95:5) {\n  code: 'FnError.HTTP.NetworkError',\n  requestId: '5f2c8e1a'\n}",
			want{Code: "FnError.HTTP.NetworkError", RequestID: "5f2c8e1a", Message: "Error: 方法 getList 底层接口网络请求失败"}},
		{"node concatenated string", "{\n  code: 'FnError.HTTP.CloudSDKError',\n  message: '腾讯云 SDK 请求失败，' +\n    '错误信息：InvalidParameter'\n}",
			want{Code: "FnError.HTTP.CloudSDKError", ErrMessage: "腾讯云 SDK 请求失败，错误信息：InvalidParameter"}},

		// js-sdk.
		{"jssdk", `{"code":"OPERATION_FAIL","msg":"[FnError.HTTP.NetworkError] 方法 getList 底层接口网络请求失败"}`,
			want{Format: "jssdk", Code: "FnError.HTTP.NetworkError", ErrMessage: "方法 getList 底层接口网络请求失败"}},

		// wx.cloud.
		{"wxcloud errCode", "Error: errCode: -501000  | errMsg: [100003] Param Invalid: env check invalid be filterd",
			want{Format: "wxcloud", Code: "-501000", ErrMessage: "[100003] Param Invalid: env check invalid be filterd"}},
		{"wxcloud function error", "Error: errCode: -404011 cloud function execution error | errMsg: cloud.callFunction:fail requestID 7ab3c2d1-5e6f, cloud function service error code -504002, error message Error: boom",
			want{Format: "wxcloud", Code: "-404011", RequestID: "7ab3c2d1-5e6f", Fields: map[string]string{"innerCode": "-504002"}}},
		{"wx json errcode", `{"errcode":61005,"errmsg":"component ticket is expired rid: 64f69b23-60f73830-19f36488"}`,
			want{Format: "wxcloud", Code: "61005", ErrMessage: "component ticket is expired rid: 64f69b23-60f73830-19f36488"}},
		{"wx error json", `Error: {"errCode":-1,"errMsg":"get new ticket fail innerCode: -80011"}`,
			want{Format: "wxcloud", Code: "-1", ErrMessage: "get new ticket fail innerCode: -80011"}},

		// Tencent Cloud SDK exceptions.
		{"tcsdk python", "[TencentCloudSDKException] code:FailedOperation.FlexdbResourceOverdue message:数据库资源到期或者数据库读写次数超过套餐包限制。请升级套餐读写次数 requestId:6f1c2a4e-3b7d-4c55-9a0e-2d8f1b7c9e10",
			want{Format: "tcsdk", Level: "error", Code: "FailedOperation.FlexdbResourceOverdue", ErrMessage: "数据库资源到期或者数据库读写次数超过套餐包限制。请升级套餐读写次数",
				RequestID: "6f1c2a4e-3b7d-4c55-9a0e-2d8f1b7c9e10"}},
		{"tcsdk python traceback tail", "tencentcloud.common.exception.tencent_cloud_sdk_exception.TencentCloudSDKException: [TencentCloudSDKException] code:ResourceNotFound.DataSourceNotExist message:数据源不存在 requestId:0f1e2d3c",
			want{Format: "tcsdk", Code: "ResourceNotFound.DataSourceNotExist", ErrMessage: "数据源不存在", RequestID: "0f1e2d3c"}},
		{"tcsdk go", "[TencentCloudSDKError] Code=ResourceNotFound.DataSourceNotExist, Message=数据源不存在，请在控制台数据源检查对应数据源是否存在, RequestId=0f1e2d3c-4b5a-4697-8877-66554433aa22",
			want{Format: "tcsdk", Code: "ResourceNotFound.DataSourceNotExist", ErrMessage: "数据源不存在，请在控制台数据源检查对应数据源是否存在", RequestID: "0f1e2d3c-4b5a-4697-8877-66554433aa22"}},
		{"tcsdk java", "com.tencentcloudapi.common.exception.TencentCloudSDKException: [TencentCloudSDKException]code: UserError.DsMethodNotAllowed.NoPermission message:用户没有权限调用数据源 order 的方法 wedaGetItem requestId:2e1d0c9b",
			want{Format: "tcsdk", Code: "UserError.DsMethodNotAllowed.NoPermission", ErrMessage: "用户没有权限调用数据源 order 的方法 wedaGetItem", RequestID: "2e1d0c9b"}},
		{"tcsdk node", "[TencentCloudSDKException]message:[FnError.HTTP.InvalidURL] 方法 getList 的请求地址无效：  requestId:c0ffee00-1111",
			want{Format: "tcsdk", Code: "FnError.HTTP.InvalidURL", RequestID: "c0ffee00-1111"}},

		// logfmt.
		{"logfmt", `time=2024-06-21T08:00:01+08:00 level=error code=UserError.DsNotFound msg="找不到数据源order" request_id=r-77`,
			want{Format: "logfmt", Level: "error", Code: "UserError.DsNotFound", ErrMessage: "找不到数据源order", Message: "找不到数据源order",
				RequestID: "r-77", Time: "2024-06-21T08:00:01+08:00"}},
		{"logfmt with object value", `level=error msg="call failed" resp={"code":"UserError.DsNotFound","message":"找不到数据源order"}`,
			want{Format: "logfmt", Level: "error", Code: "UserError.DsNotFound", Message: "call failed", Fields: map[string]string{"resp": `{"code":"UserError.DsNotFound","message":"找不到数据源order"}`}}},
		{"logfmt benign", `level=info msg="orders listed" user_id=100009 errors=0`,
			want{Format: "logfmt", Level: "info", zero: []string{"Code"}, Fields: map[string]string{"user_id": "100009", "errors": "0"}}},

		// nginx / static hosting.
		{"access 502", `203.0.113.7 - - [21/Jun/2024:08:00:01 +0800] "POST /api/v1/getList HTTP/1.1" 502 157 "https://lowcode-1a2b.tcloudbaseapp.com/app/" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) MicroMessenger/8.0.49"`,
			want{Format: "access", Level: "error", Status: 502, Time: "2024-06-21T08:00:01+08:00",
				Fields: map[string]string{"method": "POST", "path": "/api/v1/getList", "http_user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) MicroMessenger/8.0.49"}}},
		{"access 200", `10.0.3.17 - - [21/Jun/2024:08:00:01 +0800] "GET /static/js/app.4f3c2a.js HTTP/1.1" 200 157342 "-" "Mozilla/5.0"`,
			want{Format: "access", Level: "info", Status: 200}},
		{"access host field", `203.0.113.7 - - [18/Mar/2025:09:12:44 +0800] "GET /adminportal/ HTTP/1.1" 404 548 "-" "Mozilla/5.0" "lowcode-8gx0w2a1b2c3d4e5-1307654321.tcloudbaseapp.com"`,
			want{Format: "access", Level: "warn", Status: 404, Fields: map[string]string{"host": "lowcode-8gx0w2a1b2c3d4e5-1307654321.tcloudbaseapp.com"}}},

		// Browser console of the H5 runtime.
		{"safari error", "[Error] Failed to load resource: the server responded with a status of 502 () (getList, line 0)",
			want{Format: "console", Level: "error", Status: 502}},
		{"safari log", "[Log] page onLoad home",
			want{Format: "console", Level: "info"}},
		{"chrome uncaught object", `index.js:12 Uncaught (in promise) {code: 'FnError.HTTP.NetworkError', message: '方法 getList 底层接口网络请求失败'}`,
			want{Format: "cloudbase", Level: "error", Code: "FnError.HTTP.NetworkError"}},
		{"chrome xhr", "xhr.js:220  GET https://lowcode-1a2b.tcloudbaseapp.com/api/getList 502 (Bad Gateway)",
			want{Format: "console", Status: 502}},
		{"chrome reference error", "Uncaught ReferenceError: wx is not defined at Object.onPageLoad (https://lowcode-7gx2k9a1c3e5f-1307654321.tcloudbaseapp.com/app-a1b2c3/pages/home/index.js:12:5)",
			want{Format: "console", Level: "error"}},

		// Plain text.
		{"plain java", "2024-06-21 08:00:01.123 ERROR [main] c.w.app.OrderService - 调用数据源失败 code=100,009",
			want{Format: "plain", Level: "error", Code: "100009"}},
		{"plain python logging", "2024-06-21 08:00:01,123 - root - ERROR - 查询失败 errCode: 100038",
			want{Level: "error", Code: "100038"}},
		{"plain nginx error", "2024/06/21 08:00:01 [error] 12#12: *1 connect() failed (111: Connection refused) while connecting to upstream",
			want{Level: "error", zero: []string{"Code"}}},
		{"plain english error word", "error: connect ECONNREFUSED 127.0.0.1:3306",
			want{Level: "error"}},
		{"plain bracket code", "调用失败 [UserError.DsNotFound] 找不到数据源order，或该数据源未正确更新",
			want{Code: "UserError.DsNotFound", ErrMessage: "找不到数据源order，或该数据源未正确更新"}},
		{"plain code quoted", `调用失败 code: 'FailedOperation.AddDuplicationErr' 资源已存在`,
			want{Code: "FailedOperation.AddDuplicationErr"}},
		{"plain json code text", `resp "Code":"InvalidParameter" end`,
			want{Code: "InvalidParameter"}},
		{"python traceback", "Traceback (most recent call last):\n  File \"/var/user/index.py\", line 12, in main_handler\n    resp = client.DescribeX(req)\nValueError: bad",
			want{Message: "ValueError: bad"}},
		{"tagged weda admin", "[weda-admin] 2025-03-18T09:15:02.118Z WARN administrator 无权限，请按提示关联角色 envId=lowcode-8gx0w2a1b2c3d4e5",
			want{Level: "warn", Time: "2025-03-18T09:15:02.118Z"}},
		{"info with digits", "2024-06-21 10:00:09.100 INFO user_id=100009 order=1718100009 ok",
			want{Level: "info", zero: []string{"Code"}}},

		// JSON logs.
		{"json nested", `{"level":"error","time":"2024-06-21T08:00:01.5Z","msg":"call failed","error":{"code":"UserError.DsNotFound","message":"找不到数据源order"},"req":{"headers":{"x-request-id":"h-1"}}}`,
			want{Format: "json", Level: "error", Code: "UserError.DsNotFound", ErrMessage: "找不到数据源order", Message: "call failed",
				Time: "2024-06-21T08:00:01.5Z", Fields: map[string]string{"req.headers.x-request-id": "h-1", "error.code": "UserError.DsNotFound"}}},
		{"json pino", `{"level":50,"time":1718956801123,"msg":"boom","statusCode":503}`,
			want{Format: "json", Level: "error", Status: 503, Time: "2024-06-21T08:00:01.123Z"}},
		{"json array", `{"items":[{"id":"a"},{"id":"b"}],"level":"info"}`,
			want{Fields: map[string]string{"items.0.id": "a", "items.1.id": "b"}, Level: "info"}},
		{"json escapes", `{"level":"error","msg":"\u8c03\u7528\u5931\u8d25 \"x\"\n"}`,
			want{Message: "调用失败 \"x\"\n"}},
		{"json in log field", `{"log":"{\"level\":\"error\",\"code\":\"UserError.DsNotFound\"}","stream":"stderr"}`,
			want{Level: "error", Code: "UserError.DsNotFound"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, broken := parseText(tt.in)
			if broken {
				t.Errorf("broken JSON reported")
			}
			checkEvent(t, ev, tt.want)
		})
	}
}

func TestParseBrokenJSON(t *testing.T) {
	ev, broken := parseText(`{"Response":{"Error":{"Code":"FailedOperation.FlexdbResourceOverdue","Message":"数据库资源`)
	if !broken {
		t.Error("broken JSON not reported")
	}
	checkEvent(t, ev, want{Code: "FailedOperation.FlexdbResourceOverdue"})
	// Text around an object that does not parse is not a broken JSON record.
	if _, broken := parseText(`Error: bad value {x} in template`); broken {
		t.Error("text with braces reported as broken JSON")
	}
}

func TestNormCode(t *testing.T) {
	for in, want := range map[string]string{
		"100,009": "100009", "-501,000": "-501000", "1,00,009": "1,00,009", "100009": "100009",
		"'FnError.HTTP.InvalidURL'": "FnError.HTTP.InvalidURL", "a,b": "a,b", "-504003": "-504003",
	} {
		if got := NormCode(in); got != want {
			t.Errorf("NormCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTextCodeForms(t *testing.T) {
	for in, want := range map[string]string{
		`"Code":"X.Y"`:               "X.Y",
		`code=UserError.DsNotFound,`: "UserError.DsNotFound",
		`code: 'A.B'`:                "A.B",
		`errCode: -501000 |`:         "-501000",
		`error_code=100,009 ok`:      "100009",
		`ErrorCode=ErrOverLimit`:     "ErrOverLimit",
		`the code is ok`:             "",
		`barcode=123`:                "",
		`code=FailedOperation.`:      "FailedOperation",
	} {
		got, _ := textCode(in)
		if got != want {
			t.Errorf("textCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLeadingTime(t *testing.T) {
	for in, want := range map[string]string{
		"2024-06-21T08:00:01.123Z x":        "2024-06-21T08:00:01.123Z",
		"2024-06-21T08:00:01+08:00 x":       "2024-06-21T08:00:01+08:00",
		"[2024-06-21 08:00:01.5 +0800] x":   "2024-06-21T08:00:01.5+08:00",
		"2024-06-21T08:00:01.123456789Z\tx": "2024-06-21T08:00:01.123456789Z",
	} {
		tm, _, ok := leadingTime(in, nil)
		if !ok || tm.Format(time.RFC3339Nano) != want {
			t.Errorf("leadingTime(%q) = %v %v, want %s", in, tm, ok, want)
		}
	}
	for _, in := range []string{"2024-06-21", "20240621 08:00:01", "2024-06-21T08:00:01abc", strings.Repeat("9", 30)} {
		if _, _, ok := leadingTime(in, nil); ok {
			t.Errorf("leadingTime(%q) accepted", in)
		}
	}
}

// TestKeyTables: every key of the ordered key tables is found with its
// kind and its place, and names one kind only.
func TestKeyTables(t *testing.T) {
	seen := map[string]bool{}
	for kind, keys := range keyKinds {
		for rank, k := range keys {
			if seen[k] {
				t.Errorf("key %q listed twice", k)
			}
			seen[k] = true
			if gk, gr := keyKind(k); gk != kind || gr != rank {
				t.Errorf("keyKind(%q) = %d, %d; want %d, %d", k, gk, gr, kind, rank)
			}
		}
	}
	for rank, k := range errMsgKeys {
		if got := errMsgRank(k); got != rank {
			t.Errorf("errMsgRank(%q) = %d, want %d", k, got, rank)
		}
	}
	for _, k := range []string{"", "cod", "codes", "Response.Error", "statuscode", "MSG"} {
		if kind, _ := keyKind(k); kind != kindNone || errMsgRank(k) != -1 || isCodeKey(k) {
			t.Errorf("%q found in a key table", k)
		}
	}
	if !isCodeKey("errorCode") || isCodeKey("Response.Error.Code") {
		t.Error("isCodeKey")
	}
}
