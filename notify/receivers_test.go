package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wedadiag/wedadiag/internal/testutil"
	"github.com/wedadiag/wedadiag/internal/testutil/golden"
)

const idCDN = "faq/cdn-traffic-exhausted-app-unreachable" // a FAQ symptom with docs

// Secrets that must never show in an error, a log or a metric.
const (
	weComKey     = "1a2b3c4d-5e6f-7a8b-9c0d-e1f2a3b4c5d6"
	dingToken    = "dt0ken5ecret0123456789"
	dingSecret   = "SECd1ngs1gn1ngs3cr3t"
	feishuHook   = "f5e4d3c2-b1a0-4987-8654-3210fedcba98"
	feishuSecret = "f3ishus1gn1ngs3cr3t"
	bearer       = "Bearer s3cr3t-t0ken-value"
)

// goldenTime is the fake now of golden payloads.
var goldenTime = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// goldenMessage is the notification of the golden files: a critical error
// code firing with a sample, a warning firing again, and a FAQ symptom
// that resolved.
func goldenMessage(t testing.TB) *message {
	flexdb, dup, cdn := entry(t, idFlexdb), entry(t, idDuplicate), entry(t, idCDN)
	sample := testMessage(testCatalog(t), goldenTime).alerts[0].sample
	m := &message{kind: kindNotify, created: goldenTime, alerts: []snapshot{
		{key: key{idFlexdb, "app"}, entry: flexdb, firing: true, startsAt: goldenTime.Add(-2 * time.Minute),
			lastAt: goldenTime, count: 3, threshold: 1, window: 5 * time.Minute, resolve: 10 * time.Minute, sample: sample},
		{key: key{idDuplicate, "app"}, entry: dup, firing: true, repeat: true, startsAt: goldenTime.Add(-time.Hour),
			lastAt: goldenTime.Add(-time.Minute), count: 57, threshold: 5, window: 5 * time.Minute, resolve: 10 * time.Minute,
			sample: "2024-05-06 06:07:08 ERROR [FailedOperation.AddDuplicationErr] 资源已存在，添加重复资源失败 `id`=42"},
		{key: key{idCDN, "gateway"}, entry: cdn, startsAt: goldenTime.Add(-30 * time.Minute), endsAt: goldenTime,
			lastAt: goldenTime.Add(-10 * time.Minute), count: 4, threshold: 1, window: 5 * time.Minute, resolve: 10 * time.Minute,
			sample: `{"code":"ENV_SUSPENDED","message":"环境已停服，请检查环境用量是否超出套餐限制","requestId":"a8f3c2d1e0b94f5a"}`},
	}}
	sortSnapshots(m.alerts)
	return m
}

// deliverTo builds a Notifier with one receiver pointing at srv (its URL
// completed by path) and delivers m through its worker, as Run would.
func deliverTo(t *testing.T, srv *httptest.Server, rc Receiver, path string, m *message) (*worker, *Metrics, *logBuffer, error) {
	t.Helper()
	rc.URL = srv.URL + path
	if rc.Name == "" {
		rc.Name = rc.Type
	}
	if rc.MinBackoff == 0 {
		rc.MinBackoff, rc.MaxBackoff = time.Millisecond, 4*time.Millisecond
	}
	metrics := NewMetrics(nil)
	log, buf := testLogger(t)
	n, err := New(Config{Receivers: []Receiver{rc}, ExternalURL: "http://wedadiag.example:9894/"}, testCatalog(t), log, metrics,
		func() time.Time { return goldenTime })
	if err != nil {
		t.Fatal(err)
	}
	w := n.byName[rc.Name]
	return w, metrics, buf, w.deliver(t.Context(), m)
}

