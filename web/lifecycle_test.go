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
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

func reloadHandler(enable bool, calls *atomic.Int32) http.Handler {
	return Handler(Options{
		Reload:          func(context.Context) error { calls.Add(1); return nil },
		EnableLifecycle: enable,
	})
}

// POST /-/reload is off unless enabled, and says how to enable it.
func TestLifecycleOffByDefault(t *testing.T) {
	var calls atomic.Int32
	h := reloadHandler(false, &calls)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/-/reload", nil))
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "--web.enable-lifecycle") {
		t.Errorf("lifecycle off: %d %q", rec.Code, rec.Body.String())
	}
	if calls.Load() != 0 {
		t.Error("reload ran while the lifecycle endpoints are off")
	}
}

// A cross-origin browser POST (a page elsewhere sending text/plain) and a
// GET never reload; a same-origin or non-browser POST does.
func TestLifecycleRefusesCrossOrigin(t *testing.T) {
	var calls atomic.Int32
	h := reloadHandler(true, &calls)
	for _, tc := range []struct {
		name    string
		method  string
		headers map[string]string
		code    int
	}{
		{"cross-site fetch", "POST", map[string]string{"Sec-Fetch-Site": "cross-site", "Content-Type": "text/plain"}, 403},
		{"foreign origin", "POST", map[string]string{"Origin": "http://evil.example", "Content-Type": "text/plain"}, 403},
		{"get", "GET", nil, 405},
		{"same origin", "POST", map[string]string{"Sec-Fetch-Site": "same-origin"}, 200},
		{"curl", "POST", nil, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := calls.Load()
			req := httptest.NewRequest(tc.method, "http://127.0.0.1:9894/-/reload", strings.NewReader("x"))
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.code {
				t.Errorf("%d, want %d (%q)", rec.Code, tc.code, rec.Body.String())
			}
			if ran := calls.Load() > before; ran != (tc.code == 200) {
				t.Errorf("reload ran: %v", ran)
			}
		})
	}
}

// With basic auth in the web config, /healthz and /readyz answer without
// credentials when ProbesWithoutAuth is set (the default the daemon uses),
// every other path still asks; without it the probes ask too.
func TestProbesWithoutAuth(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "web.yml")
	if err := os.WriteFile(cfg, []byte("basic_auth_users:\n  ops: "+string(hash)+"\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, exempt := range []bool{true, false} {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		h := testHandler(t, nil, nil)
		go func() {
			done <- Serve(ctx, l, h, ServeConfig{WebConfigFile: cfg, Grace: time.Second, ProbesWithoutAuth: exempt}, slog.New(slog.DiscardHandler))
		}()
		do := func(path, user, pass string) (int, http.Header) {
			req, _ := http.NewRequest("GET", "http://"+l.Addr().String()+path, nil)
			if user != "" {
				req.SetBasicAuth(user, pass)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return resp.StatusCode, resp.Header
		}
		probe := http.StatusUnauthorized
		if exempt {
			probe = http.StatusOK
		}
		for _, p := range []string{"/healthz", "/readyz"} {
			if code, _ := do(p, "", ""); code != probe {
				t.Errorf("exempt=%v %s without credentials: %d, want %d", exempt, p, code, probe)
			}
		}
		for _, c := range []struct {
			path, user, pass string
			code             int
		}{
			{"/metrics", "", "", 401}, {"/metrics", "ops", "wrong", 401}, {"/metrics", "nobody", "s3cret", 401},
			{"/metrics", "ops", "s3cret", 200}, {"/", "", "", 401}, {"/api/v1/diagnoses", "ops", "s3cret", 200},
		} {
			code, hdr := do(c.path, c.user, c.pass)
			if code != c.code {
				t.Errorf("exempt=%v %s as %q: %d, want %d", exempt, c.path, c.user, code, c.code)
			}
			// The rest of the web config (headers) still applies.
			if hdr.Get("X-Frame-Options") != "deny" {
				t.Errorf("exempt=%v: header from the web config lost", exempt)
			}
		}
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}
}
