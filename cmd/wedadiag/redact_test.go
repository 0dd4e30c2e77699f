package main

import (
	"strings"
	"testing"
)

// Secrets in log lines never reach a scan report, in any format: samples
// and unmatched templates are redacted where they are made.
func TestScanRedactsSamples(t *testing.T) {
	log := strings.Join([]string{
		`{"level":"error","msg":"callDataSource failed Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl","code":"FailedOperation.FlexdbResourceOverdue","secretKey":"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE","phone":"13812345678"}`,
		`2024-06-21 08:00:03 ERROR order sync broke password=hunter2 user=zhang.san@example.com AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE`,
		`2024-06-21 08:00:04 ERROR robot send failed https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa 身份证 11010519491231002X`,
	}, "\n") + "\n"
	secrets := []string{"eyJhbGciOiJIUzI1NiJ9", "Gu5t9xGARNpq86cd", "13812345678", "hunter2", "zhang.san@", "AKIDz8krbs", "693a91f6", "11010519491231002X"}
	for _, format := range []string{"json", "text", "markdown"} {
		code, out, errs := runCLI(t, log, "scan", "--format", format, "-")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errs)
		}
		if !strings.Contains(out, "FlexdbResourceOverdue") {
			t.Errorf("%s: the diagnosis itself is gone:\n%s", format, out)
		}
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s: report shows %q", format, s)
			}
		}
	}
}
