package testutil

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Prometheus is a real Prometheus server started for a test.
type Prometheus struct {
	// URL is its base URL, http://127.0.0.1:PORT.
	URL      string
	promtool string
}

// StartPrometheus runs a real Prometheus (the prometheus binary, Debian
// package prometheus) on a free local port, scraping each target
// (HOST:PORT, /metrics) every second, with its TSDB in a temporary
// directory, and stops it when the test ends. It skips the test, naming the
// binary, when prometheus or promtool is not installed.
func StartPrometheus(t testing.TB, targets ...string) *Prometheus {
	t.Helper()
	bin := LookPathOrSkip(t, "prometheus", "apt-get install prometheus")
	promtool := LookPathOrSkip(t, "promtool", "apt-get install prometheus")
	dir := t.TempDir()
	quoted := make([]string, len(targets))
	for i, tg := range targets {
		quoted[i] = fmt.Sprintf("%q", tg)
	}
	cfg := fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 900ms
  evaluation_interval: 1s
scrape_configs:
  - job_name: wedadiag
    static_configs:
      - targets: [%s]
`, strings.Join(quoted, ", "))
	WriteFile(t, filepath.Join(dir, "prometheus.yml"), cfg)
	addr := freeAddr(t)
	startServer(t, bin, "http://"+addr+"/-/ready", 30*time.Second,
		"--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr,
		"--log.level=debug")
	p := &Prometheus{URL: "http://" + addr, promtool: promtool}
	return p
}

// PromSample is one element of an instant vector.
type PromSample struct {
	Metric map[string]string
	Value  string
}

// QueryInstant runs `promtool query instant -o json URL expr` and returns
// the samples of the vector it prints, or promtool's error and output.
func (p *Prometheus) QueryInstant(expr string) ([]PromSample, error) {
	out, err := exec.Command(p.promtool, "query", "instant", "-o", "json", p.URL, expr).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("promtool query instant %s: %w\n%s", expr, err, out)
	}
	var raw []struct {
		Metric map[string]string `json:"metric"`
		Value  [2]any            `json:"value"`
	}
	if err := json.Unmarshal(out, &raw); err != nil {
		return nil, fmt.Errorf("promtool query instant %s: %w\n%s", expr, err, out)
	}
	res := make([]PromSample, 0, len(raw))
	for _, r := range raw {
		v, _ := r.Value[1].(string)
		res = append(res, PromSample{Metric: r.Metric, Value: v})
	}
	return res, nil
}

// LookPathOrSkip returns the path of an installed binary, or skips the
// test naming the binary and how to install it.
func LookPathOrSkip(t testing.TB, name, install string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s not in PATH (%s): %v", name, install, err)
	}
	return p
}