// TestReceiverGolden posts the golden message to each kind of receiver and
// compares the request bodies with testdata/golden/; robot signatures are
// checked against the documented algorithms.
func TestReceiverGolden(t *testing.T) {
	tests := []struct {
		name string
		rc   Receiver
		path string
		// check looks at the request beyond its body.
		check func(t *testing.T, r request)
	}{
		{"alertmanager", Receiver{Type: TypeAlertmanager, Headers: map[string]string{"Authorization": bearer}}, "/am", func(t *testing.T, r request) {
			if r.url.Path != "/am/api/v2/alerts" || r.header.Get("Authorization") != bearer {
				t.Errorf("path %s, authorization %q", r.url.Path, r.header.Get("Authorization"))
			}
		}},
		{"webhook", Receiver{Type: TypeWebhook, Headers: map[string]string{"Authorization": bearer, "X-Team": "ops"}}, "/hook", func(t *testing.T, r request) {
			if r.header.Get("Authorization") != bearer || r.header.Get("X-Team") != "ops" || r.header.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Errorf("headers %v", r.header)
			}
		}},
		{"webhook.en", Receiver{Type: TypeWebhook, Lang: "en"}, "/hook", nil},
		{"wecom", Receiver{Type: TypeWeCom}, "/cgi-bin/webhook/send?key=" + weComKey, nil},
		{"wecom.en", Receiver{Type: TypeWeCom, Lang: "en"}, "/cgi-bin/webhook/send?key=" + weComKey, nil},
		{"dingtalk", Receiver{Type: TypeDingTalk, Secret: dingSecret}, "/robot/send?access_token=" + dingToken, func(t *testing.T, r request) {
			q := r.url.Query()
			if q.Get("access_token") != dingToken || q.Get("timestamp") != fmt.Sprint(goldenTime.UnixMilli()) {
				t.Errorf("query %v", q)
			}
			// 加签: base64(HmacSHA256(secret, timestamp+"\n"+secret)), as DingTalk documents.
			if got, want := q.Get("sign"), dingTalkSign(dingSecret, goldenTime.UnixMilli()); got != want || want == "" {
				t.Errorf("sign %q, want %q", got, want)
			}
		}},
		{"feishu", Receiver{Type: TypeFeishu, Secret: feishuSecret}, "/open-apis/bot/v2/hook/" + feishuHook, func(t *testing.T, r request) {
			var body struct{ Timestamp, Sign string }
			json.Unmarshal(r.body, &body)
			if body.Timestamp != fmt.Sprint(goldenTime.Unix()) || body.Sign != feishuSign(feishuSecret, goldenTime.Unix()) {
				t.Errorf("timestamp %q sign %q", body.Timestamp, body.Sign)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeReceiver{}
			if tt.rc.Type == TypeFeishu {
				f.reply = func(int, *http.Request) (int, string, bool) {
					return 200, `{"code":0,"msg":"success","data":{}}`, false
				}
			}
			srv := httptest.NewServer(f)
			defer srv.Close()
			_, _, _, err := deliverTo(t, srv, tt.rc, tt.path, goldenMessage(t))
			if err != nil {
				t.Fatal(err)
			}
			reqs := f.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			golden.Check(t, "testdata/golden/"+tt.name+".json", indentJSON(t, reqs[0].body))
			if tt.check != nil {
				tt.check(t, reqs[0])
			}
			if tt.rc.Type == TypeWeCom {
				// The markdown as it shows, for README and review.
				var body struct{ Markdown struct{ Content string } }
				json.Unmarshal(reqs[0].body, &body)
				golden.Check(t, "testdata/golden/"+tt.name+".md", []byte(body.Markdown.Content+"\n"))
			}
		})
	}
}

