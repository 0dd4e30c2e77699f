package notify

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/internal/yamlpos"
)

// Config is the `alerts:` block of the daemon's configuration. Zero values
// take the defaults listed on each field; Validate names every fault by its
// key path (alerts.receivers[1].url: …).
type Config struct {
	// Lang is the language of receivers that set none: zh (default) or en.
	Lang      string     `yaml:"lang" mapstructure:"lang"`
	Policy    Policy     `yaml:"policy" mapstructure:"policy"`
	Receivers []Receiver `yaml:"receivers" mapstructure:"receivers"`
	// ExternalURL is the base URL of wedadiag's status page, used for
	// generatorURL and the links in messages (e.g. http://host:9894/).
	ExternalURL string `yaml:"external_url" mapstructure:"external_url"`
	// StateDir holds alerts.json, the alert state kept across restarts; ""
	// keeps it in memory only.
	StateDir string `yaml:"state_dir" mapstructure:"state_dir"`
	// FlushTimeout bounds delivery of what is queued when Run stops
	// (default 5s); what is left is dropped and counted.
	FlushTimeout time.Duration `yaml:"flush_timeout" mapstructure:"flush_timeout"`
	// Location is the zone alert messages show times in (nil: the
	// machine's); set from the top-level timezone setting.
	Location *time.Location `yaml:"-" mapstructure:"-"`
}

// Policy decides when an alert fires, repeats and resolves. An alert is one
// catalog entry seen in one source.
type Policy struct {
	// Threshold is how many occurrences within Window make an alert fire
	// (default 1). Entries of severity critical fire on their first
	// occurrence whatever Threshold says; error and warning entries use
	// Threshold. Overrides change either.
	Threshold int `yaml:"threshold" mapstructure:"threshold"`
	// Window is the span occurrences are counted over (default 5m).
	Window time.Duration `yaml:"window" mapstructure:"window"`
	// GroupWait is how long to wait after a first alert changes before
	// sending, so that alerts that change together go out in one message
	// per receiver (default 10s).
	GroupWait time.Duration `yaml:"group_wait" mapstructure:"group_wait"`
	// RepeatInterval is how long a firing alert waits before it is sent
	// again (default 1h).
	RepeatInterval time.Duration `yaml:"repeat_interval" mapstructure:"repeat_interval"`
	// ResolveAfter is how long a firing alert must go without occurrences
	// before it resolves and the resolution is sent (default 10m).
	ResolveAfter time.Duration `yaml:"resolve_after" mapstructure:"resolve_after"`
	// Overrides change the policy for some entries, matched by id, code,
	// domain or severity.
	Overrides []Override `yaml:"overrides" mapstructure:"overrides"`
}

// Override changes the policy of the catalog entries it matches. Every
// matcher that is set must match; at least one must be set. When several
// overrides match an entry they apply from the least specific (severity)
// through domain and code to the most specific (id), in file order within
// each level, each setting only the fields it gives.
type Override struct {
	ID       string `yaml:"id" mapstructure:"id"`
	Code     string `yaml:"code" mapstructure:"code"` // the code or one of its aliases
	Domain   string `yaml:"domain" mapstructure:"domain"`
	Severity string `yaml:"severity" mapstructure:"severity"`

	Threshold      int           `yaml:"threshold" mapstructure:"threshold"`
	Window         time.Duration `yaml:"window" mapstructure:"window"`
	RepeatInterval time.Duration `yaml:"repeat_interval" mapstructure:"repeat_interval"`
	ResolveAfter   time.Duration `yaml:"resolve_after" mapstructure:"resolve_after"`
	// Disabled stops the matched entries from alerting at all (a firing
	// one resolves after ResolveAfter).
	Disabled bool `yaml:"disabled" mapstructure:"disabled"`
}

// Receiver types.
const (
	TypeAlertmanager = "alertmanager"
	TypeWebhook      = "webhook"
	TypeWeCom        = "wecom"
	TypeDingTalk     = "dingtalk"
	TypeFeishu       = "feishu"
)

var receiverTypes = []string{TypeAlertmanager, TypeWeCom, TypeWebhook, TypeDingTalk, TypeFeishu}

