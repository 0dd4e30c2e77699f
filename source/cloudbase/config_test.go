package cloudbase

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-viper/mapstructure/v2"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
)

func validConfig() Config {
	return Config{Name: "env", EnvID: "env-1a2b", Region: "ap-shanghai", SecretID: "AKIDid", SecretKey: "key"}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Config)
		want string // "" = valid
	}{
		{"defaults", func(*Config) {}, ""},
		{"endpoint url", func(c *Config) { c.Endpoint = "http://127.0.0.1:8080" }, ""},
		{"endpoint host", func(c *Config) { c.Endpoint = "tcb.ap-guangzhou.tencentcloudapi.com" }, ""},
		{"no name", func(c *Config) { c.Name = " " }, "name: required"},
		{"no env", func(c *Config) { c.EnvID = "" }, "env_id: required"},
		{"bad env", func(c *Config) { c.EnvID = "env 1" }, `env_id: "env 1" is not an environment id`},
		{"no region", func(c *Config) { c.Region = "" }, "region: required"},
		{"bad region", func(c *Config) { c.Region = "Shanghai" }, `region: "Shanghai" is not a region name`},
		{"half key", func(c *Config) { c.SecretKey = "" }, "secret_key: required when secret_id is set"},
		{"half id", func(c *Config) { c.SecretID = "" }, "secret_id: required when secret_key is set"},
		{"key and file", func(c *Config) { c.CredentialsFile = "/x" }, "credentials_file: set either"},
		{"endpoint path", func(c *Config) { c.Endpoint = "http://h/api" }, "endpoint: "},
		{"endpoint scheme", func(c *Config) { c.Endpoint = "ftp://h" }, "endpoint: "},
		{"poll", func(c *Config) { c.Poll = time.Millisecond }, "poll: 1ms is too short"},
		{"overlap", func(c *Config) { c.Overlap = -time.Second }, "overlap: must not be negative"},
		{"window", func(c *Config) { c.MaxWindow = time.Millisecond }, "max_window: "},
		{"backfill", func(c *Config) { c.Backfill = -time.Hour }, "backfill: must not be negative"},
		{"rate", func(c *Config) { c.RateLimit = 50 }, "rate_limit: 50 is out of range"},
		{"zone", func(c *Config) { c.TimeZone = "Mars/Base" }, `time_zone: "Mars/Base": unknown zone`},
		{"offset", func(c *Config) { c.TimeZone = "+25:00" }, "time_zone: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := validConfig()
			tc.edit(&c)
			err := c.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("unexpected: %v", err)
				}
				return
			}
			var fs Faults
			if !errors.As(err, &fs) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
	// All faults of a config at once.
	err := Config{}.Validate()
	var fs Faults
	if !errors.As(err, &fs) || len(fs) != 3 {
		t.Errorf("empty config: %v", err)
	}
}

func TestDecodeFromConfigMap(t *testing.T) {
	var c Config
	dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		Result: &c, ErrorUnused: true,
		DecodeHook: mapstructure.StringToTimeDurationHookFunc(),
	})
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]any{
		"name": "env", "env_id": "env-1a2b", "region": "ap-shanghai", "secret_id": "AKIDx", "secret_key": "k",
		"credentials_file": "", "query": "module:model", "use_lucene": false, "endpoint": "http://127.0.0.1:8080",
		"poll": "10s", "overlap": "30s", "max_window": "5m", "backfill": "1h", "rate_limit": 10, "time_zone": "UTC",
	}
	if err := dec.Decode(in); err != nil {
		t.Fatal(err)
	}
	if c.SecretKey != "k" || c.Poll != 10*time.Second || c.MaxWindow != 5*time.Minute || c.RateLimit != 10 {
		t.Errorf("decoded %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Error(err)
	}
}

func TestSecretsNeverPrinted(t *testing.T) {
	c := validConfig()
	c.SecretID, c.SecretKey = "AKIDsecret123", "keysecret456"
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("cfg", "cfg", c, "id", c.SecretID)
	js, _ := json.Marshal(c)
	for _, out := range []string{fmt.Sprintf("%v %+v %#v %s", c, c, c, c.SecretKey), buf.String(), string(js)} {
		if strings.Contains(out, "secret123") || strings.Contains(out, "secret456") {
			t.Errorf("secret printed: %s", out)
		}
	}
	if _, err := New(Config{Name: "x", EnvID: "env-1", Region: "ap-shanghai", SecretID: "AKIDsecret123"}, "", nil, nil); err == nil ||
		strings.Contains(err.Error(), "secret123") {
		t.Errorf("error: %v", err)
	}
}

