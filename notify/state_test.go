package notify

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wedadiag/wedadiag/redact"
)

// TestStateBoundedWithHugeSamples: 1 MiB error lines from three sources
// leave a state file of a few KiB, and every payload holds a cut sample.
func TestStateBoundedWithHugeSamples(t *testing.T) {
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		cfg := hookConfig(Policy{GroupWait: 10 * time.Second})
		cfg.StateDir = dir
		hook := &fakeReceiver{}
		n, _ := newNotifier(t, cfg, memTransport{"hook.test": hook}, nil)
		stop := start(n)
		huge := strings.Repeat("资源已欠费 FailedOperation.FlexdbResourceOverdue ", 1<<20/56)
		for i := 0; i < 50; i++ {
			for _, src := range []string{"a", "b", "c"} {
				n.Observe(occ(t, idFlexdb, src, huge))
			}
		}
		time.Sleep(time.Minute)
		if err := stop(); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(filepath.Join(dir, StateFile))
		if err != nil {
			t.Fatal(err)
		}
		if limit := int64(3*redact.DefaultLimit + 4096); fi.Size() > limit {
			t.Errorf("alerts.json is %d bytes, want ≤ %d", fi.Size(), limit)
		}
		for _, r := range hook.requests() {
			if len(r.body) > 64<<10 {
				t.Errorf("payload of %d bytes", len(r.body))
			}
		}
		if len(hook.requests()) == 0 {
			t.Error("no alert sent")
		}
	})
}

// TestStateUnusableIsCountedNotFatal: a corrupt, a too-large and an
// old-version alerts.json each start the notifier afresh, counted.
func TestStateUnusableIsCountedNotFatal(t *testing.T) {
	cases := map[string][]byte{
		"corrupt":   []byte(`{"version":1,"alerts":[{"id":`),
		"too large": append([]byte(`{"version":1,"alerts":[{"id":"x","sample":"`), bytes.Repeat([]byte("a"), maxStateBytes+10)...),
		"empty":     {},
		"version":   []byte(`{"version":99}`),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, StateFile), data, 0o600); err != nil {
				t.Fatal(err)
			}
			m := NewMetrics(nil)
			cfg := hookConfig(Policy{})
			cfg.StateDir = dir
			n, logs := newNotifier(t, cfg, nil, m)
			if got := testutil.ToFloat64(m.stateErrors); got != 1 {
				t.Errorf("state_load_failures_total = %v, want 1", got)
			}
			if len(n.alerts) != 0 {
				t.Errorf("%d alerts loaded from a bad file", len(n.alerts))
			}
			if !strings.Contains(logs.String(), "alert state unreadable") {
				t.Errorf("no warning logged: %s", logs.String())
			}
		})
	}
}

// TestStateSamplesCutOnLoad: a state file written before samples were cut
// (a 200 KiB sample) loads with the sample cut.
func TestStateSamplesCutOnLoad(t *testing.T) {
	dir := t.TempDir()
	sf := stateFile{Version: stateVersion, Alerts: []savedAlert{{ID: idFlexdb, Source: "app", Sample: strings.Repeat("x", 200<<10)}}}
	data, _ := json.Marshal(sf)
	if err := os.WriteFile(filepath.Join(dir, StateFile), data, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := hookConfig(Policy{})
	cfg.StateDir = dir
	n, _ := newNotifier(t, cfg, nil, nil)
	for _, a := range n.alerts {
		if len(a.sample) > redact.DefaultLimit {
			t.Errorf("sample of %d bytes after load", len(a.sample))
		}
	}
	if len(n.alerts) != 1 {
		t.Errorf("%d alerts loaded, want 1", len(n.alerts))
	}
}

// With no receiver configured, the log never claims an alert is being sent.
func TestNoReceiversSaysSo(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, logs := newNotifier(t, Config{Policy: Policy{GroupWait: time.Second}}, nil, nil)
		stop := start(n)
		n.Observe(occ(t, idFlexdb, "app", "x"))
		time.Sleep(time.Minute)
		if err := stop(); err != nil {
			t.Fatal(err)
		}
		out := logs.String()
		if strings.Contains(out, "sending alert") || !strings.Contains(out, "no receivers configured") {
			t.Errorf("log:\n%s", out)
		}
	})
}
