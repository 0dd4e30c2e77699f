package config

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/wedadiag/wedadiag/configs"
	"github.com/wedadiag/wedadiag/notify"
	"github.com/wedadiag/wedadiag/record"
	"github.com/wedadiag/wedadiag/tailer"
)

func loadDefaults(t *testing.T) *Config {
	t.Helper()
	cfg, err := Load(Options{Env: func(string) string { return "" }})
	if err != nil {
		t.Fatalf("the embedded defaults do not load: %v", err)
	}
	return cfg
}

// TestPackageDefaultsMatchDefaultYAML: configs/default.yaml is the one place
// defaults are set; a package's own default (what it takes for a zero
// value, used by callers outside the daemon and by tests) must say the
// same.
func TestPackageDefaultsMatchDefaultYAML(t *testing.T) {
	cfg := loadDefaults(t)
	for _, c := range []struct {
		key        string
		yaml, pkgs any
	}{
		{"tailer.max_files_per_source", cfg.Tailer.MaxFilesPerSource, tailer.DefaultMaxFilesPerSource},
		{"tailer.max_line_bytes", cfg.Tailer.MaxLineBytes, record.DefaultMaxBytes},
		{"tailer.poll_interval", cfg.Tailer.PollInterval, tailer.DefaultPollInterval},
		{"tailer.idle_flush", cfg.Tailer.IdleFlush, tailer.DefaultIdleFlush},
		{"tailer.save_interval", cfg.Tailer.SaveInterval, tailer.DefaultSaveInterval},
		{"tailer.release_after", cfg.Tailer.ReleaseAfter, tailer.DefaultReleaseAfter},
		{"pipeline.buffer", cfg.Pipeline.Buffer, tailer.DefaultBuffer},
		{"alerts.lang", cfg.Alerts.Lang, notify.DefaultLang},
		{"alerts.flush_timeout", cfg.Alerts.FlushTimeout, notify.DefaultFlushTimeout},
		{"alerts.policy.threshold", cfg.Alerts.Policy.Threshold, notify.DefaultThreshold},
		{"alerts.policy.window", cfg.Alerts.Policy.Window, notify.DefaultWindow},
		{"alerts.policy.group_wait", cfg.Alerts.Policy.GroupWait, notify.DefaultGroupWait},
		{"alerts.policy.repeat_interval", cfg.Alerts.Policy.RepeatInterval, notify.DefaultRepeatInterval},
		{"alerts.policy.resolve_after", cfg.Alerts.Policy.ResolveAfter, notify.DefaultResolveAfter},
	} {
		if fmt.Sprint(c.yaml) != fmt.Sprint(c.pkgs) {
			t.Errorf("%s: configs/default.yaml says %v, the package's default is %v", c.key, c.yaml, c.pkgs)
		}
	}
	// notify's zero-value defaults applied to the loaded block change nothing.
	if got, want := fmt.Sprintf("%+v", cfg.Alerts.WithDefaults().Policy), fmt.Sprintf("%+v", cfg.Alerts.Policy); got != want {
		t.Errorf("alerts.policy: defaults applied give %s, configs/default.yaml %s", got, want)
	}
}

