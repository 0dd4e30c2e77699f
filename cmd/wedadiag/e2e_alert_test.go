package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/internal/testutil"
)

// amWebhook records the payloads Alertmanager's webhook receiver posts.
type amWebhook struct {
	mu    sync.Mutex
	posts []amPost
}

type amPost struct {
	Status string `json:"status"`
	Alerts []struct {
		Status      string            `json:"status"`
		Labels      map[string]string `json:"labels"`
		Annotations map[string]string `json:"annotations"`
	} `json:"alerts"`
}

func (h *amWebhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var p amPost
	if json.Unmarshal(body, &p) != nil {
		http.Error(w, "not a webhook payload", http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	h.posts = append(h.posts, p)
	h.mu.Unlock()
}

// got reports whether a post with that status carried the entry id.
func (h *amWebhook) got(status, id string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, p := range h.posts {
		for _, a := range p.Alerts {
			if a.Status == status && a.Labels["id"] == id {
				return true
			}
		}
	}
	return false
}

// TestE2EAlertmanager: error lines written to a followed file become an
// alert in a real Alertmanager, with the FAQ's remedy as an annotation;
// Alertmanager's webhook receives it; after resolve_after without new
// occurrences it is resolved.
func TestE2EAlertmanager(t *testing.T) {
	t.Parallel()
	hook := &amWebhook{}
	hs := httptest.NewServer(hook)
	t.Cleanup(hs.Close)
	am := testutil.StartAlertmanager(t, hs.URL)

	dir := t.TempDir()
	glob := filepath.Join(dir, "logs", "*.log")
	cfg := fmt.Sprintf(`sources:
  - name: app
    paths: [%q]
alerts:
  external_url: "http://wedadiag.test:9894/"
  policy: {group_wait: 100ms, resolve_after: 3s}
  receivers:
    - {name: am, type: alertmanager, url: %q, resend_interval: 1s}
`, glob, am.URL)
	testutil.WriteFile(t, filepath.Join(dir, "wedadiag.yaml"), cfg)
	d := startE2E(t, dir, nil, "--config", filepath.Join(dir, "wedadiag.yaml"), "--state-dir", filepath.Join(dir, "state"))

	const id = "datasource/flexdb-resource-overdue"
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	entry := cat.ByID(id)
	line := `{"level":"error","msg":"callDataSource failed","error":{"Response":{"Error":{"Code":"FailedOperation.FlexdbResourceOverdue","Message":"数据库资源到期或者数据库读写次数超过套餐包限制。请升级套餐读写次数，或者等待第二天重置读写次数。如有问题，请在云数据库平台核对资源"},"RequestId":"8d2c41f0"}}}` + "\n"
	testutil.WriteFile(t, filepath.Join(dir, "logs", "app.log"), line)

	// The alert reaches Alertmanager with the labels and annotations of
	// DESIGN.md, the remedy being the FAQ's 操作建议 verbatim.
	var alert testutil.AMAlert
	testutil.Eventually(t, 30*time.Second, func() bool {
		for _, a := range am.Alerts(t) {
			if a.Labels["id"] == id {
				alert = a
				return true
			}
		}
		return false
	}, "no alert for %s in Alertmanager", id)
	wantLabels := map[string]string{"alertname": "WeDaDiagnosis", "id": id, "code": entry.Code,
		"domain": entry.Domain, "severity": string(entry.Severity), "source": "app"}
	for k, v := range wantLabels {
		if alert.Labels[k] != v {
			t.Errorf("label %s = %q, want %q (labels %v)", k, alert.Labels[k], v, alert.Labels)
		}
	}
	if got := alert.Annotations["remedy"]; got != entry.Advice {
		t.Errorf("remedy annotation %q, want the FAQ's %q", got, entry.Advice)
	}
	if !strings.Contains(alert.Annotations["summary"], "数据库资源到期") || alert.Annotations["description"] == "" {
		t.Errorf("annotations: %v", alert.Annotations)
	}
	if !strings.HasPrefix(alert.GeneratorURL, "http://wedadiag.test:9894/") {
		t.Errorf("generatorURL %q does not point at the status page", alert.GeneratorURL)
	}

	// Alertmanager's own webhook gets it firing, then resolved once no new
	// occurrence came for resolve_after.
	testutil.Eventually(t, 30*time.Second, func() bool { return hook.got("firing", id) }, "webhook never got the firing alert")
	testutil.Eventually(t, 60*time.Second, func() bool { return hook.got("resolved", id) }, "webhook never got the resolution")
	testutil.Eventually(t, 30*time.Second, func() bool {
		for _, a := range am.Alerts(t) {
			if a.Labels["id"] == id && a.Status.State == "active" {
				return false
			}
		}
		return true
	}, "the alert is still active in Alertmanager after its resolution")

	s := d.mustScrape()
	if n := s.sum("wedadiag_alerts_sent_total", map[string]string{"receiver": "am"}); n < 2 {
		t.Errorf("wedadiag_alerts_sent_total{receiver=am} = %v, want the firing post and the resolution", n)
	}
	if code, _ := d.stop(syscall.SIGTERM, stopLimit); code != 0 {
		t.Errorf("exit %d after SIGTERM", code)
	}
}