// TestReceiverRetries checks the retry table against real HTTP servers:
// 5xx and 429 are retried with backoff until success, other 4xx fail at
// once, a robot's errcode counts as failure (retried only for its rate
// limit and "busy" codes).
func TestReceiverRetries(t *testing.T) {
	weComPath := "/cgi-bin/webhook/send?key=" + weComKey
	tests := []struct {
		name      string
		rc        Receiver
		path      string
		replies   []string // "status body"; the last repeats
		attempts  int
		wantErr   string // "" for success
		sent      float64
		retryable bool
	}{
		{"webhook 500 then 200", Receiver{Type: TypeWebhook}, "/", []string{"500 oops", "500 oops", "200 ok"}, 3, "", 1, false},
		{"alertmanager 503 then 200", Receiver{Type: TypeAlertmanager}, "", []string{"503 busy", "200 "}, 2, "", 1, false},
		{"429 is retried", Receiver{Type: TypeWebhook}, "/", []string{"429 slow down", "200 ok"}, 2, "", 1, false},
		{"400 is not retried", Receiver{Type: TypeWebhook}, "/", []string{"400 bad alert"}, 1, "unexpected status 400 Bad Request: bad alert", 0, false},
		{"404 is not retried", Receiver{Type: TypeAlertmanager}, "", []string{"404 "}, 1, "unexpected status 404 Not Found", 0, false},
		{"500 until give_up_after", Receiver{Type: TypeWebhook, GiveUpAfter: 50 * time.Millisecond}, "/", []string{"500 down"}, -1, "gave up after", 0, true},
		{"wecom errcode in a 200 fails", Receiver{Type: TypeWeCom}, weComPath, []string{`200 {"errcode":93000,"errmsg":"invalid webhook url"}`}, 1, "errcode 93000: invalid webhook url", 0, false},
		{"wecom rate limit errcode is retried", Receiver{Type: TypeWeCom}, weComPath, []string{`200 {"errcode":45009,"errmsg":"api freq out of limit"}`, `200 {"errcode":0,"errmsg":"ok"}`}, 2, "", 1, false},
		{"wecom 200 without errcode fails", Receiver{Type: TypeWeCom}, weComPath, []string{`200 <html>proxy</html>`}, 1, "unreadable reply", 0, false},
		{"dingtalk errcode fails", Receiver{Type: TypeDingTalk}, "/robot/send?access_token=" + dingToken, []string{`200 {"errcode":310000,"errmsg":"keywords not in content"}`}, 1, "errcode 310000", 0, false},
		{"feishu code fails", Receiver{Type: TypeFeishu}, "/open-apis/bot/v2/hook/" + feishuHook, []string{`200 {"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}`}, 1, "errcode 19021: sign match fail", 0, false},
		{"feishu frequency limit is retried", Receiver{Type: TypeFeishu}, "/open-apis/bot/v2/hook/" + feishuHook, []string{`200 {"code":11232,"msg":"frequency limited"}`, `200 {"code":0,"msg":"success"}`}, 2, "", 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeReceiver{reply: func(n int, _ *http.Request) (int, string, bool) {
				r := tt.replies[min(n, len(tt.replies))-1]
				var code int
				fmt.Sscan(r, &code)
				return code, strings.TrimPrefix(r[3:], " "), false
			}}
			srv := httptest.NewServer(f)
			defer srv.Close()
			_, m, logs, err := deliverTo(t, srv, tt.rc, tt.path, goldenMessage(t))
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("error %v, want %q", err, tt.wantErr)
			}
			if n := len(f.requests()); tt.attempts >= 0 && n != tt.attempts || tt.attempts < 0 && n < 2 {
				t.Errorf("%d attempts, want %d", n, tt.attempts)
			}
			failed := 0.0
			if tt.wantErr != "" {
				failed = 1
			}
			if got := counter(m, "sent", tt.rc.Type); got != tt.sent {
				t.Errorf("sent_total %v, want %v", got, tt.sent)
			}
			if got := counter(m, "failed", tt.rc.Type); got != failed {
				t.Errorf("failed_total %v, want %v", got, failed)
			}
			for _, s := range []string{weComKey, dingToken, feishuHook} {
				if err != nil && strings.Contains(err.Error(), s) || strings.Contains(logs.String(), s) {
					t.Errorf("secret %q in error or log:\n%v\n%s", s, err, logs)
				}
			}
		})
	}
}