func TestCredentials(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	os.Unsetenv("TENCENTCLOUD_CREDENTIALS_FILE")
	t.Setenv("TENCENTCLOUD_SECRET_ID", "")
	os.Unsetenv("TENCENTCLOUD_SECRET_ID")
	t.Setenv("TENCENTCLOUD_SECRET_KEY", "")
	os.Unsetenv("TENCENTCLOUD_SECRET_KEY")
	c := validConfig()
	c.SecretID, c.SecretKey = "", ""
	if _, err := c.credential(); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("none: %v", err)
	}
	// The default profile file.
	os.MkdirAll(filepath.Join(home, ".tencentcloud"), 0o700)
	os.WriteFile(filepath.Join(home, ".tencentcloud", "credentials"), []byte("[default]\nsecret_id = AKIDhome\nsecret_key = homekey\n"), 0o600)
	if cred, err := c.credential(); err != nil || cred.SecretId != "AKIDhome" {
		t.Errorf("profile file: %v %v", cred, err)
	}
	// The environment wins over the profile file.
	t.Setenv("TENCENTCLOUD_SECRET_ID", "AKIDenv")
	t.Setenv("TENCENTCLOUD_SECRET_KEY", "envkey")
	if cred, err := c.credential(); err != nil || cred.SecretId != "AKIDenv" || cred.SecretKey != "envkey" {
		t.Errorf("env: %v %v", cred, err)
	}
	// credentials_file wins over the environment.
	file := filepath.Join(t.TempDir(), "cred")
	os.WriteFile(file, []byte("; comment\n[other]\nsecret_id = no\n[default]\nsecret_id=AKIDfile\nsecret_key = filekey\n"), 0o600)
	c.CredentialsFile = file
	if cred, err := c.credential(); err != nil || cred.SecretId != "AKIDfile" || cred.SecretKey != "filekey" {
		t.Errorf("file: %v %v", cred, err)
	}
	os.WriteFile(file, []byte("[default]\nsecret_id = AKIDfile\nbroken line with filekey\n"), 0o600)
	if _, err := c.credential(); err == nil || !strings.Contains(err.Error(), file+":3:") || strings.Contains(err.Error(), "filekey") {
		t.Errorf("broken file: %v", err)
	}
	// The config's own key wins over everything.
	c.CredentialsFile = ""
	c.SecretID, c.SecretKey = "AKIDcfg", "cfgkey"
	if cred, err := c.credential(); err != nil || cred.SecretId != "AKIDcfg" {
		t.Errorf("config: %v %v", cred, err)
	}
}

func TestParseEventTime(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	want := time.Date(2026, 12, 2, 14, 30, 5, 0, cst)
	for _, tc := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2026-12-02 14:30:05", want, true},
		{"2026-12-02 14:30:05.250", want.Add(250 * time.Millisecond), true},
		{"2026-12-02T06:30:05Z", want, true},
		{"2026-12-02T14:30:05+08:00", want, true},
		{"1796193005", want, true},
		{"1796193005250", want.Add(250 * time.Millisecond), true},
		{"1796193005250000", want.Add(250 * time.Millisecond), true},
		{"", time.Time{}, false},
		{"yesterday", time.Time{}, false},
	} {
		got, ok := parseEventTime(tc.in, cst)
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("%q: got %s %v, want %s %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	utc, _ := loadZone("UTC")
	if got, _ := parseEventTime("2026-12-02 06:30:05", utc); !got.Equal(want) {
		t.Errorf("UTC zone: %s", got)
	}
	for _, name := range []string{"Asia/Shanghai", "+08:00", "-03:30", "UTC", "Local"} {
		if _, err := loadZone(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestStatePathIsSafe(t *testing.T) {
	if got := statePath("/s", "env"); got != "/s/cloudbase-env.json" {
		t.Errorf("plain: %s", got)
	}
	a, b := statePath("/s", "a/b"), statePath("/s", "a_b")
	if a == b || filepath.Dir(a) != "/s" {
		t.Errorf("unsafe names: %s %s", a, b)
	}
}

func TestClassify(t *testing.T) {
	c := &client{secrets: []string{"AKIDsecretid", "secretkey"}}
	ctx := context.Background()
	for _, tc := range []struct {
		err    error
		status int
		want   errKind
	}{
		{tcerr.NewTencentCloudSDKError("RequestLimitExceeded", "slow down", "r"), 200, kindThrottled},
		{tcerr.NewTencentCloudSDKError("RequestLimitExceeded.UinLimitExceeded", "", "r"), 200, kindThrottled},
		{tcerr.NewTencentCloudSDKError("ClientError.ParseJsonError", "<html>", ""), 502, kindServer},
		{tcerr.NewTencentCloudSDKError("ClientError.ParseJsonError", "<html>", ""), 429, kindThrottled},
		{tcerr.NewTencentCloudSDKError("InternalError.Unknown", "", "r"), 200, kindServer},
		{tcerr.NewTencentCloudSDKErrorWithCause("ClientError.NetworkError", "x", "", errors.New("reset")), 0, kindNetwork},
		{tcerr.NewTencentCloudSDKError("AuthFailure.SecretIdNotFound", "id AKIDsecretid unknown\nmore", "r"), 200, kindClient},
		{tcerr.NewTencentCloudSDKError("ClientError.ParseJsonError", "not found", ""), 404, kindClient},
		{errors.New("dial tcp: refused"), 0, kindNetwork},
	} {
		err := c.classify(ctx, tc.err, tc.status)
		var ae *apiError
		if !errors.As(err, &ae) || ae.kind != tc.want {
			t.Errorf("%v (HTTP %d): got %v, want kind %d", tc.err, tc.status, err, tc.want)
			continue
		}
		if strings.Contains(err.Error(), "AKIDsecretid") || strings.Contains(err.Error(), "more") {
			t.Errorf("message not cleaned: %v", err)
		}
	}
}
