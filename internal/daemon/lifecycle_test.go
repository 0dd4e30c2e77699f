package daemon

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	promtest "github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wedadiag/wedadiag/internal/testutil"
	"github.com/wedadiag/wedadiag/rules"
	"github.com/wedadiag/wedadiag/tailer"
)

// codeLine is a record that the built-in rules diagnose.
func codeLine(i int) string {
	return fmt.Sprintf(`{"level":"error","time":"2024-06-21T08:00:%02d+08:00","msg":"n%d","error":{"Response":{"Error":{"Code":"UserError.DsNotFound","Message":"找不到数据源"},"RequestId":"r%d"}}}`, i%60, i, i) + "\n"
}

// savedOffset is the offset positions.json holds for path, -1 when none.
func savedOffset(t *testing.T, stateDir, path string) int64 {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(stateDir, tailer.PositionsFile))
	if os.IsNotExist(err) {
		return -1
	}
	if err != nil {
		t.Fatal(err)
	}
	var pf struct {
		Files []struct {
			Path   string `json:"path"`
			Offset int64  `json:"offset"`
		} `json:"files"`
	}
	if err := json.Unmarshal(data, &pf); err != nil {
		t.Fatalf("positions: %v", err)
	}
	for _, f := range pf.Files {
		if f.Path == path {
			return f.Offset
		}
	}
	return -1
}

func readyz(addr string) int {
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// An orderly stop goes: not ready (while HTTP still answers and records
// are still being processed), stop reading, drain, save positions, flush
// alerts, close HTTP. Each stage is checked by what can be seen from
// outside at that moment.
func TestShutdownOrder(t *testing.T) {
	var posts atomic.Int32
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { posts.Add(1) }))
	t.Cleanup(hook.Close)
	dir := t.TempDir()
	// Alerts wait in their group for an hour: only the stop's flush sends
	// them. Positions are saved by the stop only.
	writeConfig(t, dir, fmt.Sprintf(`tailer: {save_interval: 1h}
alerts:
  policy: {group_wait: 1h}
  receivers:
    - {name: hook, type: webhook, url: %q}
`, hook.URL))
	var text strings.Builder
	for i := range 20 {
		text.WriteString(codeLine(i))
	}
	text.WriteString(codeLine(99)) // the record held in the pipeline
	path := writeLog(t, dir, "app.log", text.String())
	size := int64(text.Len())
	stateDir := filepath.Join(dir, "state")

	sink := newRecordSink(`"n99"`)
	h := newHarness(t, dir, sink, time.Minute)
	var stages []string
	h.d.stage = func(s string) {
		stages = append(stages, s)
		switch s {
		case stageNotReady:
			if c := readyz(h.addr); c != http.StatusServiceUnavailable {
				t.Errorf("at %q: /readyz %d, want 503 from a server still up", s, c)
			}
			if n := sink.count(); n != 20 {
				t.Errorf("at %q: %d records processed, want 20 (the last one still held)", s, n)
			}
		case stageReadingStopped:
			if h.d.tail.Ready() {
				t.Errorf("at %q: the tailer still reports ready", s)
			}
			close(sink.release) // the pipeline may drain now
		case stageDrained:
			if n := sink.count(); n != 21 {
				t.Errorf("at %q: %d records processed, want 21", s, n)
			}
			if off := savedOffset(t, stateDir, path); off == size {
				t.Errorf("at %q: positions already saved", s)
			}
		case stagePositionsSaved:
			if off := savedOffset(t, stateDir, path); off != size {
				t.Errorf("at %q: saved offset %d, want %d (every record acknowledged)", s, off, size)
			}
			if n := posts.Load(); n != 0 {
				t.Errorf("at %q: %d alert posts before the flush", s, n)
			}
		case stageAlertsFlushed:
			if n := posts.Load(); n == 0 {
				t.Errorf("at %q: no alert was sent", s)
			}
			if c := readyz(h.addr); c != http.StatusServiceUnavailable {
				t.Errorf("at %q: /readyz %d, want 503 from a server still up", s, c)
			}
		case stageHTTPClosed:
			if c, err := net.Dial("tcp", h.addr); err == nil {
				c.Close()
				t.Errorf("at %q: the HTTP port still accepts", s)
			}
		}
	}
	h.start(t)
	testutil.Eventually(t, 10*time.Second, func() bool { return readyz(h.addr) == http.StatusOK }, "not ready")
	select {
	case <-sink.held:
	case <-time.After(waitLimit):
		t.Fatal("the last record did not reach the pipeline")
	}
	sink.wait(t, 20)
	if err := h.stop(t); err != nil {
		t.Fatal(err)
	}
	want := []string{stageNotReady, stageReadingStopped, stageDrained, stagePositionsSaved, stageAlertsFlushed, stageHTTPClosed}
	if !slices.Equal(stages, want) {
		t.Errorf("stages %q, want %q", stages, want)
	}
}