// Receiver is one destination of alerts, with its own queue and worker.
type Receiver struct {
	// Name identifies the receiver in metrics (receiver label), logs and
	// `wedadiag alert test --receiver`.
	Name string `yaml:"name" mapstructure:"name"`
	// Type is alertmanager, wecom, webhook, dingtalk or feishu.
	Type string `yaml:"type" mapstructure:"type"`
	// URL is Alertmanager's base URL (/api/v2/alerts is added), the robot's
	// webhook address (its key or token included) or the webhook's URL. It
	// is a secret: it never appears in logs, errors or metrics.
	URL string `yaml:"url" mapstructure:"url"`
	// Headers are added to every request (webhook and alertmanager only).
	// Their values are treated as secrets.
	Headers map[string]string `yaml:"headers" mapstructure:"headers"`
	// Secret signs DingTalk and Feishu robot requests (加签 / 签名校验).
	Secret string `yaml:"secret" mapstructure:"secret"`
	// Lang is the language of the text: zh (the FAQ verbatim) or en;
	// default alerts.lang, else zh.
	Lang string `yaml:"lang" mapstructure:"lang"`
	// Template is a Go text/template file whose {{define}} blocks replace
	// the embedded ones of the same name (see templates/zh.tmpl).
	Template string `yaml:"template" mapstructure:"template"`
	// Timeout bounds one delivery attempt (default 10s).
	Timeout time.Duration `yaml:"timeout" mapstructure:"timeout"`
	// QueueSize bounds the messages waiting for this receiver (default
	// 100); when full the oldest is dropped and counted.
	QueueSize int `yaml:"queue_size" mapstructure:"queue_size"`
	// MinBackoff and MaxBackoff bound the wait between attempts, which
	// doubles from MinBackoff with jitter (defaults 500ms, 30s).
	MinBackoff time.Duration `yaml:"min_backoff" mapstructure:"min_backoff"`
	MaxBackoff time.Duration `yaml:"max_backoff" mapstructure:"max_backoff"`
	// GiveUpAfter is how long a message is retried before it is counted
	// failed (default 10m).
	GiveUpAfter time.Duration `yaml:"give_up_after" mapstructure:"give_up_after"`
	// MaxPerMinute caps the messages sent per minute; more are queued and
	// merged (default 20 for wecom and dingtalk, 100 for feishu, no cap for
	// the others).
	MaxPerMinute int `yaml:"max_per_minute" mapstructure:"max_per_minute"`
	// ResendInterval is how often firing alerts are posted again to
	// Alertmanager, which expects it (alertmanager only; default 1m).
	ResendInterval time.Duration `yaml:"resend_interval" mapstructure:"resend_interval"`
}

// Defaults.
const (
	DefaultLang           = "zh"
	DefaultThreshold      = 1
	DefaultWindow         = 5 * time.Minute
	DefaultGroupWait      = 10 * time.Second
	DefaultRepeatInterval = time.Hour
	DefaultResolveAfter   = 10 * time.Minute
	DefaultFlushTimeout   = 5 * time.Second

	DefaultTimeout        = 10 * time.Second
	DefaultQueueSize      = 100
	DefaultMinBackoff     = 500 * time.Millisecond
	DefaultMaxBackoff     = 30 * time.Second
	DefaultGiveUpAfter    = 10 * time.Minute
	DefaultResendInterval = time.Minute
)

// WithDefaults returns c with every zero value replaced by its default.
func (c Config) WithDefaults() Config {
	p := &c.Policy
	if p.Threshold == 0 {
		p.Threshold = DefaultThreshold
	}
	if p.Window == 0 {
		p.Window = DefaultWindow
	}
	if p.GroupWait == 0 {
		p.GroupWait = DefaultGroupWait
	}
	if p.RepeatInterval == 0 {
		p.RepeatInterval = DefaultRepeatInterval
	}
	if p.ResolveAfter == 0 {
		p.ResolveAfter = DefaultResolveAfter
	}
	if c.FlushTimeout == 0 {
		c.FlushTimeout = DefaultFlushTimeout
	}
	if c.Lang == "" {
		c.Lang = DefaultLang
	}
	rs := make([]Receiver, len(c.Receivers))
	for i, r := range c.Receivers {
		if r.Lang == "" {
			r.Lang = c.Lang
		}
		rs[i] = r.withDefaults()
	}
	c.Receivers = rs
	return c
}

func (r Receiver) withDefaults() Receiver {
	if r.Lang == "" {
		r.Lang = DefaultLang
	}
	if r.Timeout == 0 {
		r.Timeout = DefaultTimeout
	}
	if r.QueueSize == 0 {
		r.QueueSize = DefaultQueueSize
	}
	if r.MinBackoff == 0 {
		r.MinBackoff = DefaultMinBackoff
	}
	if r.MaxBackoff == 0 {
		r.MaxBackoff = DefaultMaxBackoff
	}
	if r.GiveUpAfter == 0 {
		r.GiveUpAfter = DefaultGiveUpAfter
	}
	if r.MaxPerMinute == 0 {
		switch r.Type {
		case TypeWeCom, TypeDingTalk:
			r.MaxPerMinute = 20
		case TypeFeishu:
			r.MaxPerMinute = 100
		}
	}
	if r.ResendInterval == 0 && r.Type == TypeAlertmanager {
		r.ResendInterval = DefaultResendInterval
	}
	return r
}

