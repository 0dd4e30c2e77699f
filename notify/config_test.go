package notify

import (
	"strings"
	"testing"
	"time"
)

const weComURL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + weComKey

// TestValidate checks one fault per case, named by its key path, and that
// no secret is quoted.
func TestValidate(t *testing.T) {
	ok := Receiver{Name: "ops", Type: TypeWeCom, URL: weComURL}
	with := func(f func(r *Receiver)) Config {
		r := ok
		f(&r)
		return Config{Receivers: []Receiver{{Name: "am", Type: TypeAlertmanager, URL: "http://127.0.0.1:9093"}, r}}
	}
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"threshold", Config{Policy: Policy{Threshold: -1}}, "alerts.policy.threshold: must be 1 or more, got -1"},
		{"window", Config{Policy: Policy{Window: -time.Second}}, "alerts.policy.window: must not be negative, got -1s"},
		{"lang", Config{Lang: "fr"}, `alerts.lang: "fr": want zh or en`},
		{"override without matcher", Config{Policy: Policy{Overrides: []Override{{Threshold: 3}}}}, "alerts.policy.overrides[0]: needs at least one of id, code, domain, severity"},
		{"override severity", Config{Policy: Policy{Overrides: []Override{{Severity: "fatal"}}}}, `alerts.policy.overrides[0].severity: "fatal": want critical, error or warning`},
		{"external url", Config{ExternalURL: "host:9894"}, "alerts.external_url: want an absolute http or https URL"},
		{"no name", with(func(r *Receiver) { r.Name = "" }), "alerts.receivers[1].name: is empty"},
		{"bad name", with(func(r *Receiver) { r.Name = "ops team" }), `alerts.receivers[1].name: "ops team": use letters, digits, '_', '.' and '-'`},
		{"duplicate name", with(func(r *Receiver) { r.Name = "am" }), `alerts.receivers[1].name: "am" is also the name of alerts.receivers[0]`},
		{"type", with(func(r *Receiver) { r.Type = "slack" }), `alerts.receivers[1].type: "slack": want one of alertmanager, wecom, webhook, dingtalk, feishu`},
		{"no url", with(func(r *Receiver) { r.URL = "" }), "alerts.receivers[1].url: is empty"},
		{"relative url", with(func(r *Receiver) { r.URL = "qyapi.weixin.qq.com/send?key=" + weComKey }), "alerts.receivers[1].url: want an absolute http or https URL"},
		{"bad url", with(func(r *Receiver) { r.URL = "https://qyapi.weixin.qq.com/%zz?key=" + weComKey }), "alerts.receivers[1].url: not a valid URL"},
		{"wecom without key", with(func(r *Receiver) { r.URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send" }), "alerts.receivers[1].url: a WeCom robot URL carries its key"},
		{"dingtalk without token", with(func(r *Receiver) { r.Type = TypeDingTalk }), "alerts.receivers[1].url: a DingTalk robot URL carries its token"},
		{"feishu without hook", with(func(r *Receiver) { r.Type = TypeFeishu }), "alerts.receivers[1].url: a Feishu robot URL ends in its hook id"},
		{"headers on a robot", with(func(r *Receiver) { r.Headers = map[string]string{"X": "y"} }), "alerts.receivers[1].headers: only webhook and alertmanager receivers take headers"},
		{"secret on wecom", with(func(r *Receiver) { r.Secret = dingSecret }), "alerts.receivers[1].secret: only dingtalk and feishu robots sign requests"},
		{"receiver lang", with(func(r *Receiver) { r.Lang = "ja" }), `alerts.receivers[1].lang: "ja": want zh or en`},
		{"template missing", with(func(r *Receiver) { r.Template = "/nonexistent/wecom.tmpl" }), "alerts.receivers[1].template: open /nonexistent/wecom.tmpl: no such file or directory"},
		{"timeout", with(func(r *Receiver) { r.Timeout = -1 }), "alerts.receivers[1].timeout: must not be negative"},
		{"backoffs", with(func(r *Receiver) { r.MinBackoff, r.MaxBackoff = time.Minute, time.Second }), "alerts.receivers[1].min_backoff: 1m0s is more than max_backoff 1s"},
		{"queue size", with(func(r *Receiver) { r.QueueSize = -5 }), "alerts.receivers[1].queue_size: must be 1 or more, got -5"},
		{"resend on a robot", with(func(r *Receiver) { r.ResendInterval = time.Minute }), "alerts.receivers[1].resend_interval: only alertmanager receivers re-post firing alerts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
			if n := strings.Count(err.Error(), "\n") + 1; n != 1 {
				t.Errorf("%d faults, want 1: %v", n, err)
			}
			for _, s := range []string{weComKey, dingSecret} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("secret in %v", err)
				}
			}
		})
	}
}