// TestNoSecretInErrors makes transport errors and error bodies that carry
// the robot key, token, hook id, header and signing secret, and checks
// that none reaches an error or the log.
func TestNoSecretInErrors(t *testing.T) {
	echo := &fakeReceiver{reply: func(_ int, r *http.Request) (int, string, bool) {
		// A server that quotes the request back, secrets included.
		return 400, r.URL.String() + " " + r.Header.Get("Authorization"), false
	}}
	srv := httptest.NewServer(echo)
	defer srv.Close()
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close() // connection refused from now on
	receivers := []Receiver{
		{Name: "wecom", Type: TypeWeCom, URL: srv.URL + "/cgi-bin/webhook/send?key=" + weComKey},
		{Name: "wecom-dead", Type: TypeWeCom, URL: deadURL + "/cgi-bin/webhook/send?key=" + weComKey},
		{Name: "ding", Type: TypeDingTalk, Secret: dingSecret, URL: srv.URL + "/robot/send?access_token=" + dingToken},
		{Name: "feishu-dead", Type: TypeFeishu, Secret: feishuSecret, URL: deadURL + "/open-apis/bot/v2/hook/" + feishuHook},
		{Name: "hook", Type: TypeWebhook, URL: srv.URL + "/x?token=" + dingToken, Headers: map[string]string{"Authorization": bearer}},
		{Name: "am-dead", Type: TypeAlertmanager, URL: "http://admin:" + dingSecret + "@" + strings.TrimPrefix(deadURL, "http://")},
	}
	for i := range receivers {
		receivers[i].MinBackoff, receivers[i].MaxBackoff, receivers[i].GiveUpAfter = time.Millisecond, time.Millisecond, 20*time.Millisecond
	}
	n, logs := newNotifier(t, Config{Receivers: receivers}, nil, nil)
	err := n.Test(t.Context(), "")
	if err == nil {
		t.Fatal("no error")
	}
	for _, name := range []string{"wecom", "wecom-dead", "ding", "feishu-dead", "hook", "am-dead"} {
		if !strings.Contains(err.Error(), fmt.Sprintf("receiver %q", name)) {
			t.Errorf("error does not name receiver %q: %v", name, err)
		}
	}
	if !strings.Contains(err.Error(), "connection refused") || !strings.Contains(err.Error(), "<redacted>") {
		t.Errorf("error does not say what failed: %v", err)
	}
	for _, s := range []string{weComKey, dingToken, dingSecret, feishuHook, feishuSecret, "s3cr3t-t0ken-value"} {
		if strings.Contains(err.Error(), s) || strings.Contains(logs.String(), s) {
			t.Errorf("secret %q leaked:\nerror: %v\nlog:\n%s", s, err, logs)
		}
	}
}