var receiverName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`) })

// Validate reports every fault of the configuration as yamlpos.Faults, each
// naming its key path (alerts.receivers[1].url), so that a caller can add
// the file position. Secrets are never quoted. A template file is read and
// parsed.
func (c Config) Validate() error {
	var errs yamlpos.Faults
	add := errs.Add
	p := c.Policy
	nonNeg := func(path string, d time.Duration) {
		if d < 0 {
			add(path, "must not be negative, got %s", d)
		}
	}
	if c.Lang != "" && c.Lang != "zh" && c.Lang != "en" {
		add("alerts.lang", "%q: want zh or en", c.Lang)
	}
	if p.Threshold < 0 {
		add("alerts.policy.threshold", "must be 1 or more, got %d", p.Threshold)
	}
	nonNeg("alerts.policy.window", p.Window)
	nonNeg("alerts.policy.group_wait", p.GroupWait)
	nonNeg("alerts.policy.repeat_interval", p.RepeatInterval)
	nonNeg("alerts.policy.resolve_after", p.ResolveAfter)
	nonNeg("alerts.flush_timeout", c.FlushTimeout)
	for i, o := range p.Overrides {
		path := fmt.Sprintf("alerts.policy.overrides[%d]", i)
		if o.ID == "" && o.Code == "" && o.Domain == "" && o.Severity == "" {
			add(path, "needs at least one of id, code, domain, severity")
		}
		if o.Severity != "" && catalog.Severity(o.Severity).Rank() > 2 {
			add(path+".severity", "%q: want critical, error or warning", o.Severity)
		}
		if o.Threshold < 0 {
			add(path+".threshold", "must be 1 or more, got %d", o.Threshold)
		}
		nonNeg(path+".window", o.Window)
		nonNeg(path+".repeat_interval", o.RepeatInterval)
		nonNeg(path+".resolve_after", o.ResolveAfter)
	}
	if c.ExternalURL != "" {
		if u, err := url.Parse(c.ExternalURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			add("alerts.external_url", "want an absolute http or https URL")
		}
	}
	names := map[string]int{}
	for i, r := range c.Receivers {
		path := fmt.Sprintf("alerts.receivers[%d]", i)
		switch {
		case r.Name == "":
			add(path+".name", "is empty")
		case !receiverName().MatchString(r.Name):
			add(path+".name", "%q: use letters, digits, '_', '.' and '-'", r.Name)
		default:
			if j, ok := names[r.Name]; ok {
				add(path+".name", "%q is also the name of alerts.receivers[%d]", r.Name, j)
			}
			names[r.Name] = i
		}
		if r.Lang == "" {
			r.Lang = c.Lang
		}
		errs = append(errs, r.validate(path)...)
	}
	return errs.Err()
}

func (r Receiver) validate(path string) yamlpos.Faults {
	var errs yamlpos.Faults
	add := func(key, format string, a ...any) { errs.Add(path+"."+key, format, a...) }
	known := false
	for _, t := range receiverTypes {
		known = known || r.Type == t
	}
	if !known {
		add("type", "%q: want one of %s", r.Type, strings.Join(receiverTypes, ", "))
	}
	robot := r.Type == TypeWeCom || r.Type == TypeDingTalk || r.Type == TypeFeishu
	if r.URL == "" {
		add("url", "is empty")
	} else if u, err := url.Parse(r.URL); err != nil {
		// url.Parse quotes the URL in its error: say only what is wrong.
		add("url", "not a valid URL")
	} else if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		add("url", "want an absolute http or https URL")
	} else {
		switch r.Type {
		case TypeWeCom:
			if u.Query().Get("key") == "" {
				add("url", "a WeCom robot URL carries its key: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…")
			}
		case TypeDingTalk:
			if u.Query().Get("access_token") == "" {
				add("url", "a DingTalk robot URL carries its token: https://oapi.dingtalk.com/robot/send?access_token=…")
			}
		case TypeFeishu:
			if !strings.Contains(u.Path, "/hook/") {
				add("url", "a Feishu robot URL ends in its hook id: https://open.feishu.cn/open-apis/bot/v2/hook/…")
			}
		}
	}
	if len(r.Headers) > 0 && robot {
		add("headers", "only webhook and alertmanager receivers take headers")
	}
	if r.Secret != "" && r.Type != TypeDingTalk && r.Type != TypeFeishu {
		add("secret", "only dingtalk and feishu robots sign requests (a WeCom robot's key is in its url)")
	}
	if r.Lang != "" && r.Lang != "zh" && r.Lang != "en" {
		add("lang", "%q: want zh or en", r.Lang)
	}
	if r.Template != "" {
		if _, err := loadTemplates(langOr(r.Lang), r.Template); err != nil {
			add("template", "%v", err)
		}
	}
	for _, d := range []struct {
		key string
		v   time.Duration
	}{{"timeout", r.Timeout}, {"min_backoff", r.MinBackoff}, {"max_backoff", r.MaxBackoff}, {"give_up_after", r.GiveUpAfter}, {"resend_interval", r.ResendInterval}} {
		if d.v < 0 {
			add(d.key, "must not be negative, got %s", d.v)
		}
	}
	if r.MinBackoff > 0 && r.MaxBackoff > 0 && r.MinBackoff > r.MaxBackoff {
		add("min_backoff", "%s is more than max_backoff %s", r.MinBackoff, r.MaxBackoff)
	}
	if r.QueueSize < 0 {
		add("queue_size", "must be 1 or more, got %d", r.QueueSize)
	}
	if r.MaxPerMinute < 0 {
		add("max_per_minute", "must not be negative, got %d", r.MaxPerMinute)
	}
	if r.ResendInterval != 0 && r.Type != TypeAlertmanager && known {
		add("resend_interval", "only alertmanager receivers re-post firing alerts")
	}
	return errs
}

func langOr(l string) string {
	if l == "" {
		return "zh"
	}
	return l
}

// rule is the policy of one catalog entry after overrides.
type rule struct {
	Threshold      int
	Window         time.Duration
	RepeatInterval time.Duration
	ResolveAfter   time.Duration
	Disabled       bool
}

// ruleFor applies the policy and its overrides to one entry. p has its
// defaults.
func ruleFor(p Policy, e *catalog.Entry) rule {
	r := rule{Threshold: p.Threshold, Window: p.Window, RepeatInterval: p.RepeatInterval, ResolveAfter: p.ResolveAfter}
	if e.Severity == catalog.Critical {
		r.Threshold = 1
	}
	for level := 0; level < 4; level++ {
		for _, o := range p.Overrides {
			if o.level() != level || !o.matches(e) {
				continue
			}
			if o.Threshold > 0 {
				r.Threshold = o.Threshold
			}
			if o.Window > 0 {
				r.Window = o.Window
			}
			if o.RepeatInterval > 0 {
				r.RepeatInterval = o.RepeatInterval
			}
			if o.ResolveAfter > 0 {
				r.ResolveAfter = o.ResolveAfter
			}
			if o.Disabled {
				r.Disabled = true
			}
		}
	}
	return r
}

// level ranks an override by its most specific matcher: severity 0,
// domain 1, code 2, id 3.
func (o Override) level() int {
	switch {
	case o.ID != "":
		return 3
	case o.Code != "":
		return 2
	case o.Domain != "":
		return 1
	}
	return 0
}

func (o Override) matches(e *catalog.Entry) bool {
	if o.ID != "" && o.ID != e.ID {
		return false
	}
	if o.Domain != "" && o.Domain != e.Domain {
		return false
	}
	if o.Severity != "" && o.Severity != string(e.Severity) {
		return false
	}
	if o.Code != "" {
		found := false
		for _, c := range e.Codes() {
			found = found || c == o.Code
		}
		if !found {
			return false
		}
	}
	return true
}

// checkCatalog reports overrides that name an id, code or domain the
// catalog does not have: a typo would otherwise silently match nothing.
func (p Policy) checkCatalog(cat *catalog.Catalog) error {
	var errs []error
	domains := map[string]bool{}
	for _, e := range cat.Entries() {
		domains[e.Domain] = true
	}
	for i, o := range p.Overrides {
		path := fmt.Sprintf("alerts.policy.overrides[%d]", i)
		if o.ID != "" && cat.ByID(o.ID) == nil {
			errs = append(errs, fmt.Errorf("%s.id: %q is not in the catalog (see `wedadiag catalog`)", path, o.ID))
		}
		if o.Code != "" && len(cat.ByCode(o.Code)) == 0 {
			errs = append(errs, fmt.Errorf("%s.code: %q is not in the catalog (see `wedadiag catalog`)", path, o.Code))
		}
		if o.Domain != "" && !domains[o.Domain] {
			errs = append(errs, fmt.Errorf("%s.domain: %q is no catalog domain or FAQ section", path, o.Domain))
		}
	}
	return errors.Join(errs...)
}
