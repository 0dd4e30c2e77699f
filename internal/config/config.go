package config

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/wedadiag/wedadiag/configs"
	"github.com/wedadiag/wedadiag/internal/yamlpos"
	"github.com/wedadiag/wedadiag/notify"
	"github.com/wedadiag/wedadiag/redact"
	"github.com/wedadiag/wedadiag/source/cloudbase"
)

// Config is everything wedadiag run reads. Keys are snake_case, the same in
// YAML, in WEDADIAG_* variables (dots become underscores) and in docs.
type Config struct {
	Listen    string        `mapstructure:"listen"`
	StateDir  string        `mapstructure:"state_dir"`
	FromStart bool          `mapstructure:"from_start"`
	Logs      []string      `mapstructure:"logs"`
	Log       Log           `mapstructure:"log"`
	Sources   []Source      `mapstructure:"sources"`
	Rules     []string      `mapstructure:"rules"`
	Tailer    Tailer        `mapstructure:"tailer"`
	Pipeline  Pipeline      `mapstructure:"pipeline"`
	Functions Functions     `mapstructure:"functions"`
	Alerts    notify.Config `mapstructure:"alerts"`
	Web       Web           `mapstructure:"web"`
	Redact    Redact        `mapstructure:"redact"`
	// Timezone is the zone of times logged without one, and the zone pages,
	// scans and alerts show times in: an IANA name such as Asia/Shanghai;
	// "" is the machine's zone.
	Timezone string `mapstructure:"timezone"`

	// File is the user configuration file, "" when running on defaults.
	File string `mapstructure:"-"`
	pos  *yamlpos.Positions
}

// Redact configures how samples are masked before anything stores, serves
// or sends them (read at start; a change takes a restart).
type Redact struct {
	Enabled  bool             `mapstructure:"enabled"`
	Patterns []redact.Pattern `mapstructure:"patterns"`
}

// Location is the configured timezone (the machine's for "").
func (c *Config) Location() *time.Location {
	if c.Timezone == "" {
		return time.Local
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return time.Local // Validate refused it already
	}
	return loc
}

// Redactor builds the redactor the configuration asks for.
func (r Redact) Redactor() (*redact.Redactor, error) {
	return redact.New(redact.Options{Disabled: !r.Enabled, Extra: r.Patterns})
}

// Log configures wedadiag's own log.
type Log struct {
	Level  string `mapstructure:"level"`  // debug, info, warn, error
	Format string `mapstructure:"format"` // text or json
}

// Source is one named source of records; its name is the `source` label.
// Type says where the records come from: file (the default: paths),
// kafka (a consumer group) or cloudbase (the SearchClsLog API). The keys of
// the other types must not be set (see sources.go).
type Source struct {
	Name string `mapstructure:"name"`
	Type string `mapstructure:"type"` // file, kafka, cloudbase

	// file
	Paths     []string `mapstructure:"paths"`
	Format    string   `mapstructure:"format"`    // auto, json, scf, plain, access
	Multiline string   `mapstructure:"multiline"` // auto, none
	// Exclude are globs of files the paths match that are not followed
	// (with a '/': the whole path; without: the file name).
	Exclude []string `mapstructure:"exclude"`
	// IgnoreOlder leaves out files not modified for this long when found.
	IgnoreOlder time.Duration `mapstructure:"ignore_older"`
	// Kubernetes labels diagnoses by the namespace and container of the
	// kubelet's log path (opt-in, bounded).
	Kubernetes SourceKubernetes `mapstructure:"kubernetes"`

	// kafka (source/kafka.Config)
	Brokers []string   `mapstructure:"brokers"`
	Topics  []string   `mapstructure:"topics"`
	Group   string     `mapstructure:"group"`
	SASL    SourceSASL `mapstructure:"sasl"`
	TLS     bool       `mapstructure:"tls"`
	Start   string     `mapstructure:"start"`

	// cloudbase (source/cloudbase.Config)
	EnvID           string           `mapstructure:"env_id"`
	Region          string           `mapstructure:"region"`
	SecretID        cloudbase.Secret `mapstructure:"secret_id"`
	SecretKey       cloudbase.Secret `mapstructure:"secret_key"`
	CredentialsFile string           `mapstructure:"credentials_file"`
	Query           string           `mapstructure:"query"`
	UseLucene       bool             `mapstructure:"use_lucene"`
	Endpoint        string           `mapstructure:"endpoint"`
	Poll            time.Duration    `mapstructure:"poll"`
	Overlap         time.Duration    `mapstructure:"overlap"`
	MaxWindow       time.Duration    `mapstructure:"max_window"`
	Backfill        time.Duration    `mapstructure:"backfill"`
	RateLimit       float64          `mapstructure:"rate_limit"`
	TimeZone        string           `mapstructure:"time_zone"`
}

