package cloudbase

import (
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults for the keys a configuration may leave out.
const (
	DefaultPoll      = 10 * time.Second
	DefaultOverlap   = time.Minute
	DefaultMaxWindow = 10 * time.Minute
	DefaultRateLimit = 20 // requests per second: the API's documented limit
	DefaultTimeZone  = "Asia/Shanghai"
)

// Secret is a credential: it prints, logs and marshals as a placeholder.
type Secret string

const redacted = "<redacted>"

// String hides the value.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString hides the value from %#v.
func (s Secret) GoString() string { return "cloudbase.Secret(" + strconv.Quote(s.String()) + ")" }

// LogValue hides the value from slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText hides the value from JSON, YAML and the status page.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Config is one `type: cloudbase` source. Keys are the YAML/viper names.
type Config struct {
	// Name is the source name: the `source` label and the state file's name.
	Name string `mapstructure:"name"`
	// EnvID is the CloudBase environment whose logs are read.
	EnvID string `mapstructure:"env_id"`
	// Region is the Tencent Cloud region of the environment (ap-shanghai…).
	Region string `mapstructure:"region"`
	// SecretID and SecretKey are an API key; when empty the key comes from
	// CredentialsFile, then TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY,
	// then TENCENTCLOUD_CREDENTIALS_FILE or ~/.tencentcloud/credentials.
	SecretID  Secret `mapstructure:"secret_id"`
	SecretKey Secret `mapstructure:"secret_key"`
	// CredentialsFile is an INI file with secret_id and secret_key in its
	// [default] section (the format tccli and the SDKs use).
	CredentialsFile string `mapstructure:"credentials_file"`
	// Query is a CLS query (CQL by default) that filters server-side; empty
	// reads everything.
	Query string `mapstructure:"query"`
	// UseLucene sends the query as Lucene syntax instead of CQL.
	UseLucene bool `mapstructure:"use_lucene"`
	// Endpoint overrides the API host: a host ("tcb.ap-shanghai.tencentcloudapi.com")
	// or a URL ("http://127.0.0.1:8080") for a fake.
	Endpoint string `mapstructure:"endpoint"`
	// Poll is the time between polls once caught up.
	Poll time.Duration `mapstructure:"poll"`
	// Overlap is how far each poll reaches back behind what was read, for
	// records the log service indexes late; duplicates it brings are dropped.
	Overlap time.Duration `mapstructure:"overlap"`
	// MaxWindow bounds one query's time window (catching up a backlog).
	MaxWindow time.Duration `mapstructure:"max_window"`
	// Backfill is how far back the first start (no saved state) reads.
	Backfill time.Duration `mapstructure:"backfill"`
	// RateLimit is the most requests per second this source sends.
	RateLimit float64 `mapstructure:"rate_limit"`
	// TimeZone is the zone of the API's "YYYY-MM-DD HH:mm:ss" times: an IANA
	// name, "UTC", "Local" or an offset like "+08:00".
	TimeZone string `mapstructure:"time_zone"`
}

// Fault is one problem with a configuration, named by key.
type Fault struct {
	Key string
	Msg string
}

func (f Fault) Error() string { return f.Key + ": " + f.Msg }

// Faults is every problem found in one configuration.
type Faults []Fault

func (fs Faults) Error() string {
	msgs := make([]string, len(fs))
	for i, f := range fs {
		msgs[i] = f.Error()
	}
	return strings.Join(msgs, "; ")
}

var (
	envIDPattern  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`) })
	regionPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z]{2,}(-[a-z0-9]+)+$`) })
)

// WithDefaults returns c with every unset tunable at its default.
func (c Config) WithDefaults() Config {
	if c.Poll == 0 {
		c.Poll = DefaultPoll
	}
	if c.Overlap == 0 {
		c.Overlap = DefaultOverlap
	}
	if c.MaxWindow == 0 {
		c.MaxWindow = DefaultMaxWindow
	}
	if c.RateLimit == 0 {
		c.RateLimit = DefaultRateLimit
	}
	if c.TimeZone == "" {
		c.TimeZone = DefaultTimeZone
	}
	return c
}

