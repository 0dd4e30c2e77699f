package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func noEnv(string) string { return "" }

func TestLoadDefaults(t *testing.T) {
	c, err := Load(Options{Env: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != ":9894" || c.StateDir != DefaultStateDir(os.Getenv) || c.Alerts.Policy.Window != 5*time.Minute || c.Alerts.Lang != "zh" {
		t.Fatalf("defaults not applied: %+v", c)
	}
}

func TestLoadGood(t *testing.T) {
	c, err := Load(Options{File: "testdata/good.yaml", Env: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sources) != 2 || c.Sources[0].Format != "auto" || c.Sources[1].Multiline != "none" {
		t.Errorf("sources: %+v", c.Sources)
	}
	if c.Alerts.Policy.Threshold != 3 || c.Alerts.Policy.Overrides[0].Threshold != 10 {
		t.Errorf("policy: %+v", c.Alerts.Policy)
	}
	if got := c.Alerts.Receivers[2].Headers["authorization"]; got != "Bearer t" {
		t.Errorf("headers: %+v", c.Alerts.Receivers[2].Headers)
	}
}

// TestLoadBadConfigs: one fault per file, the exact message expected
// (file:line:col: key: what is wrong).
func TestLoadBadConfigs(t *testing.T) {
	files, _ := filepath.Glob("testdata/bad/*.yaml")
	if len(files) == 0 {
		t.Fatal("no bad configs")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			want, err := os.ReadFile(strings.TrimSuffix(f, ".yaml") + ".err")
			if err != nil {
				t.Fatal(err)
			}
			_, err = Load(Options{File: f, Env: noEnv})
			if err == nil {
				t.Fatal("loaded without error")
			}
			if got := err.Error(); got != strings.TrimSpace(string(want)) {
				t.Errorf("got  %s\nwant %s", got, want)
			}
			if strings.Contains(err.Error(), "SECRETKEY") {
				t.Error("error shows the robot key")
			}
		})
	}
}

func TestEnvAndFlagsOverride(t *testing.T) {
	env := map[string]string{
		"WEDADIAG_LISTEN":                  "127.0.0.1:1234",
		"WEDADIAG_ALERTS_POLICY_THRESHOLD": "7",
		"WEDADIAG_LOGS":                    "/a/*.log,/b/*.log",
	}
	fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
	fs.String("listen", ":9894", "")
	fs.String("state-dir", "", "")
	fs.StringSlice("logs", nil, "")
	if err := fs.Parse([]string{"--state-dir", "/tmp/s", "--logs", "-"}); err != nil {
		t.Fatal(err)
	}
	c, err := Load(Options{File: "testdata/good.yaml", Flags: fs, Env: func(k string) string { return env[k] }})
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:1234" {
		t.Errorf("env did not override the file's listen: %q", c.Listen)
	}
	if c.Alerts.Policy.Threshold != 7 {
		t.Errorf("env did not reach a nested key: %d", c.Alerts.Policy.Threshold)
	}
	if c.StateDir != "/tmp/s" {
		t.Errorf("flag did not override: %q", c.StateDir)
	}
	// The flag wins over the variable for logs: one stdin source added.
	last := c.Sources[len(c.Sources)-1]
	if last.Name != "stdin" || len(c.Sources) != 3 {
		t.Errorf("sources from --logs: %+v", c.Sources)
	}
}

// TestBadEnvNamesTheVariable: a variable whose value is not of its key's
// type is a fault that names the variable, and every such fault is given.
func TestBadEnvNamesTheVariable(t *testing.T) {
	env := map[string]string{
		"WEDADIAG_TAILER_IDLE_FLUSH":        "soon",
		"WEDADIAG_ALERTS_POLICY_THRESHOLD":  "many",
		"WEDADIAG_TAILER_POLL":              "yes",
		"WEDADIAG_PIPELINE_WORKERS":         "2",
		"WEDADIAG_ALERTS_POLICY_GROUP_WAIT": "1m",
	}
	_, err := Load(Options{Env: func(k string) string { return env[k] }})
	if err == nil {
		t.Fatal("no error")
	}
	want := "alerts.policy.threshold: WEDADIAG_ALERTS_POLICY_THRESHOLD: \"many\": want an integer\n" +
		"tailer.idle_flush: WEDADIAG_TAILER_IDLE_FLUSH: \"soon\": want a duration such as 30s"
	if err.Error() != want {
		t.Errorf("got\n%s\nwant\n%s", err, want)
	}
}

func TestLogNamesAndDefaultStateDir(t *testing.T) {
	for glob, want := range map[string]string{
		"/var/log/app/*.log": "app", "/var/log/app/order.log": "order", "-": "stdin",
		"logs/*/*.log.gz": "logs", "/srv/x y/*.log": "x-y", "*.log": "logs",
	} {
		if got := DefaultSourceName(glob); got != want {
			t.Errorf("DefaultSourceName(%q) = %q, want %q", glob, got, want)
		}
	}
	got := logSources([]string{"web=/var/log/nginx/*.log", "/var/log/app/*.log", "/srv/app/*.log", "a=b=c"}, map[string]bool{})
	want := []string{"web /var/log/nginx/*.log", "app /var/log/app/*.log", "app-2 /srv/app/*.log", "a b=c"}
	for i, s := range got {
		if s.Name+" "+s.Paths[0] != want[i] {
			t.Errorf("source %d: %s %s, want %s", i, s.Name, s.Paths[0], want[i])
		}
	}
	env := map[string]string{"XDG_STATE_HOME": "/x/state", "HOME": "/home/u"}
	get := func(k string) string { return env[k] }
	if got := defaultStateDir(1000, get); got != "/x/state/wedadiag" {
		t.Errorf("with XDG_STATE_HOME: %q", got)
	}
	if got := defaultStateDir(0, get); got != "/var/lib/wedadiag" {
		t.Errorf("as root: %q", got)
	}
	delete(env, "XDG_STATE_HOME")
	if got := defaultStateDir(1000, get); got != "/home/u/.local/state/wedadiag" {
		t.Errorf("without XDG_STATE_HOME: %q", got)
	}
}