// SourceKubernetes turns on wedadiag_kubernetes_diagnoses_total for a
// file source of pod logs: Max (namespace, container) pairs get their own
// series, the first seen first; the rest count as "other".
type SourceKubernetes struct {
	Labels bool `mapstructure:"labels"`
	Max    int  `mapstructure:"max"`
}

// SourceSASL is a kafka source's SASL login (for CLS: the logset id and
// "SecretId#SecretKey").
type SourceSASL struct {
	Mechanism string           `mapstructure:"mechanism"`
	Username  string           `mapstructure:"username"`
	Password  cloudbase.Secret `mapstructure:"password"`
}

// Tailer tunes file following.
type Tailer struct {
	MaxFilesPerSource int           `mapstructure:"max_files_per_source"`
	MaxLineBytes      int           `mapstructure:"max_line_bytes"`
	PollInterval      time.Duration `mapstructure:"poll_interval"`
	IdleFlush         time.Duration `mapstructure:"idle_flush"`
	SaveInterval      time.Duration `mapstructure:"save_interval"`
	ReleaseAfter      time.Duration `mapstructure:"release_after"`
	Poll              bool          `mapstructure:"poll"`
	SaveAfterRecords  int           `mapstructure:"save_after_records"`
	SaveAfterBytes    int64         `mapstructure:"save_after_bytes"`
	StartAtUnknown    string        `mapstructure:"start_at_unknown"`
	AllowRoots        []string      `mapstructure:"allow_roots"`
}

// Pipeline tunes the matching stage.
type Pipeline struct {
	Workers int `mapstructure:"workers"`
	Buffer  int `mapstructure:"buffer"`
	// BufferBytes bounds the bytes of file read and not yet processed
	// (tailer.Config.BufferBytes).
	BufferBytes int64 `mapstructure:"buffer_bytes"`
}

// Functions bounds the cloud-function health metrics: the functions named
// get their own series, then the first Max others seen; the rest count as
// "other".
type Functions struct {
	Names []string `mapstructure:"names"`
	Max   int      `mapstructure:"max"`
}

// Web configures the HTTP side.
type Web struct {
	ConfigFile        string        `mapstructure:"config_file"`         // exporter-toolkit web config: TLS, basic auth
	Window            time.Duration `mapstructure:"window"`              // how long a diagnosis stays on the status page and API
	EnableLifecycle   bool          `mapstructure:"enable_lifecycle"`    // POST /-/reload on (off by default)
	ProbesWithoutAuth bool          `mapstructure:"probes_without_auth"` // /healthz and /readyz exempt from basic auth
}

// runFlags are the `run` flags that set a configuration key, each with the
// default configs/default.yaml gives the key, so --help shows what runs.
// The defaults are repeated here, not decoded from the YAML, because every
// command builds the run flags and most never run;
// TestFlagDefaultsAreTheDefaults holds them to the YAML.
var runFlags = []struct {
	name, key string
	def       any // string, bool or []string
	help      string
}{
	{"logs", "logs", []string{}, "log files to follow: [name=]glob, or - for standard input (repeatable; each is a source, named by name= or after its path: /var/log/app/*.log is app)"},
	{"listen", "listen", ":9894", "HTTP address for /metrics, the status page and the API"},
	{"state-dir", "state_dir", "", "directory for positions, alert state and live diagnoses (empty: $XDG_STATE_HOME/wedadiag or ~/.local/state/wedadiag; /var/lib/wedadiag as root)"},
	{"from-start", "from_start", false, "read files that exist at the first start from their beginning instead of their end"},
	{"log.level", "log.level", "info", "log level: debug, info, warn or error"},
	{"log.format", "log.format", "text", "log format: text or json"},
	{"web.enable-lifecycle", "web.enable_lifecycle", false, "serve POST /-/reload (off: it answers 403; SIGHUP reloads either way)"},
}

