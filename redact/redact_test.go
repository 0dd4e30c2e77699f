package redact

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRedact(t *testing.T) {
	r := Default()
	cases := []struct {
		name, in, want string
		gone           []string // must not be in the output
	}{
		{"secret id", `using AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request`,
			`using [REDACTED:secret_id]/2019-02-25/cvm/tc3_request`, []string{"AKIDz8"}},
		{"credential", `Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=host`,
			`Credential=[REDACTED], SignedHeaders=host`, []string{"AKIDz8"}},
		{"secret key json", `{"SecretId":"AKIDabcdefghijkl1234","SecretKey":"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"}`,
			`{"SecretId":"[REDACTED]","SecretKey":"[REDACTED]"}`, []string{"Gu5t9", "AKIDab"}},
		{"secret key logfmt", `level=error secret_key=Gu5t9xGARNpq86cd98joQYCN3EXAMPLE env=prod`,
			`level=error secret_key=[REDACTED] env=prod`, nil},
		{"js object", `{ secretKey: 'Gu5t9xGARNpq86cd', region: 'ap-shanghai' }`,
			`{ secretKey: '[REDACTED]', region: 'ap-shanghai' }`, nil},
		{"escaped json", `"body":"{\"password\":\"hunter2\",\"user\":\"bob\"}"`,
			`"body":"{\"password\":\"[REDACTED]\",\"user\":\"bob\"}"`, []string{"hunter2"}},
		{"bearer header", `Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig-part_x`,
			`Authorization: [REDACTED]`, []string{"eyJhbG"}},
		{"bearer json", `{"headers":{"Authorization":"Bearer abcdefghijklmnop","host":"x"}}`,
			`{"headers":{"Authorization":"[REDACTED]","host":"x"}}`, []string{"abcdefghij"}},
		{"bare bearer", `calling api with token Bearer abcdefghijklmnop12 failed`,
			`calling api with token Bearer [REDACTED] failed`, nil},
		{"tc3 auth", `authorization="TC3-HMAC-SHA256 Credential=AKIDx/2024/tcb/tc3_request, SignedHeaders=host, Signature=abc123" rc=1`,
			`authorization="[REDACTED]" rc=1`, []string{"abc123"}},
		{"password kv", `login failed password=hunter2 user=bob`, `login failed password=[REDACTED] user=bob`, nil},
		{"passwd colon", `passwd: s3cr3t!`, `passwd: [REDACTED]`, nil},
		{"token query", `GET /api?access_token=abc.def-123&x=1 HTTP/1.1`, `GET /api?access_token=[REDACTED]&x=1 HTTP/1.1`, nil},
		{"wecom robot", `POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa failed`,
			`POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=[REDACTED] failed`, []string{"693a91f6"}},
		{"cookie", `Cookie: sid=abc123; uid=42`, `Cookie: [REDACTED]`, []string{"abc123"}},
		{"set-cookie json", `{"set-cookie":"sid=abc123; Path=/"}`, `{"set-cookie":"[REDACTED]"}`, nil},
		{"jwt bare", `jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl end`, `jwt [REDACTED:jwt] end`, nil},
		{"mobile", `用户13812345678下单失败`, `用户138****5678下单失败`, []string{"13812345678"}},
		{"mobile +86", `phone=+8613812345678`, `phone=+86138****5678`, nil},
		{"id number", `身份证号：11010519491231002X 校验失败`, `身份证号：110***********002X 校验失败`, []string{"11010519491231002X"}},
		{"email", `send to zhang.san@example.com.cn failed`, `send to z***@example.com.cn failed`, []string{"zhang.san@"}},
		{"private key", "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\nnext",
			"key:\n[REDACTED:private_key]\nnext", []string{"MIIEow"}},
		// Near misses stay as they are.
		{"token count", `tokenCount=5 tokens_used: 7`, `tokenCount=5 tokens_used: 7`, nil},
		{"order id 11 digits inside", `order_id=A13812345678 req=13812345678901`, `order_id=A13812345678 req=13812345678901`, nil},
		{"18 digits not an id", `traceId 123456789012345678`, `traceId 123456789012345678`, nil},
		{"timestamp ms", `ts=1718928003554`, `ts=1718928003554`, nil},
		{"error code", `errCode: -504003, errMsg: "functions execute timeout"`, `errCode: -504003, errMsg: "functions execute timeout"`, nil},
		{"empty password", `password=""`, `password=""`, nil},
		{"weda code", `FailedOperation.FlexdbResourceOverdue 资源已欠费`, `FailedOperation.FlexdbResourceOverdue 资源已欠费`, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := r.Redact(c.in)
			if got != c.want {
				t.Errorf("Redact(%q)\n got  %q\n want %q", c.in, got, c.want)
			}
			for _, g := range c.gone {
				if strings.Contains(got, g) {
					t.Errorf("output still holds %q: %q", g, got)
				}
			}
			if again := r.Redact(got); again != got {
				t.Errorf("not idempotent: %q → %q", got, again)
			}
		})
	}
}

