package testutil

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// AlertmanagerBinaries are the names tried, in order, for a real
// Alertmanager: upstream's and Debian's (package prometheus-alertmanager).
var AlertmanagerBinaries = []string{"alertmanager", "prometheus-alertmanager"}

// Alertmanager is a real Alertmanager process started for a test.
type Alertmanager struct {
	// URL is its base URL, http://127.0.0.1:PORT.
	URL string
	out *SyncBuffer
}

// AMAlert is an alert as Alertmanager's GET /api/v2/alerts returns it.
type AMAlert struct {
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     time.Time         `json:"startsAt"`
	EndsAt       time.Time         `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL"`
	Status       struct {
		State string `json:"state"`
	} `json:"status"`
}

// StartAlertmanager runs a real Alertmanager on a free local port, with
// clustering off, whose only route sends every alert to webhookURL
// (group_wait 100ms, group_interval 1s, send_resolved), and stops it when
// the test ends. It skips the test, naming the binaries it looked for,
// when none is installed.
func StartAlertmanager(t testing.TB, webhookURL string) *Alertmanager {
	t.Helper()
	bin := ""
	for _, name := range AlertmanagerBinaries {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skipf("no Alertmanager binary: %v not in PATH (apt-get install prometheus-alertmanager)", AlertmanagerBinaries)
	}
	dir := t.TempDir()
	cfg := fmt.Sprintf(`route:
  receiver: hook
  group_by: [alertname, id, source]
  group_wait: 100ms
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: %q
        send_resolved: true
`, webhookURL)
	WriteFile(t, filepath.Join(dir, "alertmanager.yml"), cfg)
	addr := freeAddr(t)
	out := startServer(t, bin, "http://"+addr+"/-/ready", 20*time.Second,
		"--config.file="+filepath.Join(dir, "alertmanager.yml"),
		"--storage.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr,
		"--cluster.listen-address=",
		"--log.level=debug")
	am := &Alertmanager{URL: "http://" + addr, out: out}
	return am
}

// Alerts returns Alertmanager's active alerts (GET /api/v2/alerts).
func (a *Alertmanager) Alerts(t testing.TB) []AMAlert {
	t.Helper()
	resp, err := http.Get(a.URL + "/api/v2/alerts")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []AMAlert
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("GET /api/v2/alerts: %v", err)
	}
	return out
}

// freeAddr returns a local address nothing listens on right now.
func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}