// TestFlagDefaultsAreTheDefaults: every `run` flag shows the embedded
// default, and setting none of them changes nothing.
func TestFlagDefaultsAreTheDefaults(t *testing.T) {
	cfg := loadDefaults(t)
	f := pflag.NewFlagSet("run", pflag.ContinueOnError)
	AddFlags(f)
	want := map[string]string{
		"listen":     cfg.Listen,
		"state-dir":  "", // Load fills in DefaultStateDir
		"from-start": fmt.Sprint(cfg.FromStart),
		"logs":       "[" + strings.Join(cfg.Logs, ",") + "]",
		"log.level":  cfg.Log.Level,
		"log.format": cfg.Log.Format,

		"web.enable-lifecycle": fmt.Sprint(cfg.Web.EnableLifecycle),
	}
	n := 0
	f.VisitAll(func(fl *pflag.Flag) {
		n++
		w, ok := want[fl.Name]
		if !ok {
			t.Errorf("flag --%s: no configuration key in this test", fl.Name)
			return
		}
		if fl.DefValue != w {
			t.Errorf("flag --%s: default %q, configs/default.yaml %q", fl.Name, fl.DefValue, w)
		}
		if fl.Usage == "" {
			t.Errorf("flag --%s: no help", fl.Name)
		}
	})
	if n != len(want) {
		t.Errorf("%d flags, want %d", n, len(want))
	}
	if err := f.Parse([]string{"--listen", "127.0.0.1:1", "--logs", "a.log", "--logs", "b.log", "--from-start"}); err != nil {
		t.Fatal(err)
	}
	got, err := Load(Options{Flags: f, Env: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	if got.Listen != "127.0.0.1:1" || !got.FromStart || strings.Join(got.Logs, " ") != "a.log b.log" || got.StateDir != cfg.StateDir {
		t.Errorf("flags did not reach the configuration: %+v", got)
	}
}

// TestFlagDefaultTypes: each `run` flag is of the type the YAML gives its
// key (a bool flag for a bool, a list flag for a list), so that its
// default, repeated in runFlags, also parses as the key's value would.
func TestFlagDefaultTypes(t *testing.T) {
	var doc map[string]any
	if err := yaml.Unmarshal(configs.DefaultYAML, &doc); err != nil {
		t.Fatal(err)
	}
	for _, fl := range runFlags {
		var v any = doc
		for _, k := range strings.Split(fl.key, ".") {
			m, _ := v.(map[string]any)
			v = m[k]
		}
		var want string
		switch v.(type) {
		case bool:
			want = "bool"
		case []any:
			want = "[]string"
		case string:
			want = "string"
		default:
			t.Errorf("flag --%s: key %s is %T in configs/default.yaml; give the flag a type for it", fl.name, fl.key, v)
			continue
		}
		if got := fmt.Sprintf("%T", fl.def); got != want {
			t.Errorf("flag --%s: default is a %s, configs/default.yaml's %s a %s", fl.name, got, fl.key, want)
		}
	}
}

// TestExampleConfigShowsTheDefaults: configs/wedadiag.example.yaml says its
// values are the defaults unless a comment says "example"; every value
// that configs/default.yaml also sets must then equal it.
func TestExampleConfigShowsTheDefaults(t *testing.T) {
	const path = "../../configs/wedadiag.example.yaml"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var def, ex yaml.Node
	if err := yaml.Unmarshal(configs.DefaultYAML, &def); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &ex); err != nil {
		t.Fatal(err)
	}
	defaults := map[string]*yaml.Node{}
	scalars(def.Content[0], "", false, func(key string, v *yaml.Node, _ bool) { defaults[key] = v })
	compared := 0
	scalars(ex.Content[0], "", false, func(key string, v *yaml.Node, example bool) {
		d, ok := defaults[key]
		if !ok || example {
			return
		}
		compared++
		if canonical(d) != canonical(v) {
			t.Errorf("%s:%d:%d: %s is %s, configs/default.yaml says %s (say \"example\" in its comment if that is meant)", path, v.Line, v.Column, key, canonical(v), canonical(d))
		}
	})
	if compared < 20 {
		t.Errorf("only %d values compared; the walk is broken", compared)
	}
}

// scalars calls f with the dotted key of every value that is not a mapping
// (lists whole) and whether its comment or an enclosing key's says
// "example".
func scalars(n *yaml.Node, path string, example bool, f func(string, *yaml.Node, bool)) {
	if n.Kind != yaml.MappingNode {
		f(path, n, example)
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := k.Value
		if path != "" {
			key = path + "." + key
		}
		ex := example || strings.Contains(strings.ToLower(k.HeadComment+k.LineComment+v.LineComment), "example")
		scalars(v, key, ex, f)
	}
}

// canonical is a value in a form two spellings of it share.
func canonical(n *yaml.Node) string {
	var v any
	if err := n.Decode(&v); err != nil {
		return n.Value
	}
	return fmt.Sprint(v)
}