// TestWeComCut fills a WeCom notification beyond 4096 bytes: every message
// stays within the limit, cut on rune boundaries, and each alert shown
// keeps its remedy.
func TestWeComCut(t *testing.T) {
	cat := testCatalog(t)
	huge := strings.Repeat("数据库资源到期或者数据库读写次数超过套餐包限制", 200) // 13 KB of 3-byte runes
	var alerts []snapshot
	for _, e := range cat.Entries()[:100] {
		alerts = append(alerts, snapshot{key: key{e.ID, "app"}, entry: e, firing: true, startsAt: goldenTime,
			lastAt: goldenTime, count: 1, threshold: 1, window: time.Minute, resolve: time.Minute, sample: huge})
	}
	tests := []struct {
		name      string
		alerts    []snapshot
		parts     int
		omitted   bool
		hasSample bool
	}{
		{"one alert with a huge sample keeps the start of its sample", alerts[:1], 1, false, true},
		{"three alerts fit one message without their samples' tails", alerts[:3], 1, false, true},
		{"twelve alerts fit one message in their compact form", alerts[:12], 1, false, false},
		{"a hundred alerts fill five messages and the rest is counted", alerts, maxParts, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeReceiver{}
			srv := httptest.NewServer(f)
			defer srv.Close()
			m := &message{kind: kindNotify, created: goldenTime, alerts: tt.alerts}
			if _, _, _, err := deliverTo(t, srv, Receiver{Type: TypeWeCom, MaxPerMinute: 100}, "/send?key="+weComKey, m); err != nil {
				t.Fatal(err)
			}
			reqs := f.requests()
			if len(reqs) != tt.parts {
				t.Fatalf("%d messages, want %d", len(reqs), tt.parts)
			}
			var all string
			for _, r := range reqs {
				var body struct{ Markdown struct{ Content string } }
				if err := json.Unmarshal(r.body, &body); err != nil {
					t.Fatal(err)
				}
				c := body.Markdown.Content
				if len(c) > weComMaxBytes || !utf8.ValidString(c) {
					t.Errorf("message of %d bytes (limit %d), valid UTF-8 %v", len(c), weComMaxBytes, utf8.ValidString(c))
				}
				all += c
			}
			// Each alert shown is a "### " block that keeps its remedy.
			remedies := map[string][]string{}
			for _, a := range tt.alerts {
				remedies[a.entry.Title("zh")] = append(remedies[a.entry.Title("zh")], a.entry.Remedy("zh"))
			}
			shown := 0
			for _, block := range strings.Split(all, "### ")[1:] {
				shown++
				title := strings.SplitN(strings.TrimPrefix(block, `<font color="warning">【告警】</font>`), "\n", 2)[0]
				ok := false
				for _, r := range remedies[title] {
					ok = ok || strings.Contains(block, "**处理建议**："+r+"\n")
				}
				if !ok {
					t.Errorf("alert %q shown without its remedy:\n%s", title, block)
				}
			}
			if shown == 0 || !tt.omitted && shown != len(tt.alerts) {
				t.Errorf("%d of %d alerts shown", shown, len(tt.alerts))
			}
			if tt.omitted && !strings.Contains(all, fmt.Sprintf("另有 %d 条未列出", len(tt.alerts)-shown)) {
				t.Errorf("no count of the %d alerts left out:\n%s", len(tt.alerts)-shown, all)
			}
			if got := strings.Contains(all, "**日志示例**"); got != tt.hasSample {
				t.Errorf("sample shown: %v, want %v", got, tt.hasSample)
			}
			if tt.hasSample && !strings.Contains(all, "…`") {
				t.Errorf("sample not cut with …")
			}
		})
	}
}

// TestCutString checks the last-resort cut: at most n bytes, on a rune
// boundary, marked with "…".
// TestTemplateOverride replaces the "wecom" template with a user file whose
// text is too long: the message is cut to 4096 bytes at a rune boundary
// with "…", and a broken template is refused with its file and line.
func TestTemplateOverride(t *testing.T) {
	dir := t.TempDir()
	good := dir + "/wecom.tmpl"
	testutil.WriteFile(t, good, `{{define "wecom"}}告警 {{range .Alerts}}{{.Code}} {{.Remedy}} {{end}}`+strings.Repeat("长", 2000)+`{{end}}`)
	f := &fakeReceiver{}
	srv := httptest.NewServer(f)
	defer srv.Close()
	if _, _, _, err := deliverTo(t, srv, Receiver{Type: TypeWeCom, Template: good}, "/send?key="+weComKey, goldenMessage(t)); err != nil {
		t.Fatal(err)
	}
	var body struct{ Markdown struct{ Content string } }
	json.Unmarshal(f.requests()[0].body, &body)
	c := body.Markdown.Content
	if !strings.HasPrefix(c, "告警 FailedOperation.FlexdbResourceOverdue Flexdb 读写次数到期。建议客户升级套餐") || !strings.HasSuffix(c, "…") || len(c) > weComMaxBytes || !utf8.ValidString(c) {
		t.Errorf("%d bytes: %.200q…%q", len(c), c, c[max(0, len(c)-20):])
	}

	bad := dir + "/bad.tmpl"
	testutil.WriteFile(t, bad, "{{define \"wecom\"}}\n{{.NoSuchField}}{{end}}")
	err := Config{Receivers: []Receiver{{Name: "ops", Type: TypeWeCom, URL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + weComKey, Template: bad}}}.Validate()
	if err == nil || !strings.Contains(err.Error(), "alerts.receivers[0].template:") || !strings.Contains(err.Error(), "bad.tmpl:2") || !strings.Contains(err.Error(), "NoSuchField") {
		t.Errorf("bad template: %v", err)
	}
}