// Validate checks c with its defaults filled in and returns Faults naming each bad
// key, or nil. Credentials are only checked for being given in halves;
// whether any are found is New's business.
func (c Config) Validate() error {
	c = c.WithDefaults()
	var fs Faults
	add := func(key, format string, args ...any) {
		fs = append(fs, Fault{Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(c.Name) == "" {
		add("name", "required")
	}
	switch {
	case c.EnvID == "":
		add("env_id", "required")
	case !envIDPattern().MatchString(c.EnvID):
		add("env_id", "%q is not an environment id (letters, digits, '-' and '_')", c.EnvID)
	}
	switch {
	case c.Region == "":
		add("region", "required (e.g. ap-shanghai)")
	case !regionPattern().MatchString(c.Region):
		add("region", "%q is not a region name (e.g. ap-shanghai)", c.Region)
	}
	if (c.SecretID == "") != (c.SecretKey == "") {
		if c.SecretID == "" {
			add("secret_id", "required when secret_key is set")
		} else {
			add("secret_key", "required when secret_id is set")
		}
	}
	if c.CredentialsFile != "" && c.SecretID != "" {
		add("credentials_file", "set either secret_id/secret_key or credentials_file, not both")
	}
	if c.Endpoint != "" {
		if _, _, err := splitEndpoint(c.Endpoint); err != nil {
			add("endpoint", "%v", err)
		}
	}
	if c.Poll < 100*time.Millisecond && c.Poll != 0 {
		add("poll", "%s is too short (at least 100ms)", c.Poll)
	}
	if c.Overlap < 0 {
		add("overlap", "must not be negative")
	}
	if c.MaxWindow < time.Second {
		add("max_window", "%s is too short (at least 1s)", c.MaxWindow)
	}
	if c.Backfill < 0 {
		add("backfill", "must not be negative")
	}
	if c.RateLimit <= 0 || c.RateLimit > DefaultRateLimit {
		add("rate_limit", "%v is out of range (0, %d] requests per second", c.RateLimit, DefaultRateLimit)
	}
	if _, err := loadZone(c.TimeZone); err != nil {
		add("time_zone", "%v", err)
	}
	if len(fs) == 0 {
		return nil
	}
	return fs
}

// splitEndpoint turns the endpoint setting into the SDK's scheme and host.
func splitEndpoint(ep string) (scheme, host string, err error) {
	if !strings.Contains(ep, "://") {
		if strings.ContainsAny(ep, "/?# ") {
			return "", "", fmt.Errorf("%q is neither a host nor a URL", ep)
		}
		return "https", ep, nil
	}
	u, err := url.Parse(ep)
	if err != nil {
		return "", "", fmt.Errorf("%q is not a URL", ep)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", "", fmt.Errorf("%q: scheme must be http or https", ep)
	}
	if u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return "", "", fmt.Errorf("%q: want scheme://host[:port] only", ep)
	}
	return u.Scheme, u.Host, nil
}

// loadZone reads the time_zone setting. Asia/Shanghai (and its aliases) is a
// fixed UTC+8 — China has kept no daylight saving since 1991 — so the default
// needs no tzdata in a distroless image.
func loadZone(name string) (*time.Location, error) {
	switch name {
	case "Asia/Shanghai", "Asia/Chongqing", "PRC", "CST", "Beijing", "+08:00", "UTC+8":
		return time.FixedZone("CST", 8*3600), nil
	case "UTC", "Z", "+00:00":
		return time.UTC, nil
	case "Local":
		return time.Local, nil
	}
	if len(name) == 6 && (name[0] == '+' || name[0] == '-') && name[3] == ':' {
		h, err1 := strconv.Atoi(name[1:3])
		m, err2 := strconv.Atoi(name[4:6])
		if err1 == nil && err2 == nil && h <= 14 && m < 60 {
			off := h*3600 + m*60
			if name[0] == '-' {
				off = -off
			}
			return time.FixedZone(name, off), nil
		}
		return nil, fmt.Errorf("%q is not an offset like +08:00", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%q: unknown zone (use an IANA name, UTC, Local or +hh:mm)", name)
	}
	return loc, nil
}
