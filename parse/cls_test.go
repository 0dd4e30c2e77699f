package parse

import "testing"

// TestParseCLS: records as CLS stores them (SearchClsLog, Kafka JSON with
// meta fields, JsonType 1 and 2).
func TestParseCLS(t *testing.T) {
	const ms = "2025-12-02T06:00:01.234Z"
	tests := []struct {
		name string
		in   string
		want want
	}{
		{"scf platform timeout", `{"SCF_FunctionName":"order","SCF_Namespace":"env-1","SCF_StartTime":1764655200000,"SCF_LogTime":1764655201234,"SCF_RequestId":"r-1","SCF_Duration":3001,"SCF_MemUsage":31457280,"SCF_Level":"ERROR","SCF_Message":"Invoking task timed out after 3 seconds","SCF_Type":"Platform","SCF_StatusCode":433,"SCF_RetryNum":0}`,
			want{Format: "scf", Level: "error", RequestID: "r-1", Message: "Invoking task timed out after 3 seconds", Status: 433, Time: ms,
				Fields: map[string]string{"SCF_FunctionName": "order", "SCF_Duration": "3001", "SCF_MemUsage": "31457280", "SCF_Type": "Platform"}}},
		{"scf custom", `{"SCF_FunctionName":"order","SCF_RequestId":"r-1","SCF_Level":"INFO","SCF_Message":"2024-06-21T08:00:01.123Z\tr-1\tdone","SCF_Type":"Custom","SCF_LogTime":1764655201234}`,
			want{Format: "scf", Level: "info", RequestID: "r-1", Time: ms}},
		{"cloudbase function", `{"function_name":"login","request_id":"r-2","status_code":500,"ret_code":-1,"ret_msg":"UserError.DsNotFound 找不到数据源","module":"model","src":"system"}`,
			want{Format: "cloudbase", RequestID: "r-2", Status: 500, Message: "UserError.DsNotFound 找不到数据源",
				Fields: map[string]string{"function_name": "login", "ret_code": "-1", "module": "model"}}},
		{"cloudbase module", `{"module":"database","requestId":"r-3","level":"error","msg":"permission denied"}`,
			want{Format: "cloudbase", Level: "error", RequestID: "r-3", Message: "permission denied"}},
		{"kafka jsontype 2 (nested as a string)", `{"SCF_Message":"{\"code\":\"UserError.DsNotFound\",\"message\":\"x\"}","__SOURCE__":"10.0.0.1","__TIMESTAMP__":1764655201234}`,
			want{Code: "UserError.DsNotFound", ErrMessage: "x", Time: ms, Fields: map[string]string{"__SOURCE__": "10.0.0.1"}}},
		{"kafka jsontype 1 (nested object)", `{"SCF_Message":{"code":"UserError.DsNotFound","message":"x"},"__SOURCE__":"10.0.0.1","__TIMESTAMP__":1764655201234}`,
			want{Code: "UserError.DsNotFound", Time: ms, Fields: map[string]string{"SCF_Message.code": "UserError.DsNotFound"}}},
		{"kafka raw content", `{"__CONTENT__":"boom failed","__TIMESTAMP__":"1764655201234","__HOSTNAME__":"node-1"}`,
			want{Message: "boom failed", Time: ms}},
		{"scf running is a status too", `{"SCF_FunctionName":"order","SCF_StatusCode":202,"SCF_Message":"running"}`,
			want{Format: "scf", Status: 202}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, _ := parseText(tt.in)
			checkEvent(t, ev, tt.want)
		})
	}
}