// TestHangingReceiver points one receiver at a server that never answers:
// each attempt ends at the receiver's timeout, the message is given up and
// counted failed, and Run still delivers to the other receiver meanwhile.
func TestHangingReceiver(t *testing.T) {
	hang := &fakeReceiver{reply: func(int, *http.Request) (int, string, bool) { return 0, "", true }}
	hangSrv := httptest.NewServer(hang)
	defer hangSrv.Close()
	ok := &fakeReceiver{}
	okSrv := httptest.NewServer(ok)
	defer okSrv.Close()

	metrics := NewMetrics(nil)
	cfg := Config{
		Policy: Policy{GroupWait: time.Millisecond},
		Receivers: []Receiver{
			{Name: "stuck", Type: TypeWebhook, URL: hangSrv.URL, Timeout: 50 * time.Millisecond,
				MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond, GiveUpAfter: 120 * time.Millisecond, QueueSize: 2},
			{Name: "fine", Type: TypeWebhook, URL: okSrv.URL},
		},
	}
	n, logs := newNotifier(t, cfg, nil, metrics)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- n.Run(ctx) }()

	start := time.Now()
	for i := range 50 {
		// Each its own group: many messages for the stuck queue.
		n.Observe(occ(t, idFlexdb, fmt.Sprintf("src%d", i), "x"))
		testutil.Eventually(t, 5*time.Second, func() bool { return len(ok.requests()) > i }, "fine receiver got %d messages", i+1)
	}
	if d := time.Since(start); d > 5*time.Second*testutil.TimeoutScale {
		t.Errorf("50 messages to the fine receiver took %s while the other hung", d)
	}
	if l := n.byName["stuck"].q.len(); l > 2 {
		t.Errorf("stuck queue holds %d, more than queue_size 2", l)
	}
	testutil.Eventually(t, 5*time.Second, func() bool { return counter(metrics, "failed", "stuck") >= 1 }, "stuck message counted failed")
	if counter(metrics, "dropped", "stuck") == 0 {
		t.Error("nothing dropped from the stuck queue")
	}
	if !strings.Contains(logs.String(), "timed out (attempt deadline)") {
		t.Errorf("log does not say attempts timed out:\n%s", logs)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel with a hanging receiver")
	}
	if got := counter(metrics, "sent", "fine"); got != 50 {
		t.Errorf("fine receiver: sent_total %v, want 50", got)
	}
}

// TestSignatures checks the robot signatures against vectors computed
// apart from this code (Python's hmac, following each vendor's
// documentation): DingTalk signs "<ms>\n<secret>" keyed with the secret,
// Feishu signs nothing keyed with "<s>\n<secret>".
func TestSignatures(t *testing.T) {
	if got, want := dingTalkSign(dingSecret, 1714979289000), "/N3ZNR6k6cmIvOvKZbjea39iw5IqbRCrYtWHR0hdOUM="; got != want {
		t.Errorf("DingTalk sign %q, want %q", got, want)
	}
	if got, want := feishuSign(feishuSecret, 1714979289), "vvrJPtGMVJVAfWqxMCanNWcVyQfuDXdLa9jPEY2nxs4="; got != want {
		t.Errorf("Feishu sign %q, want %q", got, want)
	}
}
