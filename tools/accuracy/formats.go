package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// gen carries the random source and the clock of one corpus file.
type gen struct {
	r   *rand.Rand
	now time.Time
	// The operation the record being written belongs to ("" for none).
	opEn, opZh string
}

func (g *gen) tick() time.Time {
	g.now = g.now.Add(time.Duration(1+g.r.IntN(4000)) * time.Millisecond)
	return g.now
}

func (g *gen) iso() string   { return g.tick().Format("2006-01-02T15:04:05.000Z") }
func (g *gen) local() string { return g.tick().Format("2006-01-02 15:04:05.000") }
func (g *gen) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[g.r.IntN(16)]
	}
	return string(b)
}
func (g *gen) rid() string {
	return g.hex(8) + "-" + g.hex(4) + "-" + g.hex(4) + "-" + g.hex(4) + "-" + g.hex(12)
}

// js quotes s as a JSON string, without HTML escaping.
func js(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// jcode renders a code as JSON: a number when it is one.
func jcode(code string) string {
	if _, err := strconv.Atoi(code); err == nil {
		return code
	}
	return js(code)
}

// jsq quotes s as a JavaScript single-quoted string (util.inspect style).
func jsq(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

func jscode(code string) string {
	if _, err := strconv.Atoi(code); err == nil {
		return code
	}
	return jsq(code)
}

// How a format prints codes.
const (
	codeNeeded   = iota // prints a code and a message
	codeOptional        // prints a message and a code when there is one
	messageOnly         // prints the message only
	rawOnly             // only hand-written records (symptom notices, access lines)
)

// format renders records of one log format. Render gets the level
// ("error", "info" or "debug"), the code ("" for none) and the message;
// Benign, when set, returns a format-specific benign line (success
// responses, zero codes); otherwise benign lines are Render at info level
// with a benign message.
type format struct {
	Name   string
	Codes  int
	Render func(g *gen, level, code, msg string) string
	Benign func(g *gen) string
}

func up(level string) string { return strings.ToUpper(level) }

// neutralOps name no operation of the FAQ's tables.
var neutralOps = []string{"callDataSource", "invoke", "request", "syncOrders", "queryInventory"}

// op is the operation of the current record, or a neutral one.
func (g *gen) op() string {
	if g.opEn != "" {
		return g.opEn
	}
	return neutralOps[g.r.IntN(len(neutralOps))]
}

// failedZh is a Chinese "… failed:" prefix naming the current operation.
func (g *gen) failedZh(fallback string) string {
	if g.opZh != "" {
		return g.opZh + "失败："
	}
	return fallback
}

var formats = []format{
	{Name: "json-code", Codes: codeOptional, Render: func(g *gen, lv, code, msg string) string {
		if code == "" {
			return fmt.Sprintf(`{"time":"%s","level":"%s","msg":%s,"traceId":"%s"}`, g.iso(), lv, js(msg), g.hex(16))
		}
		return fmt.Sprintf(`{"time":"%s","level":"%s","code":%s,"msg":%s,"traceId":"%s"}`, g.iso(), lv, jcode(code), js(msg), g.hex(16))
	}, Benign: func(g *gen) string {
		return pick(g.r,
			fmt.Sprintf(`{"time":"%s","level":"info","code":0,"msg":"success","traceId":"%s"}`, g.iso(), g.hex(16)),
			fmt.Sprintf(`{"time":"%s","level":"info","msg":"batch done","error_count":0,"errors":[]}`, g.iso()),
			fmt.Sprintf(`{"time":"%s","level":"info","msg":%s,"traceId":"%s"}`, g.iso(), js(benignMsg(g)), g.hex(16)))
	}},
	{Name: "json-errCode", Codes: codeNeeded, Render: func(g *gen, lv, code, msg string) string {
		return fmt.Sprintf(`{"ts":"%s","level":"%s","path":"/api/v1/%s","errCode":%s,"errMsg":%s}`, g.iso(), up(lv), g.op(), jcode(code), js(msg))
	}, Benign: func(g *gen) string {
		return fmt.Sprintf(`{"ts":"%s","level":"INFO","path":"/api/v1/%s","errCode":0,"errMsg":"ok","cost_ms":%d}`, g.iso(), g.op(), g.r.IntN(900))
	}},
	{Name: "json-error_code", Codes: codeNeeded, Render: func(g *gen, lv, code, msg string) string {
		return fmt.Sprintf(`{"@timestamp":"%s","severity":"%s","service":"crm-sync","error_code":%s,"error_message":%s}`, g.iso(), up(lv), jcode(code), js(msg))
	}, Benign: func(g *gen) string {
		return fmt.Sprintf(`{"@timestamp":"%s","severity":"INFO","service":"crm-sync","error_code":null,"error_message":"","synced":%d}`, g.iso(), g.r.IntN(500))
	}},
	{Name: "json-errorCode", Codes: codeNeeded, Render: func(g *gen, lv, code, msg string) string {
		return fmt.Sprintf(`{"lvl":"%s","t":"%s","errorCode":%s,"errorMessage":%s,"userId":"u_%s"}`, lv, g.iso(), jcode(code), js(msg), g.hex(6))
	}, Benign: func(g *gen) string {
		return fmt.Sprintf(`{"lvl":"info","t":"%s","errorCode":"","errorMessage":null,"userId":"u_%s"}`, g.iso(), g.hex(6))
	}},
	{Name: "json-Code", Codes: codeNeeded, Render: func(g *gen, lv, code, msg string) string {
		return fmt.Sprintf(`{"Code":%s,"Message":%s,"RequestId":"%s","Level":"%s"}`, jcode(code), js(msg), g.rid(), up(lv))
	}, Benign: func(g *gen) string {
		return fmt.Sprintf(`{"Code":"Success","Message":"","RequestId":"%s","Level":"INFO","Error":null}`, g.rid())
	}},
	{Name: "json-nested", Codes: codeNeeded, Render: func(g *gen, lv, code, msg string) string {
		return fmt.Sprintf(`{"level":"%s","time":"%s","msg":"request failed","op":"%s","error":{"code":%s,"message":%s},"req_id":"%s"}`, lv, g.iso(), g.op(), jcode(code), js(msg), g.rid())
	}, Benign: func(g *gen) string {
		return fmt.Sprintf(`{"level":"info","time":"%s","msg":"request ok","op":"%s","error":null,"req_id":"%s"}`, g.iso(), g.op(), g.rid())
	}},
	{Name: "tcapi3", Codes: codeNeeded, Render: func(g *gen, _, code, msg string) string {
		return fmt.Sprintf(`{"Response":{"Error":{"Code":%s,"Message":%s},"RequestId":"%s"}}`, js(code), js(msg), g.rid())
	}, Benign: func(g *gen) string {
		return pick(g.r,
			fmt.Sprintf(`{"Response":{"Data":{"Total":%d,"Records":[]},"RequestId":"%s"}}`, g.r.IntN(99), g.rid()),
			fmt.Sprintf(`{"Response":{"EnvId":"lowcode-4g7x2c1f","Status":"NORMAL","RequestId":"%s"}}`, g.rid()))
	}},
	{Name: "tcapi3-pretty", Codes: codeNeeded, Render: func(g *gen, lv, code, msg string) string {
		return fmt.Sprintf("%s %s [weda-api] %s response:\n{\n  \"Response\": {\n    \"Error\": {\n      \"Code\": %s,\n      \"Message\": %s\n    },\n    \"RequestId\": \"%s\"\n  }\n}",
			g.local(), up(lv), g.op(), js(code), js(msg), g.rid())
	}, Benign: func(g *gen) string {
		return fmt.Sprintf("%s INFO [weda-api] %s ok in %dms", g.local(), g.op(), g.r.IntN(800))
	}},
	{Name: "cloudbase-js-sdk", Codes: codeNeeded, Render: func(g *gen, lv, code, msg string) string {
		return fmt.Sprintf(`[%s] [%s] [@cloudbase/js-sdk] %s failed: code=%s, message=%s, requestId=%s`, g.iso(), up(lv), g.op(), code, msg, g.hex(32))
	}},
	{Name: "wx-cloud", Codes: codeNeeded, Render: func(g *gen, lv, code, msg string) string {
		return fmt.Sprintf(`%s %s cloud.callFunction failed: Error: errCode: -504002 functions execute fail | errMsg: Error: %s: %s`, g.local(), up(lv), code, msg)
	}, Benign: func(g *gen) string {
		return fmt.Sprintf(`%s INFO cloud.callFunction ok {errMsg: "cloud.callFunction:ok", result: {code: 0}}`, g.local())
	}},
	{Name: "util-inspect", Codes: codeNeeded, Render: func(g *gen, lv, code, msg string) string {
		return fmt.Sprintf("%s %s %s failed Error: %s\n    at callDataSource (/var/user/node_modules/@cloudbase/weda-client/lib/index.js:1:20417)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n    at async Promise.all (index 0) {\n  code: %s,\n  requestId: '%s'\n}",
			g.local(), up(lv), g.op(), msg, jscode(code), g.rid())
	}},
	{Name: "logback-sdk", Codes: codeNeeded, Render: func(g *gen, lv, code, msg string) string {
		return fmt.Sprintf("%s %s 4211 --- [nio-8080-exec-%d] c.a.weda.flow.FlowClient : invoke %s failed\ncom.tencentcloudapi.common.exception.TencentCloudSDKException: [TencentCloudSDKException]message:%s requestId:%s errorCode:%s\n\tat com.tencentcloudapi.common.AbstractClient.internalRequest(AbstractClient.java:359)\n\tat com.tencentcloudapi.lowcode.v20210108.LowcodeClient.DescribeDataSourceList(LowcodeClient.java:129)\n\tat com.acme.weda.flow.FlowClient.call(FlowClient.java:88)",
			g.local(), up(lv), 1+g.r.IntN(9), g.op(), msg, g.rid(), code)
	}, Benign: func(g *gen) string {
		return fmt.Sprintf("%s INFO 4211 --- [nio-8080-exec-%d] c.a.weda.flow.FlowClient : %s", g.local(), 1+g.r.IntN(9), benignMsg(g))
	}},
	{Name: "logback-json", Codes: codeNeeded, Render: func(g *gen, lv, code, msg string) string {
		return fmt.Sprintf(`{"@timestamp":"%s","level":"%s","logger_name":"com.acme.weda.WedaGateway","thread_name":"http-nio-8080-exec-7","message":"%s failed code=%s","stack_trace":%s}`,
			g.iso(), up(lv), g.op(), code, js("com.acme.weda.WedaException: "+msg+"\n\tat com.acme.weda.WedaGateway.call(WedaGateway.java:77)\n\tat com.acme.order.OrderJob.run(OrderJob.java:31)\n"))
	}},
	{Name: "java-printstacktrace", Codes: messageOnly, Render: func(g *gen, _, _, msg string) string {
		return fmt.Sprintf("com.acme.weda.WedaException: %s\n\tat com.acme.weda.client.WedaClient.%s(WedaClient.java:142)\n\tat com.acme.order.OrderService.sync(OrderService.java:57)\n\tat java.base/java.lang.Thread.run(Thread.java:840)", msg, g.op())
	}, Benign: func(g *gen) string {
		return fmt.Sprintf("%s INFO  [main] c.a.order.OrderService - %s", g.local(), benignMsg(g))
	}},
	{Name: "python-traceback", Codes: codeNeeded, Render: func(g *gen, lv, code, msg string) string {
		return fmt.Sprintf("%s %s [weda.client] %s failed\nTraceback (most recent call last):\n  File \"/app/weda/client.py\", line 88, in call\n    raise WedaError(body[\"code\"], body[\"message\"])\nweda.errors.WedaError: [%s] %s",
			strings.Replace(g.local(), ".", ",", 1), up(lv), g.op(), code, msg)
	}},
	{Name: "python-logging", Codes: codeOptional, Render: func(g *gen, lv, code, msg string) string {
		if code == "" {
			return fmt.Sprintf("%s - sync - %s - %s", strings.Replace(g.local(), ".", ",", 1), up(lv), msg)
		}
		return fmt.Sprintf("%s - sync - %s - %s (code=%s)", strings.Replace(g.local(), ".", ",", 1), up(lv), msg, code)
	}},
	{Name: "go-slog-text", Codes: codeOptional, Render: func(g *gen, lv, code, msg string) string {
		if code == "" {
			return fmt.Sprintf("time=%s level=%s msg=%s", g.tick().Format(time.RFC3339Nano), up(lv), js(msg))
		}
		return fmt.Sprintf("time=%s level=%s msg=\"weda call failed\" op=%s code=%s err=%s", g.tick().Format(time.RFC3339Nano), up(lv), g.op(), code, js(msg))
	}, Benign: func(g *gen) string {
		return fmt.Sprintf("time=%s level=INFO msg=\"weda call ok\" op=%s code=0 err=<nil>", g.tick().Format(time.RFC3339Nano), g.op())
	}},
	{Name: "go-zap-json", Codes: codeOptional, Render: func(g *gen, lv, code, msg string) string {
		ts := float64(g.tick().UnixMilli()) / 1000
		if code == "" {
			return fmt.Sprintf(`{"level":"%s","ts":%.3f,"caller":"weda/client.go:88","msg":%s}`, lv, ts, js(msg))
		}
		return fmt.Sprintf(`{"level":"%s","ts":%.3f,"caller":"weda/client.go:88","msg":"weda call failed","code":%s,"error":%s}`, lv, ts, js(code), js(msg))
	}},
	{Name: "go-zap-console", Codes: codeOptional, Render: func(g *gen, lv, code, msg string) string {
		t := g.tick().Format("2006-01-02T15:04:05.000-0700")
		if code == "" {
			return fmt.Sprintf("%s\t%s\tweda/client.go:88\t%s", t, up(lv), msg)
		}
		return fmt.Sprintf("%s\t%s\tweda/client.go:88\tweda call failed\t{\"code\": %s, \"error\": %s}", t, up(lv), js(code), js(msg))
	}},
	{Name: "logrus-text", Codes: codeOptional, Render: func(g *gen, lv, code, msg string) string {
		t := g.tick().Format(time.RFC3339)
		if code == "" {
			return fmt.Sprintf("time=%q level=%s msg=%s module=flow", t, lv, js(msg))
		}
		return fmt.Sprintf("time=%q level=%s msg=%s code=%s module=flow", t, lv, js(msg), code)
	}},
	{Name: "scf-runtime", Codes: codeOptional, Render: func(g *gen, lv, code, msg string) string {
		if code == "" {
			return fmt.Sprintf("%s\t%s\t%s\t%s", g.iso(), g.rid(), up(lv), msg)
		}
		return fmt.Sprintf("%s\t%s\t%s\t{ code: %s, message: %s }", g.iso(), g.rid(), up(lv), jscode(code), jsq(msg))
	}, Benign: func(g *gen) string {
		rid := g.rid()
		return pick(g.r,
			fmt.Sprintf("START RequestId: %s", rid),
			fmt.Sprintf("END RequestId: %s", rid),
			fmt.Sprintf("Report RequestId: %s Duration: %d.%02dms Memory: 128MB MemUsage: %d.%06dMB", rid, g.r.IntN(3000), g.r.IntN(100), 20+g.r.IntN(60), g.r.IntN(999999)),
			fmt.Sprintf("%s\t%s\tINFO\t%s", g.iso(), rid, benignMsg(g)))
	}},
	{Name: "scf-cls-json", Codes: codeOptional, Render: func(g *gen, lv, code, msg string) string {
		inner := msg
		if code != "" {
			inner = fmt.Sprintf("{ code: %s, message: %s }", jscode(code), jsq(msg))
		}
		rid := g.rid()
		return fmt.Sprintf(`{"SCF_FunctionName":"weda-order-sync","SCF_Namespace":"default","SCF_StartTime":%d,"SCF_RequestId":"%s","SCF_Duration":%d,"SCF_Alias":"$DEFAULT","SCF_Qualifier":"$LATEST","SCF_MemUsage":31.2,"SCF_Level":"%s","SCF_Message":%s,"SCF_Type":"Custom"}`,
			g.tick().UnixMilli(), rid, g.r.IntN(900), up(lv), js(g.iso()+"\t"+rid+"\t"+up(lv)+"\t"+inner))
	}},
	{Name: "cloudbase-snake", Codes: codeNeeded, Render: func(g *gen, lv, code, msg string) string {
		return fmt.Sprintf(`{"level":"%s","time":"%s","module":"flow","env_id":"lowcode-4g7x2c1f","ret_code":%s,"ret_msg":%s,"request_id":"%s"}`, lv, g.iso(), jcode(code), js(msg), g.rid())
	}, Benign: func(g *gen) string {
		return fmt.Sprintf(`{"level":"info","time":"%s","module":"flow","env_id":"lowcode-4g7x2c1f","ret_code":0,"ret_msg":"success","request_id":"%s"}`, g.iso(), g.rid())
	}},
	{Name: "syslog", Codes: codeOptional, Render: func(g *gen, lv, code, msg string) string {
		t := g.tick().Format(time.Stamp)
		if code == "" {
			return fmt.Sprintf("%s app-7f8d weda-app[2314]: [%s] %s", t, up(lv), msg)
		}
		return fmt.Sprintf("%s app-7f8d weda-app[2314]: [%s] %s code=%s", t, up(lv), msg, code)
	}},
	{Name: "cri", Codes: codeOptional, Render: func(g *gen, lv, code, msg string) string {
		t := g.tick()
		stream := "stdout"
		if lv == "error" {
			stream = "stderr"
		}
		inner := fmt.Sprintf(`{"level":"%s","msg":%s}`, lv, js(msg))
		if code != "" {
			inner = fmt.Sprintf(`{"level":"%s","code":%s,"msg":%s}`, lv, jcode(code), js(msg))
		}
		return fmt.Sprintf("%s %s F %s", t.Format("2006-01-02T15:04:05.000000000Z"), stream, inner)
	}},
	{Name: "docker-json", Codes: codeOptional, Render: func(g *gen, lv, code, msg string) string {
		t := g.tick()
		inner := fmt.Sprintf("%s [%s] %s", t.Format("2006-01-02 15:04:05"), up(lv), msg)
		if code != "" {
			inner += " (" + code + ")"
		}
		stream := "stdout"
		if lv == "error" {
			stream = "stderr"
		}
		return fmt.Sprintf(`{"log":%s,"stream":"%s","time":"%s"}`, js(inner+"\n"), stream, t.Format("2006-01-02T15:04:05.000000000Z"))
	}},
	{Name: "logfmt", Codes: codeOptional, Render: func(g *gen, lv, code, msg string) string {
		if code == "" {
			return fmt.Sprintf("ts=%s level=%s component=flow message=%s", g.iso(), lv, js(msg))
		}
		return fmt.Sprintf("ts=%s level=%s component=flow code=%s message=%s", g.iso(), lv, code, js(msg))
	}, Benign: func(g *gen) string {
		return fmt.Sprintf("ts=%s level=info component=flow msg=%s error_count=0 code=0 duration_ms=%d", g.iso(), js(benignMsg(g)), g.r.IntN(900))
	}},
	{Name: "prose-code-en", Codes: codeNeeded, Render: func(g *gen, lv, code, msg string) string {
		return fmt.Sprintf("%s %s %s failed: %s (code %s)", g.local(), up(lv), g.op(), msg, code)
	}},
	{Name: "prose-code-zh", Codes: codeNeeded, Render: func(g *gen, lv, code, msg string) string {
		return fmt.Sprintf("%s [%s] %s%s，错误码：%s", g.local(), up(lv), g.failedZh("调用失败："), msg, code)
	}},
	{Name: "zh-plain", Codes: messageOnly, Render: func(g *gen, lv, _, msg string) string {
		if lv == "error" {
			prefix := pick(g.r, "", "操作异常：", "处理请求失败：")
			if strings.Contains(msg, "数据源") || strings.Contains(msg, "数据库") {
				prefix = "调用数据源失败："
			}
			prefix = g.failedZh(prefix)
			return fmt.Sprintf("%s [ERROR] %s%s", g.local(), prefix, msg)
		}
		return fmt.Sprintf("%s [%s] %s", g.local(), up(lv), msg)
	}},
	{Name: "en-plain", Codes: messageOnly, Render: func(g *gen, lv, _, msg string) string {
		return fmt.Sprintf("%s %s [main] %s failed: %s", g.local(), up(lv), g.op(), msg)
	}, Benign: func(g *gen) string {
		return fmt.Sprintf("%s INFO [main] %s", g.local(), benignMsg(g))
	}},
	{Name: "console-publish", Codes: codeOptional, Render: func(g *gen, lv, code, msg string) string {
		if lv != "error" {
			return fmt.Sprintf("[weda] ✔ %s", msg)
		}
		if code == "" {
			return fmt.Sprintf("[weda] ✖ 发布失败：%s", msg)
		}
		return fmt.Sprintf("[weda] ✖ 发布失败 [%s] %s", code, msg)
	}, Benign: func(g *gen) string {
		return pick(g.r, "[weda] ✔ 构建完成，用时 41.3s", "[weda] ✔ 上传代码包 1.82 MB", "[weda] ✔ 发布成功，版本 1.0.37",
			"[weda] ℹ 正在编译页面 pages/order/index", "[weda] ℹ 0 errors, 2 warnings")
	}},
	{Name: "h5-console", Codes: codeOptional, Render: func(g *gen, lv, code, msg string) string {
		if code == "" {
			return fmt.Sprintf("index.7f3a2c.js:2 Uncaught (in promise) Error: %s", msg)
		}
		return fmt.Sprintf("index.7f3a2c.js:2 [WeDa] %s error {code: %s, message: %s}", g.op(), jscode(code), jsq(msg))
	}, Benign: func(g *gen) string {
		return pick(g.r, "index.7f3a2c.js:2 [WeDa] app launched in 812ms", "index.7f3a2c.js:2 [WeDa] callDataSource ok {code: 0, data: Array(20)}",
			"[HMR] connected", "index.7f3a2c.js:2 errors: []")
	}},
	{Name: "mp-console", Codes: codeOptional, Render: func(g *gen, lv, code, msg string) string {
		if code == "" {
			return fmt.Sprintf("VM1523 WAService.js:2 Error: %s", msg)
		}
		return fmt.Sprintf("VM1523 WAService.js:2 [云函数] 调用失败 {errCode: %s, errMsg: %s}", jscode(code), js(msg))
	}, Benign: func(g *gen) string {
		return pick(g.r, "VM1523 WAService.js:2 [system] WeChatLib: 3.4.10 (2024.6.12 16:31:07)", "VM1523 WAService.js:2 {errMsg: \"getSystemInfo:ok\"}",
			"VM1523 WAService.js:2 [云函数] 调用成功 {errCode: 0, errMsg: \"cloud.callFunction:ok\"}", "Tue Jun 25 2024 10:02:11 GMT+0800 页面 pages/index/index onShow")
	}},
	{Name: "provider-console", Codes: codeOptional, Render: func(g *gen, lv, code, msg string) string {
		if code == "" {
			return fmt.Sprintf("%s [服务商平台] [%s] %s", g.local(), up(lv), msg)
		}
		return fmt.Sprintf("%s [服务商平台] [%s] %s (%s)", g.local(), up(lv), msg, code)
	}},
	{Name: "wecom-notify", Codes: codeOptional, Render: func(g *gen, lv, code, msg string) string {
		if code == "" {
			return fmt.Sprintf("%s notify channel=wecom level=%s %s", g.local(), lv, msg)
		}
		return fmt.Sprintf("%s notify channel=wecom level=%s code=%s %s", g.local(), lv, code, msg)
	}, Benign: func(g *gen) string {
		return fmt.Sprintf(`%s notify channel=wecom result=ok resp={"errcode":0,"errmsg":"ok"}`, g.local())
	}},
	{Name: "billing-notice", Codes: rawOnly, Benign: func(g *gen) string {
		return pick(g.r,
			g.local()+" 【腾讯云】您的云开发环境 lowcode-4g7x2c1f 资源包已自动续费成功。",
			g.local()+" 【腾讯云】账单通知：2024年06月账单已出，应付金额 0.00 元。",
			g.local()+" 【腾讯云】用量提醒：环境 weda-prod-8h3k CDN 流量本月已使用 12%。",
			g.local()+" 【腾讯云】您购买的流量包 100GB 已生效。")
	}},
	{Name: "nginx-access", Codes: rawOnly, Benign: func(g *gen) string {
		return fmt.Sprintf(`10.2.%d.%d - - [%s] "GET %s HTTP/1.1" %s %d "-" "Mozilla/5.0 Chrome/120.0"`,
			g.r.IntN(255), g.r.IntN(255), g.tick().Format("02/Jan/2006:15:04:05 -0700"),
			pick(g.r, "/", "/pages/order/index", "/docs/errors/UserError.DsNotFound", "/api/explain?code=FailedOperation.UserNoLicense",
				"/static/js/app.100038.js", "/?errCode=0", "/adminportal/index.html", "/health"),
			pick(g.r, "200", "200", "304", "200"), 100000+g.r.IntN(9000))
	}},
}

// benignMsg returns a benign message, often a near miss: a zero count, a
// success, a code name mentioned at INFO, digits of a numeric code in a
// size, id or time.
func benignMsg(g *gen) string {
	return pick(g.r,
		"error_count=0",
		"sync finished: 0 errors, 128 records",
		`response {"code":0,"msg":"ok","errors":[]}`,
		`{"Error": null, "RequestId": "`+g.rid()+`"}`,
		"errCode: 0, errMsg: 'cloud.callFunction:ok'",
		"retry policy loaded for FailedOperation.FlexdbRequestTimeOut: 3 attempts, 200ms backoff",
		"mapping UserError.DsNotFound -> 404 registered",
		"known codes: FnError.HTTP.NetworkError, FnError.HTTP.StatusError, UserError.HTTP.InvalidIp",
		fmt.Sprintf("uploaded %d bytes in %dms", 100038+g.r.IntN(3), 100+g.r.IntN(900)),
		fmt.Sprintf("order 2024062110%04d created", g.r.IntN(9999)),
		"cache hit key=user:100009:profile ttl=300s",
		"took 100035µs",
		"feature flag errorCodeMapping=enabled",
		"查询数据源成功，共 20 条记录",
		"用户登录成功 uid=u_100039",
		"流程实例已创建 instanceId=1730000100038",
		"审批通过，进入下一节点",
		"发布成功，版本号 1.0.37",
		"定时任务执行完成，耗时 3.00 秒",
		"health check ok",
		"GET /api/v1/orders 200 12ms",
		"metrics: weda_errors_total{code=\"FailedOperation.PackageExpired\"} 0",
		"debug: checking quota for env lowcode-4g7x2c1f (ResourceUnavailable none)",
		"configured error page for 100038 and 100039",
	)
}

func formatByName(name string) *format {
	for i := range formats {
		if formats[i].Name == name {
			return &formats[i]
		}
	}
	return nil
}
