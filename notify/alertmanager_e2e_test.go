package notify

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wedadiag/wedadiag/internal/testutil"
)

// TestAlertmanagerEndToEnd drives the Notifier with occurrences against a
// real Alertmanager whose receiver is a local webhook: the alert appears in
// Alertmanager's /api/v2/alerts with the FAQ's remedy, Alertmanager's
// webhook receives it, and after resolve_after it is resolved there too.
func TestAlertmanagerEndToEnd(t *testing.T) {
	got := make(chan WebhookMessage, 64)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m WebhookMessage
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			t.Errorf("Alertmanager's webhook payload: %v", err)
		}
		select {
		case got <- m:
		default:
		}
	}))
	defer hook.Close()
	am := testutil.StartAlertmanager(t, hook.URL)

	metrics := NewMetrics(nil)
	cfg := Config{
		// critical entries fire on their first occurrence whatever the
		// threshold.
		Policy:      Policy{Threshold: 5, Window: time.Minute, GroupWait: 50 * time.Millisecond, RepeatInterval: time.Hour, ResolveAfter: 2 * time.Second},
		Receivers:   []Receiver{{Name: "am", Type: TypeAlertmanager, URL: am.URL, ResendInterval: time.Second}},
		ExternalURL: "http://wedadiag.test:9894/",
	}
	n, _ := newNotifier(t, cfg, nil, metrics)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- n.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()

	e := entry(t, idFlexdb)
	sample := testMessage(testCatalog(t), time.Now()).alerts[0].sample
	n.Observe(occ(t, idFlexdb, "app", sample))

	// In Alertmanager's API, with the remedy.
	var alert testutil.AMAlert
	testutil.Eventually(t, 15*time.Second, func() bool {
		for _, a := range am.Alerts(t) {
			if a.Labels["id"] == idFlexdb {
				alert = a
				return true
			}
		}
		return false
	}, "alert %s never appeared in Alertmanager's /api/v2/alerts", idFlexdb)
	wantLabels := map[string]string{"alertname": AlertName, "id": idFlexdb, "code": "FailedOperation.FlexdbResourceOverdue",
		"domain": "datasource", "severity": "critical", "source": "app"}
	for k, v := range wantLabels {
		if alert.Labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, alert.Labels[k], v)
		}
	}
	if alert.Annotations["remedy"] != e.Remedy("zh") || !strings.Contains(alert.Annotations["summary"], "升级套餐读写次数，") ||
		!strings.Contains(alert.Annotations["description"], "RequestId") || alert.GeneratorURL != "http://wedadiag.test:9894/#"+idFlexdb {
		t.Errorf("annotations %q, generatorURL %q", alert.Annotations, alert.GeneratorURL)
	}
	if alert.Status.State != "active" {
		t.Errorf("state %q", alert.Status.State)
	}

	// Alertmanager's webhook gets it, firing then resolved.
	wait := func(status string) WebhookMessage {
		t.Helper()
		deadline := time.After(20 * time.Second * testutil.TimeoutScale)
		for {
			select {
			case m := <-got:
				if m.Status == status && len(m.Alerts) == 1 && m.Alerts[0].Labels["id"] == idFlexdb {
					return m
				}
			case <-deadline:
				t.Fatalf("Alertmanager's webhook got no %s message for %s", status, idFlexdb)
			}
		}
	}
	firing := wait("firing")
	if firing.Alerts[0].Annotations["remedy"] != e.Remedy("zh") {
		t.Errorf("webhook annotations %q", firing.Alerts[0].Annotations)
	}
	resolved := wait("resolved")
	if resolved.Alerts[0].EndsAt.IsZero() {
		t.Error("resolved without endsAt")
	}
	testutil.Eventually(t, 10*time.Second, func() bool {
		for _, a := range am.Alerts(t) {
			if a.Labels["id"] == idFlexdb {
				return false
			}
		}
		return true
	}, "alert %s still active in Alertmanager after resolving", idFlexdb)
	if counter(metrics, "sent", "am") < 2 || counter(metrics, "failed", "am") != 0 {
		t.Errorf("sent %v, failed %v", counter(metrics, "sent", "am"), counter(metrics, "failed", "am"))
	}
}
