package main

import (
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wedadiag/wedadiag/internal/testutil"
)

// customRules defines two custom entries: one found by its code alone (no
// rule of its own), one named by a rule's yield.
const customRules = `entries:
  - id: custom/order-sync-timeout
    code: OrderSync.Timeout
    message: "订单同步超时：{0}"
    title: 订单同步超时
    title_en: Order sync timed out
    remedy: 检查 ERP 接口是否可达，必要时调大超时。
    remedy_en: Check that the ERP endpoint is reachable; raise the timeout if needed.
    severity: critical
    docs: ["https://example.com/runbook/order-sync"]
  - id: custom/stock-negative
    title: %s
    remedy: 检查库存扣减逻辑
    severity: warning
rules:
  - id: stock-negative
    when: has("stock went negative")
    yield: {id: custom/stock-negative}
    examples:
      - {input: "ERROR stock went negative for sku 12", want: custom/stock-negative}
      - {input: "INFO stock ok", want: ""}
`

const customLog = `2024-06-21 10:00:00 ERROR sync failed {"code":"OrderSync.Timeout","message":"订单同步超时：erp"}
2024-06-21 10:00:01 ERROR stock went negative for sku 9
`

// TestE2ECustomEntry: entries defined in a rule file show, marked custom,
// in scan, in wedadiag_diagnoses_total, as an alert in a real
// Alertmanager, on the status page and its explain page; a reload picks up
// a changed entry.
func TestE2ECustomEntry(t *testing.T) {
	t.Parallel()
	hs := httptest.NewServer(&amWebhook{})
	t.Cleanup(hs.Close)
	am := testutil.StartAlertmanager(t, hs.URL)
	dir := t.TempDir()
	rulesFile := filepath.Join(dir, "my-rules.yaml")
	testutil.WriteFile(t, rulesFile, fmt.Sprintf(customRules, "库存为负"))
	testutil.WriteFile(t, filepath.Join(dir, "app.log.sample"), customLog)

	// scan
	s := e2eScan(t, "zh", "--rules", rulesFile, filepath.Join(dir, "app.log.sample"))
	got := map[string]string{}
	for _, d := range s.Diagnoses {
		got[d.ID] = d.Source + " " + d.Severity + " " + d.Title
	}
	for id, want := range map[string]string{
		"custom/order-sync-timeout": "custom critical 订单同步超时",
		"custom/stock-negative":     "custom warning 库存为负",
	} {
		if got[id] != want {
			t.Errorf("scan: %s = %q, want %q (all: %v)", id, got[id], want, got)
		}
	}

	// run
	glob := filepath.Join(dir, "logs", "*.log")
	cfg := fmt.Sprintf(`sources:
  - name: app
    paths: [%q]
rules: [%q]
alerts:
  policy: {group_wait: 100ms}
  receivers:
    - {name: am, type: alertmanager, url: %q, resend_interval: 1s}
`, glob, rulesFile, am.URL)
	testutil.WriteFile(t, filepath.Join(dir, "wedadiag.yaml"), cfg)
	d := startE2E(t, dir, nil, "--config", filepath.Join(dir, "wedadiag.yaml"), "--state-dir", filepath.Join(dir, "state"), "--web.enable-lifecycle")
	testutil.WriteFile(t, filepath.Join(dir, "logs", "app.log"), customLog)

	var sc *e2eScrape
	testutil.Eventually(t, 30*time.Second, func() bool {
		var err error
		sc, err = d.scrape()
		return err == nil && sc.diagnoses("app")["custom/stock-negative"] == 1 && sc.diagnoses("app")["custom/order-sync-timeout"] == 1
	}, "custom diagnoses never counted")
	if n := sc.sum("wedadiag_diagnoses_total", map[string]string{"id": "custom/order-sync-timeout", "code": "OrderSync.Timeout", "domain": "custom", "severity": "critical", "source": "app"}); n != 1 {
		t.Errorf("wedadiag_diagnoses_total for the custom code = %v, want 1 with its code, domain and severity", n)
	}

	var alert testutil.AMAlert
	testutil.Eventually(t, 30*time.Second, func() bool {
		for _, a := range am.Alerts(t) {
			if a.Labels["id"] == "custom/order-sync-timeout" {
				alert = a
				return true
			}
		}
		return false
	}, "no alert for the custom entry in Alertmanager")
	if alert.Labels["severity"] != "critical" || alert.Labels["code"] != "OrderSync.Timeout" ||
		alert.Annotations["remedy"] != "检查 ERP 接口是否可达，必要时调大超时。" || !strings.Contains(alert.Annotations["summary"], "订单同步超时") {
		t.Errorf("custom alert: labels %v, annotations %v", alert.Labels, alert.Annotations)
	}

	page := d.mustGet("/", 200)
	for _, want := range []string{"订单同步超时", "库存为负"} {
		if !strings.Contains(page, want) {
			t.Errorf("status page lacks %q", want)
		}
	}
	if body := d.mustGet("/explain/custom/stock-negative", 200); !strings.Contains(body, "检查库存扣减逻辑") {
		t.Errorf("explain page of the custom entry lacks its remedy")
	}

	// A changed entry is picked up by a reload.
	testutil.WriteFile(t, rulesFile, fmt.Sprintf(customRules, "库存扣成负数"))
	if code, body := d.post("/-/reload"); code != 200 {
		t.Fatalf("reload: %d %s", code, body)
	}
	if body := d.mustGet("/explain/custom/stock-negative", 200); !strings.Contains(body, "库存扣成负数") {
		t.Errorf("explain page after reload does not show the changed title")
	}
	if code, _ := d.stop(syscall.SIGTERM, stopLimit); code != 0 {
		t.Errorf("exit %d after SIGTERM", code)
	}
}