func TestDisabledStillCuts(t *testing.T) {
	r, err := New(Options{Disabled: true, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Sample([]byte("password=hunter2 and more")); got != "passwor…" {
		t.Errorf("got %q", got)
	}
}

func TestExtraPatterns(t *testing.T) {
	r, err := New(Options{Extra: []Pattern{
		{Name: "openid", Regexp: `o[A-Za-z0-9_-]{27}`},
		{Name: "order", Regexp: `(order=)\d+`, Replace: "${1}<n>"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	got := r.Redact("openid=oABCDEFGHIJKLMNOPQRSTUVWXYZ0 order=123")
	if want := "openid=[REDACTED:openid] order=<n>"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
	_, err = New(Options{Extra: []Pattern{{Name: "bad", Regexp: "("}, {Name: "empty"}}})
	if err == nil || !strings.Contains(err.Error(), `pattern 0 ("bad")`) || !strings.Contains(err.Error(), `pattern 1 ("empty"): regexp is empty`) {
		t.Errorf("bad patterns: %v", err)
	}
}

func TestSampleBounds(t *testing.T) {
	r := Default()
	big := strings.Repeat("数据源", 400000) + " password=hunter2"
	s := r.Sample([]byte(big))
	if len(s) > DefaultLimit || !utf8.ValidString(s) || !strings.HasSuffix(s, "…") {
		t.Errorf("sample of %d bytes, valid %v, ends %q", len(s), utf8.ValidString(s), s[len(s)-3:])
	}
	// A secret near the start of a long line is masked before the cut.
	s = r.Sample([]byte("password=hunter2 " + strings.Repeat("x", 10000)))
	if strings.Contains(s, "hunter2") || len(s) > DefaultLimit {
		t.Errorf("sample %q", s[:40])
	}
	// Invalid UTF-8 becomes U+FFFD, NUL stays visible to the JSON encoder.
	s = r.Sample([]byte("bad \xff\xfe byte \x00 end"))
	if !utf8.ValidString(s) {
		t.Errorf("invalid UTF-8 out: %q", s)
	}
}

func TestResidentIDCheck(t *testing.T) {
	if !isResidentID("11010519491231002X") {
		t.Error("valid ID refused")
	}
	if isResidentID("110105194912310021") {
		t.Error("wrong check digit accepted")
	}
	if isResidentID("110105194913310021") {
		t.Error("month 13 accepted")
	}
}

func BenchmarkSample(b *testing.B) {
	r := Default()
	line := []byte(`{"level":"error","time":"2024-06-21T08:00:03.554+08:00","msg":"callDataSource failed","code":"FailedOperation.FlexdbResourceOverdue","user":"13812345678","headers":{"Authorization":"Bearer abcdefghijklmnop"},"requestId":"9f1c0a0e-5d2b-4c71-8d3a-2a4f7c2b1e11"}`)
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = r.Sample(line)
	}
}

func BenchmarkSamplePlain(b *testing.B) {
	r := Default()
	line := []byte(`2024-06-21 08:00:03.554 ERROR [order-sync] callDataSource failed: FailedOperation.FlexdbResourceOverdue 资源已欠费，请续费 requestId=9f1c0a0e-5d2b-4c71-8d3a-2a4f7c2b1e11`)
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = r.Sample(line)
	}
}
