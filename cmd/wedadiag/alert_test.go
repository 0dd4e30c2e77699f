package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/wedadiag/wedadiag/internal/testutil"
	"github.com/wedadiag/wedadiag/notify"
)

// TestAlertTest sends the sample alert through a configuration with a
// webhook that takes it and a WeCom robot that refuses it.
func TestAlertTest(t *testing.T) {
	var mu sync.Mutex
	var hookGot []notify.WebhookMessage
	var robotCalls int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		switch r.URL.Path {
		case "/hook":
			var m notify.WebhookMessage
			if err := json.Unmarshal(body, &m); err != nil {
				t.Errorf("webhook body: %v", err)
			}
			hookGot = append(hookGot, m)
		case "/cgi-bin/webhook/send":
			robotCalls++
			io.WriteString(w, `{"errcode":93000,"errmsg":"invalid webhook url"}`)
		}
	}))
	defer srv.Close()
	const key = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
	cfg := filepath.Join(t.TempDir(), "wedadiag.yaml")
	testutil.WriteFile(t, cfg, `alerts:
  receivers:
    - {name: hook, type: webhook, url: "`+srv.URL+`/hook", headers: {Authorization: "Bearer t0ken-s3cret"}}
    - {name: ops, type: wecom, url: "`+srv.URL+`/cgi-bin/webhook/send?key=`+key+`"}
`)

	code, out, errs := runRules(t, "alert", "test", "--config", cfg, "--receiver", "hook")
	if code != exitOK || out != "hook (webhook): sent\n" || errs != "" {
		t.Fatalf("--receiver hook: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	mu.Lock()
	if len(hookGot) != 1 || hookGot[0].Status != "firing" || len(hookGot[0].Alerts) != 1 ||
		hookGot[0].Alerts[0].Labels["source"] != notify.TestSource || !strings.Contains(hookGot[0].Alerts[0].Annotations["summary"], "[测试]") {
		t.Errorf("webhook got %+v", hookGot)
	}
	mu.Unlock()

	code, out, errs = runRules(t, "alert", "test", "--config", cfg)
	if code != exitFail || out != "hook (webhook): sent\n" || !strings.HasPrefix(errs, "ops (wecom): failed: ") || !strings.Contains(errs, "errcode 93000") {
		t.Errorf("all receivers: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	if strings.Contains(errs+out, key) || strings.Contains(errs+out, "t0ken-s3cret") {
		t.Errorf("secret printed:\n%s%s", out, errs)
	}
	mu.Lock()
	if robotCalls != 1 {
		t.Errorf("robot called %d times; an errcode is not retried", robotCalls)
	}
	mu.Unlock()

	for _, tt := range []struct {
		name string
		argv []string
		want string
	}{
		{"unknown receiver", []string{"alert", "test", "--config", cfg, "--receiver", "nope"}, `no receiver named "nope" in alerts.receivers (configured: [hook ops])`},
		{"no receivers", []string{"alert", "test"}, "no alert receivers in the embedded defaults"},
		{"arguments", []string{"alert", "test", "extra"}, "unknown command \"extra\""},
		{"no subcommand", []string{"alert"}, "wedadiag alert needs a command: test"},
	} {
		code, _, errs := runRules(t, tt.argv...)
		if code != exitUsage || !strings.Contains(errs, tt.want) {
			t.Errorf("%s: exit %d, stderr %q, want 2 and %q", tt.name, code, errs, tt.want)
		}
	}
}
