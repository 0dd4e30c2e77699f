package redact

import (
	"strings"
	"testing"
)

// slowRedact is Redact as it was before the gate table: each step gated
// on its own words, one scan of the text per word.
func slowRedact(s string) string {
	for _, b := range builtins() {
		if b.gate(s) {
			s = b.apply(s)
		}
	}
	return maskNumbers(s)
}

// gateCases hold each gate word in several cases and places, and texts
// where a mask makes or removes a later step's word.
var gateCases = []string{
	"", "@", "a@", "x@b.cn", "k", "ke", "key", "KEY=", "Key", "xkey", "eyJ", "EYJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig",
	"AKIDabcdefghijklmnop", "akid", "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----",
	"Authorization: Bearer abcdefghijkl", "cookie: a=b; token=c", "X-Tc-Token: zzz", "basic QWxhZGRpbjpvcGVu",
	`{"password":"x","Signature":"y","credentials":"z"}`, "https://h/x?key=abc&sign=def&ticket=t",
	"passwd pwd PWD Pass secret= SECRET_KEY=1", "errCode: 500 user a.b@c.com 13812345678",
	"sig=1 sig sign signature", "[REDACTED:private_key] key", "private key=abc", "token token= tok",
	"数据源 token=中文 @邮件", "\xff\xfekey=\x00", "c", "co", "cookie", "x-tc-token", "bearer", "credential",
}

func TestGatesMatchEachWord(t *testing.T) {
	g, ok := builtinGates()
	if !ok {
		t.Fatal("the built-in gate words do not fit the table")
	}
	for _, s := range gateCases {
		for _, v := range []string{s, strings.ToUpper(s), "  " + s + "  ", s + s} {
			open := g.scan(v)
			for k, b := range builtins() {
				if want := b.gate(v); want != (open&(1<<k) != 0) {
					t.Errorf("%q: step %s gate %v, table says %v", v, b.name, want, !want)
				}
			}
			if got, want := Default().Redact(v), slowRedact(v); got != want {
				t.Errorf("%q: Redact %q, step by step %q", v, got, want)
			}
		}
	}
}

// FuzzGates checks that Redact with the gate table gives what gating each
// step on its own words gives.
func FuzzGates(f *testing.F) {
	for _, s := range gateCases {
		f.Add(s)
	}
	r := Default()
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := r.Redact(s), slowRedact(s); got != want {
			t.Fatalf("%q: Redact %q, step by step %q", s, got, want)
		}
	})
}

func BenchmarkRedactErrorLine(b *testing.B) {
	line := `2026-12-02T13:08:10.685Z ERROR [app-7f3c] request 9f1e2d3c failed: {"code":"DATABASE_PERMISSION_DENIED","message":"数据库权限不足","requestId":"a1b2c3d4-e5f6","env":"prod-1234","latency_ms":183}`
	r := Default()
	b.ReportAllocs()
	for b.Loop() {
		r.Sample([]byte(line))
	}
}
