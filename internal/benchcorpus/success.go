package benchcorpus

import (
	"fmt"
	"math/rand/v2"
)

var (
	regions = []string{"ap-shanghai", "ap-guangzhou", "ap-beijing"}
	apps    = []string{"lowcode-7gx2k9", "lowcode-1a2b3c", "weda-app-5f7c9"}
	actions = []string{"DescribeDataSourceList", "wedaGetRecordsV2", "callDataSource", "DescribeAppList", "runWorkflow"}
	okWords = []string{"审批成功", "订单同步完成", "查询成功", "登录成功", "导出完成"}
)

// successLine is one line of ordinary production traffic: success
// responses that print a zero code and HTTP 200, numbers everywhere, and
// JSON with many keys. None of it is an error.
func successLine(rng *rand.Rand, i int) string {
	id := reqID(rng)
	n := func(k int) int { return rng.IntN(k) }
	switch k := n(100); {
	case k < 30: // a structured JSON log with many keys
		return fmt.Sprintf(`{"level":"info","time":"%s","msg":"request done","action":"%s","code":0,"errCode":0,"status":200,"requestId":"%s","cost_ms":%d,"size":%d,"count":%d,"retries":0,"page":%d,"pageSize":20,"total":%d,"user_id":"%s","app":"%s","env":"prod","region":"%s","upstream_ms":%d,"queue_ms":%d,"bytes_in":%d,"bytes_out":%d}`,
			ts(i), actions[n(len(actions))], id, n(2000), 100+n(900), n(1000), 1+n(50), n(100000),
			users[n(len(users))], apps[n(len(apps))], regions[n(len(regions))], n(900), n(50), n(8000), 1000+n(600000))
	case k < 45: // a cloud function printing its success response
		return fmt.Sprintf("2024-06-21T%02d:%02d:%02d.%03dZ\t%s\tINFO\t{\"code\":0,\"message\":\"success\",\"data\":{\"total\":%d,\"pageNo\":%d,\"pageSize\":%d,\"costMs\":%d}}",
			(i/3600000)%24, (i/60000)%60, (i/1000)%60, i%1000, id, n(5000), 1+n(40), []int{10, 20, 50, 100}[n(4)], n(3000))
	case k < 60: // logfmt
		return fmt.Sprintf(`level=info ts=%s code=0 status=200 msg="%s ok" bytes=%d dur_ms=%d rows=%d retries=0 app=%s`,
			ts(i), actions[n(len(actions))], 1000+n(90000), n(1500), n(500), apps[n(len(apps))])
	case k < 70: // an API 3.0 success response
		return fmt.Sprintf(`{"Response":{"Total":%d,"Data":[{"Id":%d,"Size":%d,"Status":"NORMAL"},{"Id":%d,"Size":%d,"Status":"NORMAL"}],"RequestId":"%s"}}`,
			n(1000), 100000+n(900000), n(100000), 100000+n(900000), n(100000), id)
	case k < 80: // a mini-program call that succeeded
		return fmt.Sprintf(`%s INFO [wx] cloud.callFunction:ok errCode: 0 errMsg: "cloud.callFunction:ok" requestID: %s duration: %dms`,
			ts(i), id, n(900))
	case k < 90: // plain text with Chinese success words and numbers
		return fmt.Sprintf(`%s INFO [workflow] %s flowCode=purchase_apply step=%d cost=%dms amount=%d.%02d order=%d`,
			ts(i), okWords[n(len(okWords))], 1+n(6), n(2000), n(100000), n(100), 100000000+n(900000000))
	default: // access lines, 2xx and 3xx only
		status := []int{200, 200, 200, 204, 304}[n(5)]
		return fmt.Sprintf(`198.51.100.%d - - [21/Jun/2024:08:%02d:%02d +0800] "POST /api/v1/%s?page=%d HTTP/1.1" %d %d %d "-" "okhttp/4.12.0"`,
			n(255), (i/60)%60, i%60, actions[n(len(actions))], 1+n(40), status, 100+n(90000), n(1500))
	}
}
