package main

import "strings"

// kindPlatform marks records of platform errors the FAQ does not cover
// (cloud-function timeouts and memory limits, wx.cloud and CloudBase
// codes, Tencent Cloud auth errors). No FAQ-tier entry is a right
// diagnosis for them: they are scored apart, as "mapped to the FAQ" (wrong),
// "mapped to another tier" (right) or undiagnosed.
const kindPlatform = "platform"

// platformCase is one platform error: a code ("" when the platform prints
// none) and the message it comes with.
type platformCase struct {
	Name, Code, Msg string
}

var platformCases = []platformCase{
	{"scf-timeout", "", "Task timed out after 3.00 seconds"},
	{"scf-433", "433", "function execution timed out after 3000ms"},
	{"scf-434", "434", "memory limit exceeded: function used 131MB of 128MB"},
	{"scf-oom", "", "Error: exceed memory limit, memsize 128MB"},
	{"wx-504003", "-504003", "Invoking task timed out"},
	{"wx-501000", "-501000", "[ResourceNotFound.Function] FunctionName parameter could not be found."},
	{"db-collection", "DATABASE_COLLECTION_NOT_EXIST", "Db or Table not exist: orders"},
	{"auth-signature", "AuthFailure.SignatureExpire", "签名过期，Timestamp 和服务器时间相差不得超过五分钟，请检查本地时间是否和标准时间同步。"},
	{"auth-secretid", "AuthFailure.SecretIdNotFound", "密钥不存在，请在控制台检查密钥是否已被删除或者禁用。"},
	{"function-not-found", "ResourceNotFound.Function", "函数 weda-order-sync 不存在"},
	{"request-limit", "RequestLimitExceeded", "请求的次数超过了频率限制。"},
	{"scf-concurrency", "LimitExceeded.ConcurrentExecutions", "concurrent executions of the function exceed the quota"},
}

// faqTier reports whether an id is an entry of the FAQ tier (an
// error-table row or a FAQ question), as opposed to a platform or custom
// entry.
func faqTier(id string) bool {
	for _, p := range []string{"faq/", "datasource/", "apis/", "flow/", "permission/", "workbench/"} {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}