// TestValidateAll reports every fault at once.
func TestValidateAll(t *testing.T) {
	err := Config{
		Policy:    Policy{Threshold: -1, ResolveAfter: -time.Minute},
		Receivers: []Receiver{{Type: "x"}},
	}.Validate()
	for _, want := range []string{"alerts.policy.threshold", "alerts.policy.resolve_after", "alerts.receivers[0].name", "alerts.receivers[0].type", "alerts.receivers[0].url"} {
		if err == nil || !strings.Contains(err.Error(), want+":") {
			t.Errorf("no fault for %s in %v", want, err)
		}
	}
}

// TestNewChecksCatalog refuses overrides naming what the catalog lacks.
func TestNewChecksCatalog(t *testing.T) {
	cfg := Config{Policy: Policy{Overrides: []Override{
		{ID: "datasource/flexdb-resource-overdue", Threshold: 2},
		{ID: "datasource/no-such-entry"},
		{Code: "UserError.NoSuchCode"},
		{Domain: "nowhere"},
	}}}
	_, err := New(cfg, testCatalog(t), nil, nil, nil)
	for _, want := range []string{
		`alerts.policy.overrides[1].id: "datasource/no-such-entry" is not in the catalog`,
		`alerts.policy.overrides[2].code: "UserError.NoSuchCode" is not in the catalog`,
		`alerts.policy.overrides[3].domain: "nowhere" is no catalog domain or FAQ section`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in %v", want, err)
		}
	}
	if err != nil && strings.Contains(err.Error(), "overrides[0]") {
		t.Errorf("a valid override refused: %v", err)
	}
}

// TestDefaults lists the defaults, per receiver type.
func TestDefaults(t *testing.T) {
	c := Config{Lang: "en", Receivers: []Receiver{
		{Type: TypeWeCom}, {Type: TypeDingTalk, Lang: "zh"}, {Type: TypeFeishu}, {Type: TypeAlertmanager}, {Type: TypeWebhook, QueueSize: 7},
	}}.WithDefaults()
	p := c.Policy
	if p.Threshold != 1 || p.Window != 5*time.Minute || p.GroupWait != 10*time.Second || p.RepeatInterval != time.Hour || p.ResolveAfter != 10*time.Minute || c.FlushTimeout != 5*time.Second {
		t.Errorf("policy defaults %+v, flush %s", p, c.FlushTimeout)
	}
	for i, want := range []struct {
		lang      string
		perMinute int
		resend    time.Duration
		queue     int
	}{{"en", 20, 0, 100}, {"zh", 20, 0, 100}, {"en", 100, 0, 100}, {"en", 0, time.Minute, 100}, {"en", 0, 0, 7}} {
		r := c.Receivers[i]
		if r.Lang != want.lang || r.MaxPerMinute != want.perMinute || r.ResendInterval != want.resend || r.QueueSize != want.queue ||
			r.Timeout != 10*time.Second || r.MinBackoff != 500*time.Millisecond || r.MaxBackoff != 30*time.Second || r.GiveUpAfter != 10*time.Minute {
			t.Errorf("receiver %d (%s): %+v", i, r.Type, r)
		}
	}
}