// AddFlags defines on f the `run` flags that set configuration keys, each
// with the embedded default as its default value. Load reads those that
// were set.
func AddFlags(f *pflag.FlagSet) {
	for _, fl := range runFlags {
		switch def := fl.def.(type) {
		case bool:
			f.Bool(fl.name, def, fl.help)
		case []string:
			f.StringSlice(fl.name, slices.Clone(def), fl.help)
		default:
			f.String(fl.name, fmt.Sprint(def), fl.help)
		}
	}
}

// defaults returns a viper holding the embedded defaults.
func defaults() *viper.Viper {
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(configs.DefaultYAML)); err != nil {
		// The embedded file is checked by this package's tests.
		panic(fmt.Sprintf("embedded defaults: %v", err))
	}
	return v
}

// flagKey returns the configuration key a `run` flag sets.
func flagKey(name string) (string, bool) {
	for _, fl := range runFlags {
		if fl.name == name {
			return fl.key, true
		}
	}
	return "", false
}

// Options say where to read configuration from besides the defaults.
type Options struct {
	File  string              // user YAML file, "" for none
	Flags *pflag.FlagSet      // flags set on the command line win over everything
	Env   func(string) string // environment lookup (default os.Getenv)
}

// Load reads the defaults, the file, the environment and flags, and
// validates the result. Its error lists every fault found.
func Load(o Options) (*Config, error) {
	v := defaults()
	cfg := &Config{File: o.File}
	if o.File != "" {
		data, err := os.ReadFile(o.File)
		if err != nil {
			return nil, err
		}
		root, err := yamlpos.Parse(o.File, data)
		if err != nil {
			return nil, err
		}
		// Unknown keys, wrong shapes and values that are not of their
		// key's type, all of them, each with its line and column.
		pos, faults := yamlpos.Check(o.File, root, reflect.TypeOf(Config{}), "mapstructure")
		if len(faults) > 0 {
			return nil, faults
		}
		cfg.pos = pos
		if err := v.MergeConfig(bytes.NewReader(data)); err != nil {
			return nil, fmt.Errorf("%s: %w", o.File, err)
		}
	}
	getenv := o.Env
	if getenv == nil {
		getenv = os.Getenv
	}
	// Environment variables and flags are strings: each is checked against
	// its key's type here, so that a fault names the variable or flag.
	var faults yamlpos.Faults
	set := func(from, key, val string) {
		if t := yamlpos.TypeAt(reflect.TypeOf(Config{}), "mapstructure", key); t != nil {
			if err := yamlpos.CheckScalar(t, val); err != nil {
				faults = append(faults, yamlpos.Fault{Key: key, Msg: fmt.Sprintf("%s: %v", from, err)})
				return
			}
		}
		v.Set(key, val)
	}
	keys := v.AllKeys()
	slices.Sort(keys)
	for _, key := range keys {
		env := "WEDADIAG_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
		if val := getenv(env); val != "" {
			set(env, key, val)
		}
	}
	if o.Flags != nil {
		o.Flags.Visit(func(f *pflag.Flag) {
			key, ok := flagKey(f.Name)
			if !ok {
				return
			}
			if sv, ok := f.Value.(pflag.SliceValue); ok {
				v.Set(key, sv.GetSlice())
			} else {
				set("--"+f.Name, key, f.Value.String())
			}
		})
	}
	if len(faults) > 0 {
		return nil, faults
	}
	err := v.UnmarshalExact(cfg, viper.DecodeHook(mapstructure.ComposeDecodeHookFunc(
		mapstructure.StringToTimeDurationHookFunc(),
		mapstructure.StringToSliceHookFunc(","),
	)))
	if err != nil {
		// The file, variables and flags were checked above; what is left
		// is a value the checks do not know (a list item's shape, say).
		return nil, fmt.Errorf("configuration: %w", err)
	}
	taken := map[string]bool{}
	for _, s := range cfg.Sources {
		taken[s.Name] = true
	}
	cfg.Sources = append(cfg.Sources, logSources(cfg.Logs, taken)...)
	if cfg.StateDir == "" {
		cfg.StateDir = DefaultStateDir(getenv)
	}
	for i := range cfg.Sources {
		if cfg.Sources[i].Type == "" {
			cfg.Sources[i].Type = SourceFile
		}
		if cfg.Sources[i].Format == "" {
			cfg.Sources[i].Format = "auto"
		}
		if cfg.Sources[i].Multiline == "" {
			cfg.Sources[i].Multiline = "auto"
		}
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// Validate checks every value and returns all faults as yamlpos.Faults,
// each naming its key (and, for a user file, the file, line and column).
func (c *Config) Validate() error {
	var errs yamlpos.Faults
	bad := func(key, format string, a ...any) {
		errs = append(errs, c.pos.Locate(yamlpos.Fault{Key: key, Msg: fmt.Sprintf(format, a...), File: ""}))
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		bad("listen", "%q is not host:port (e.g. :9894): %v", c.Listen, err)
	}
	if strings.TrimSpace(c.StateDir) == "" {
		bad("state_dir", "must not be empty")
	}
	oneOf(bad, "log.level", c.Log.Level, "debug", "info", "warn", "error")
	oneOf(bad, "log.format", c.Log.Format, "text", "json")
	names := map[string]int{}
	for i, s := range c.Sources {
		key := fmt.Sprintf("sources[%d]", i)
		if strings.TrimSpace(s.Name) == "" {
			bad(key+".name", "every source needs a name (it becomes the `source` label)")
		} else if j, dup := names[s.Name]; dup {
			bad(key+".name", "%q is also the name of sources[%d]", s.Name, j)
		}
		names[s.Name] = i
		if len(s.Name) > 200 {
			bad(key+".name", "longer than 200 bytes")
		}
		c.validateSource(bad, key, s)
	}
	for i, r := range c.Rules {
		if _, err := filepath.Match(r, ""); err != nil {
			bad(fmt.Sprintf("rules[%d]", i), "%q: %v", r, err)
		}
	}
	positive(bad, "tailer.max_files_per_source", c.Tailer.MaxFilesPerSource)
	positive(bad, "tailer.max_line_bytes", c.Tailer.MaxLineBytes)
	positiveDur(bad, "tailer.poll_interval", c.Tailer.PollInterval)
	positiveDur(bad, "tailer.idle_flush", c.Tailer.IdleFlush)
	positiveDur(bad, "tailer.save_interval", c.Tailer.SaveInterval)
	positiveDur(bad, "tailer.release_after", c.Tailer.ReleaseAfter)
	switch c.Tailer.StartAtUnknown {
	case "modified", "beginning", "end":
	default:
		bad("tailer.start_at_unknown", "%q: want modified, beginning or end", c.Tailer.StartAtUnknown)
	}
	positive(bad, "pipeline.workers", c.Pipeline.Workers)
	positive(bad, "pipeline.buffer", c.Pipeline.Buffer)
	if c.Pipeline.BufferBytes < 1<<20 {
		bad("pipeline.buffer_bytes", "%d: want at least 1048576 (1 MiB)", c.Pipeline.BufferBytes)
	}
	if c.Functions.Max < 0 || c.Functions.Max > 1000 {
		bad("functions.max", "must be 0 to 1000, not %d", c.Functions.Max)
	}
	// The alerts block is notify's; its faults name their key paths.
	if err := c.Alerts.Validate(); err != nil {
		var fs yamlpos.Faults
		if !errors.As(err, &fs) {
			return errors.Join(errs.Err(), err)
		}
		for _, f := range fs {
			bad(f.Key, "%s", f.Msg)
		}
	}
	if c.Web.ConfigFile != "" {
		if _, err := os.Stat(c.Web.ConfigFile); err != nil {
			bad("web.config_file", "%v", err)
		}
	}
	positiveDur(bad, "web.window", c.Web.Window)
	if c.Timezone != "" {
		if _, err := time.LoadLocation(c.Timezone); err != nil {
			bad("timezone", "%q: not a time zone the system knows (an IANA name such as Asia/Shanghai, or \"\" for the machine's)", c.Timezone)
		}
	}
	if _, err := c.Redact.Redactor(); err != nil {
		bad("redact.patterns", "%v", err)
	}
	return errs.Err()
}

type badFunc func(key, format string, a ...any)

func oneOf(bad badFunc, key, v string, choices ...string) {
	for _, c := range choices {
		if v == c {
			return
		}
	}
	bad(key, "%q: want one of %s", v, strings.Join(choices, ", "))
}

func positive(bad badFunc, key string, n int) {
	if n <= 0 {
		bad(key, "must be 1 or more, not %d", n)
	}
}

func positiveDur(bad badFunc, key string, d time.Duration) {
	if d <= 0 {
		bad(key, "must be a positive duration such as 30s, not %v", d)
	}
}