// A pipeline that does not drain within ShutdownGrace does not hold the
// stop: the daemon saves the positions of what was acknowledged (not the
// held record) and exits.
func TestShutdownDrainTimeout(t *testing.T) {
	dir := t.TempDir()
	writeConfig(t, dir, "tailer: {save_interval: 1h}\n")
	first := codeLine(1)
	path := writeLog(t, dir, "app.log", first+codeLine(99))
	stateDir := filepath.Join(dir, "state")

	sink := newRecordSink(`"n99"`)
	const grace = 200 * time.Millisecond
	h := newHarness(t, dir, sink, grace)
	var stages []string
	h.d.stage = func(s string) { stages = append(stages, s) }
	h.start(t)
	select {
	case <-sink.held:
	case <-time.After(waitLimit):
		t.Fatal("the last record did not reach the pipeline")
	}
	sink.wait(t, 1)
	begin := time.Now()
	err := h.stop(t)
	took := time.Since(begin)
	close(sink.release)
	if err != nil {
		t.Fatal(err)
	}
	if took < grace {
		t.Errorf("stopped in %v, before the grace of %v ran out", took, grace)
	}
	if !slices.Contains(stages, stageDrainTimeout) || slices.Contains(stages, stageDrained) {
		t.Errorf("stages %q: want a drain timeout and no drain", stages)
	}
	if off := savedOffset(t, stateDir, path); off != int64(len(first)) {
		t.Errorf("saved offset %d, want %d: the held record was not acknowledged", off, len(first))
	}
}

// A reload that fails anywhere leaves the running configuration and rules
// in place and counts a failure; a good one swaps both in one value.
func TestReloadRollback(t *testing.T) {
	dir := t.TempDir()
	cfgPath := writeConfig(t, dir, "")
	writeLog(t, dir, "app.log", codeLine(1))
	sink := newRecordSink("")
	h := newHarness(t, dir, sink, 0)
	h.start(t)
	sink.wait(t, 1)
	ctx := context.Background()
	reloads := func(result string) float64 { return promtest.ToFloat64(h.d.pm.reloads.WithLabelValues(result)) }
	before := h.d.state.Load()

	bad := []struct{ name, extra string }{
		{"rule fault", "rules: [" + filepath.Join(dir, "bad.yaml") + "]\n"},
		{"missing rule file", "rules: [" + filepath.Join(dir, "missing.yaml") + "]\n"},
		{"unknown key", "no_such_key: 1\n"},
		{"state_dir moved", "state_dir: " + filepath.Join(dir, "elsewhere") + "\n"},
		{"bad receiver", "alerts:\n  receivers:\n    - {name: x, type: nonsense, url: 'http://127.0.0.1:1'}\n"},
	}
	testutil.WriteFile(t, filepath.Join(dir, "bad.yaml"), "rules:\n  - id: broken\n    when: Evnt == 1\n    yield: {id: nope}\n")
	for i, tc := range bad {
		testutil.WriteFile(t, cfgPath, strings.Replace(readFile(t, cfgPath), "sources:", tc.extra+"sources:", 1))
		if err := h.d.Reload(ctx); err == nil {
			t.Errorf("%s: reload accepted", tc.name)
		}
		if h.d.state.Load() != before {
			t.Errorf("%s: the running state was replaced", tc.name)
		}
		if got := reloads("failure"); got != float64(i+1) {
			t.Errorf("%s: %v failures counted, want %d", tc.name, got, i+1)
		}
		writeConfig(t, dir, "")
	}
	if got := reloads("success"); got != 0 {
		t.Errorf("%v successes counted after failed reloads", got)
	}
	if r := h.d.health().Reload; r.OK || !strings.Contains(r.Error, "receivers") || r.At == nil {
		t.Errorf("the status page's reload state after a refused reload: %+v", r)
	}
	// The old rules still run.
	testutil.AppendFile(t, filepath.Join(dir, "logs", "app.log"), codeLine(2))
	sink.wait(t, 2)
	if n := h.d.agg.Count("apis/ds-not-found"); n != 2 {
		t.Errorf("after refused reloads: %d diagnoses of apis/ds-not-found, want 2", n)
	}

	// A good reload: a user rule file and a declared format, in one swap.
	testutil.WriteFile(t, filepath.Join(dir, "good.yaml"), `rules:
  - id: user-marker
    prefilter: [MARKER-42]
    when: has("MARKER-42")
    yield: {id: apis/ds-not-found}
`)
	writeConfig(t, dir, "rules: ["+filepath.Join(dir, "good.yaml")+"]\n")
	testutil.WriteFile(t, cfgPath, strings.Replace(readFile(t, cfgPath), "    paths:", "    format: plain\n    paths:", 1))
	if err := h.d.Reload(ctx); err != nil {
		t.Fatalf("good reload refused: %v", err)
	}
	after := h.d.state.Load()
	if after == before || after.prog.Formats["app"] != "plain" || !slices.ContainsFunc(after.prog.Set.Rules(), func(r rules.Rule) bool { return r.ID == "user-marker" }) {
		t.Errorf("reload did not swap config, rules and formats together: %+v", after.prog)
	}
	if after.cfg.Sources[0].Format != "plain" {
		t.Errorf("config format %q", after.cfg.Sources[0].Format)
	}
	if reloads("success") != 1 {
		t.Errorf("%v successes counted, want 1", reloads("success"))
	}
	if r := h.d.health().Reload; !r.OK || r.Error != "" {
		t.Errorf("the status page's reload state after a good reload: %+v", r)
	}
	testutil.AppendFile(t, filepath.Join(dir, "logs", "app.log"), "2024-06-21 plain text MARKER-42\n")
	sink.wait(t, 3)
	if n := h.d.agg.Count("apis/ds-not-found"); n != 3 {
		t.Errorf("after the good reload: %d diagnoses of apis/ds-not-found, want 3 (the new rule runs)", n)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
