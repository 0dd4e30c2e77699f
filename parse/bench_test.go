package parse

import (
	"strings"
	"testing"

	"github.com/wedadiag/wedadiag/record"
)

func benchRecords(s string) ([]record.Record, int64) {
	var out []record.Record
	n := 0
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		out = append(out, record.Record{Text: []byte(l), Lines: 1})
		n += len(l) + 1
	}
	return out, int64(n)
}

// benchBenign is everyday traffic (the lines of rules' benchmarks): what
// Text costs every record before the prefilter.
const benchBenign = `2024-06-21T08:00:01.123Z	1d3e5f7a-2b4c-4d6e-8f90-a1b2c3d4e5f6	INFO	{"level":"info","time":"2024-06-21T08:00:01.123Z","msg":"query finished","user_id":"u_100009x","cost_ms":12,"path":"/api/v1/orders/list","env":"prod-1a2b3c"}
10.0.3.17 - - [21/Jun/2024:08:00:01 +0800] "GET /static/js/app.4f3c2a.js HTTP/1.1" 200 157342 "https://lowcode-1a2b.tcloudbaseapp.com/app/index.html" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49"
2024-06-21 08:00:01.123 INFO [main] c.w.app.OrderService - 查询订单列表成功，用户 u_1234 共返回 20 条记录，耗时 35ms
level=info ts=2024-06-21T08:00:01.123Z caller=orders.go:88 msg="orders listed" count=20 errors=0 duration_ms=35
Report RequestId: 1d3e5f7a-2b4c-4d6e-8f90-a1b2c3d4e5f6 Duration: 35ms Memory: 256MB MemUsage: 30MB
{"level":30,"time":1718956809123,"pid":7,"hostname":"weda-app-5f7c9","req":{"id":42,"method":"GET","url":"/api/v1/users/me"},"res":{"statusCode":200},"responseTime":12,"msg":"request completed"}`

// benchErrors are error records of several formats (the lines of rules'
// benchmarks), the records that get parsed.
const benchErrors = `{"Response":{"Error":{"Code":"FailedOperation.FlexdbResourceOverdue","Message":"数据库资源到期或者数据库读写次数超过套餐包限制。请升级套餐读写次数， 或者等待第二天重置读写次数。如有问题，请在云数据库平台核对资源"},"RequestId":"1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"}}
2024-06-21T08:00:01.123Z	1d3e5f7a-2b4c-4d6e-8f90-a1b2c3d4e5f6	ERROR	{"code":"FnError.HTTP.NetworkError","message":"方法 getList 底层接口网络请求失败","requestId":"5f2c8e1a"}
[TencentCloudSDKException] code:ResourceNotFound.DataSourceNotExist message:数据源不存在，请在控制台数据源检查对应数据源是否存在 requestId:0f1e2d3c-4b5a-4697-8877-66554433aa22
time=2024-06-21T08:00:01Z level=error code=UserError.DsNotFound msg="找不到数据源order" request_id=r-77
Error: errCode: -504003 | errMsg: Invoking task timed out after 3 seconds`

// BenchmarkText is what every record costs here before the prefilter: the
// UTF-8 and broken-JSON checks. Target: 0 allocs/op.
func BenchmarkText(b *testing.B) {
	p := New(nil)
	recs, n := benchRecords(benchBenign)
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for i := range recs {
			p.Text(&recs[i], "")
		}
	}
}

// BenchmarkParse is the parse of error records: Text, then Parse.
func BenchmarkParse(b *testing.B) {
	p := New(fuzzCodes)
	recs, n := benchRecords(benchErrors)
	var ev Event
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for i := range recs {
			p.Parse(&ev, &recs[i], p.Text(&recs[i], ""), "")
			if ev.Code == "" {
				b.Fatalf("no code in %s", recs[i].Text)
			}
		}
	}
}
