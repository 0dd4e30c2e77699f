package web

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/crypto/bcrypt"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
)

func testHandler(t *testing.T, ready error, reload error) http.Handler {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	agg := diagnose.NewAggregator(cat, diagnose.Options{Window: time.Hour, Latest: true})
	agg.Observe(diagnose.Occurrence{Entry: cat.ByID("datasource/flexdb-resource-overdue"), Source: "app",
		Time: time.Now(), Sample: `{"Response":{"Error":{"Code":"FailedOperation.FlexdbResourceOverdue"}}}`})
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "wedadiag_test_total", Help: "a test counter"})
	reg.MustRegister(c)
	return Handler(Options{
		Gatherer: reg, Catalog: cat, Diagnoses: agg.Diagnoses, Unmatched: diagnose.NewUnknowns().Top,
		Ready:  func() error { return ready },
		Reload: func(context.Context) error { return reload },
		Lang:   func() string { return "zh" }, Version: "test",
		EnableLifecycle: true,
	})
}

func get(t *testing.T, h http.Handler, method, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec.Code, rec.Body.String()
}

func TestRoutes(t *testing.T) {
	h := testHandler(t, nil, nil)
	for _, tc := range []struct {
		method, path string
		code         int
		has          string
	}{
		{"GET", "/metrics", 200, "wedadiag_test_total 0"},
		{"GET", "/healthz", 200, "ok"},
		{"GET", "/readyz", 200, "ready"},
		{"GET", "/api/v1/diagnoses", 200, `"id": "datasource/flexdb-resource-overdue"`},
		{"GET", "/api/v1/diagnoses?lang=en", 200, `"title": "Flexdb quota or resource expired"`},
		{"GET", "/", 200, "Flexdb 读写次数到期。建议客户升级套餐"},
		{"GET", "/?lang=en", 200, "The Flexdb read/write quota has run out."},
		{"GET", "/explain/datasource/flexdb-resource-overdue", 200, "数据库资源到期"},
		{"GET", "/explain/faq/cdn-traffic-exhausted-app-unreachable?lang=en", 200, "Upgrade the CDN traffic package"},
		{"GET", "/explain/no/such-id", 404, "no/such-id"},
		{"POST", "/-/reload", 200, "reloaded"},
		{"GET", "/-/reload", 405, ""},
		{"GET", "/nope", 404, ""},
	} {
		code, body := get(t, h, tc.method, tc.path)
		if code != tc.code || !strings.Contains(body, tc.has) {
			t.Errorf("%s %s: %d, want %d with %q\n%.300s", tc.method, tc.path, code, tc.code, tc.has, body)
		}
	}
}

func TestReadyAndReloadFailures(t *testing.T) {
	h := testHandler(t, errStr("sources not opened yet"), errStr(`rules.yaml:3:9: unknown name "Evnt"; /etc/wedadiag/config.yaml:7:3: password "hunter2" is not a duration`))
	if code, body := get(t, h, "GET", "/readyz"); code != 503 || !strings.Contains(body, "sources not opened yet") {
		t.Errorf("/readyz: %d %q", code, body)
	}
	code, body := get(t, h, "POST", "/-/reload")
	if code != 500 || !strings.Contains(body, "rules.yaml:3:9") || !strings.Contains(body, "/etc/wedadiag/config.yaml:7:3") {
		t.Errorf("reload: %d %q", code, body)
	}
	// The answer names positions, never the files' content.
	for _, leak := range []string{"hunter2", "Evnt"} {
		if strings.Contains(body, leak) {
			t.Errorf("reload answer quotes content %q: %q", leak, body)
		}
	}
}

type errStr string

func (e errStr) Error() string { return string(e) }

// web.config_file: exporter-toolkit's basic auth guards every route.
func TestServeWithBasicAuth(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "web.yml")
	if err := os.WriteFile(cfg, []byte("basic_auth_users:\n  ops: "+string(hash)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := ValidateConfig(cfg); err != nil {
		t.Fatalf("ValidateConfig: %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	h := testHandler(t, nil, nil)
	go func() {
		done <- Serve(ctx, l, h, ServeConfig{WebConfigFile: cfg, Grace: time.Second}, slog.New(slog.DiscardHandler))
	}()
	url := "http://" + l.Addr().String() + "/metrics"
	do := func(user, pass string) int {
		req, _ := http.NewRequest("GET", url, nil)
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := do("", ""); code != http.StatusUnauthorized {
		t.Errorf("no credentials: %d, want 401", code)
	}
	if code := do("ops", "wrong"); code != http.StatusUnauthorized {
		t.Errorf("wrong password: %d, want 401", code)
	}
	if code := do("ops", "s3cret"); code != http.StatusOK {
		t.Errorf("right password: %d, want 200", code)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.yml")
	os.WriteFile(bad, []byte("basic_auth_users: [\n"), 0o600)
	if err := ValidateConfig(bad); err == nil {
		t.Error("a broken web config validated")
	}
}

// TestFakeHash: the hash an unknown user's password is compared against is
// a real bcrypt hash at MinCost, so the comparison costs what a known
// user's does.
func TestFakeHash(t *testing.T) {
	if err := bcrypt.CompareHashAndPassword([]byte(fakeHash), []byte("not a password")); err != nil {
		t.Fatal(err)
	}
	if cost, err := bcrypt.Cost([]byte(fakeHash)); err != nil || cost != bcrypt.MinCost {
		t.Errorf("cost %d, %v; want %d", cost, err, bcrypt.MinCost)
	}
}
