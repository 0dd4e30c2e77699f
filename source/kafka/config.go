package kafka

import (
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"
)

// Start values: where a group with no committed offset starts reading.
const (
	StartNewest = "newest"
	StartOldest = "oldest"
)

// MechanismPlain is the only SASL mechanism supported (CLS uses it).
const MechanismPlain = "PLAIN"

// Config is one `type: kafka` source. The keys tagged below are the
// configuration contract; the others are tuning with defaults.
type Config struct {
	// Name is the source's name: the `source` label and Record.Source.
	Name string `mapstructure:"name"`
	// Brokers are host:port seed brokers, e.g.
	// kafkaconsumer-ap-shanghai.cls.tencentyun.com:9095.
	Brokers []string `mapstructure:"brokers"`
	// Topics are the topics consumed (for CLS, the consumption topic name
	// the console shows, not the log topic id).
	Topics []string `mapstructure:"topics"`
	// Group is the consumer group id. Instances in one group share the
	// partitions.
	Group string `mapstructure:"group"`
	SASL  SASL   `mapstructure:"sasl"`
	// TLS dials the brokers with TLS (system roots). CLS does not use it.
	TLS bool `mapstructure:"tls"`
	// Start is newest (default) or oldest: where a group with no committed
	// offset starts.
	Start string `mapstructure:"start"`

	// CommitInterval is how often acknowledged progress is committed
	// (default 1s).
	CommitInterval time.Duration `mapstructure:"-"`
	// LagInterval is how often end offsets are listed for the lag metrics
	// (default 5s).
	LagInterval time.Duration `mapstructure:"-"`
	// RevokeWait bounds how long a rebalance waits for the pipeline to
	// acknowledge records of the partitions it takes away (default 5s;
	// keep it well below the group's rebalance timeout, 60s).
	RevokeWait time.Duration `mapstructure:"-"`
	// DrainWait bounds how long Run, once its context is done, waits for
	// the pipeline to acknowledge what it was handed (default 10s).
	DrainWait time.Duration `mapstructure:"-"`
	// Buffer is the capacity of the Records channel (default 1024); it is
	// also the most records taken from the client per poll.
	Buffer int `mapstructure:"-"`
	// SessionTimeout is the group session timeout (default 45s, the
	// client's).
	SessionTimeout time.Duration `mapstructure:"-"`
}

// SASL is the SASL authentication. For CLS: username is the logset id and
// password is "SecretId#SecretKey".
type SASL struct {
	Mechanism string `mapstructure:"mechanism"`
	Username  string `mapstructure:"username"`
	Password  string `mapstructure:"password"`
}

// LogValue keeps the password out of logs.
func (s SASL) LogValue() slog.Value {
	return slog.GroupValue(slog.String("mechanism", s.Mechanism), slog.String("username", s.Username),
		slog.Bool("password_set", s.Password != ""))
}

// String keeps the password out of formatted output.
func (s SASL) String() string {
	return fmt.Sprintf("{mechanism:%s username:%s password:%s}", s.Mechanism, s.Username, redacted(s.Password))
}

func redacted(p string) string {
	if p == "" {
		return ""
	}
	return "<redacted>"
}

func (s SASL) enabled() bool { return s.Mechanism != "" || s.Username != "" || s.Password != "" }

// Defaults.
const (
	DefaultCommitInterval = time.Second
	DefaultLagInterval    = 5 * time.Second
	DefaultRevokeWait     = 5 * time.Second
	DefaultDrainWait      = 10 * time.Second
	DefaultBuffer         = 1024
)

func (c *Config) setDefaults() {
	if c.Start == "" {
		c.Start = StartNewest
	}
	if c.SASL.enabled() && c.SASL.Mechanism == "" {
		c.SASL.Mechanism = MechanismPlain
	}
	if c.CommitInterval <= 0 {
		c.CommitInterval = DefaultCommitInterval
	}
	if c.LagInterval <= 0 {
		c.LagInterval = DefaultLagInterval
	}
	if c.RevokeWait <= 0 {
		c.RevokeWait = DefaultRevokeWait
	}
	if c.DrainWait <= 0 {
		c.DrainWait = DefaultDrainWait
	}
	if c.Buffer <= 0 {
		c.Buffer = DefaultBuffer
	}
}

// Fault is one configuration fault: the key it is about, relative to the
// source (brokers[1], sasl.username), and what is wrong. It never
// contains the password.
type Fault struct {
	Key string
	Msg string
}

func (f Fault) Error() string { return f.Key + ": " + f.Msg }

// Validate returns every fault of c, nil when there is none. Empty
// optional keys (start, sasl.mechanism) are read as their defaults.
func (c Config) Validate() []Fault {
	var fs []Fault
	add := func(key, format string, args ...any) {
		fs = append(fs, Fault{Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	if c.Name == "" {
		add("name", "empty")
	}
	if len(c.Brokers) == 0 {
		add("brokers", "no broker given (host:port)")
	}
	for i, b := range c.Brokers {
		host, port, err := net.SplitHostPort(b)
		if err != nil || host == "" {
			add(fmt.Sprintf("brokers[%d]", i), "%q is not host:port", b)
			continue
		}
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			add(fmt.Sprintf("brokers[%d]", i), "port %q is not a number from 1 to 65535", port)
		}
	}
	if len(c.Topics) == 0 {
		add("topics", "no topic given")
	}
	seen := map[string]bool{}
	for i, t := range c.Topics {
		key := fmt.Sprintf("topics[%d]", i)
		switch {
		case t == "":
			add(key, "empty")
		case len(t) > 249:
			add(key, "longer than 249 characters")
		case strings.Trim(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != "":
			add(key, "%q: a topic name has only letters, digits, '.', '_' and '-'", t)
		case seen[t]:
			add(key, "%q: listed twice", t)
		}
		seen[t] = true
	}
	if c.Group == "" {
		add("group", "empty: a consumer group id is required (instances in one group share the partitions)")
	}
	switch c.Start {
	case "", StartNewest, StartOldest:
	default:
		add("start", "%q: want newest or oldest", c.Start)
	}
	if c.SASL.enabled() {
		switch strings.ToUpper(c.SASL.Mechanism) {
		case "", MechanismPlain:
		default:
			add("sasl.mechanism", "%q: only PLAIN is supported", c.SASL.Mechanism)
		}
		if c.SASL.Username == "" {
			add("sasl.username", "empty (for CLS: the logset id)")
		}
		if c.SASL.Password == "" {
			add("sasl.password", "empty (for CLS: SecretId#SecretKey)")
		}
	}
	return fs
}
