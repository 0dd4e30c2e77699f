package kafka

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	ok := Config{Name: "fn", Brokers: []string{"kafkaconsumer-ap-shanghai.cls.tencentyun.com:9095"},
		Topics: []string{"out-a5ce0c9c"}, Group: "wedadiag",
		SASL: SASL{Mechanism: "PLAIN", Username: "logset", Password: "id#key"}}
	for _, tc := range []struct {
		name string
		edit func(*Config)
		want string // faults joined by "; "
	}{
		{"valid", func(*Config) {}, ""},
		{"no sasl", func(c *Config) { c.SASL = SASL{} }, ""},
		{"mechanism defaults", func(c *Config) { c.SASL.Mechanism = "" }, ""},
		{"lower-case mechanism", func(c *Config) { c.SASL.Mechanism = "plain" }, ""},
		{"oldest", func(c *Config) { c.Start = "oldest" }, ""},
		{"empty", func(c *Config) { *c = Config{} },
			"name: empty; brokers: no broker given (host:port); topics: no topic given; group: empty: a consumer group id is required (instances in one group share the partitions)"},
		{"bad brokers", func(c *Config) { c.Brokers = []string{"host", "h:0", ":9092", "h:x"} },
			`brokers[0]: "host" is not host:port; brokers[1]: port "0" is not a number from 1 to 65535; brokers[2]: ":9092" is not host:port; brokers[3]: port "x" is not a number from 1 to 65535`},
		{"bad topics", func(c *Config) { c.Topics = []string{"a", "", "a b", "a", strings.Repeat("x", 250)} },
			`topics[1]: empty; topics[2]: "a b": a topic name has only letters, digits, '.', '_' and '-'; topics[3]: "a": listed twice; topics[4]: longer than 249 characters`},
		{"start", func(c *Config) { c.Start = "earliest" }, `start: "earliest": want newest or oldest`},
		{"scram", func(c *Config) { c.SASL.Mechanism = "SCRAM-SHA-256" }, `sasl.mechanism: "SCRAM-SHA-256": only PLAIN is supported`},
		{"no password", func(c *Config) { c.SASL.Password = "" }, "sasl.password: empty (for CLS: SecretId#SecretKey)"},
		{"no user", func(c *Config) { c.SASL.Username = "" }, "sasl.username: empty (for CLS: the logset id)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			c.Brokers = append([]string(nil), ok.Brokers...)
			tc.edit(&c)
			var got []string
			for _, f := range c.Validate() {
				got = append(got, f.Error())
			}
			if g := strings.Join(got, "; "); g != tc.want {
				t.Errorf("faults:\n got %s\nwant %s", g, tc.want)
			}
			_, err := New(c, nil, nil)
			if (err == nil) != (tc.want == "") {
				t.Errorf("New error = %v", err)
			}
		})
	}
}

// The password never shows in logs, formatted values or faults.
func TestSecretsStayOut(t *testing.T) {
	c := Config{Name: "fn", Brokers: []string{"bad"}, SASL: SASL{Username: "u", Password: "AKIDsecret#key"}}
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("config", "sasl", c.SASL)
	_, err := New(c, nil, nil)
	out := b.String() + fmt.Sprint(c) + fmt.Sprintf("%+v %v", c.SASL, err)
	if strings.Contains(out, "AKIDsecret") {
		t.Errorf("password leaked: %s", out)
	}
}

// Out-of-order acks: the committed offset is the end of the acknowledged
// prefix, never past a record still in flight.
func TestPartitionPrefix(t *testing.T) {
	p := newPartition(1, "t", 0)
	p.setCommitted(10)
	for off := int64(10); off < 20; off++ {
		if skipped, ok := p.push(off, 0, 0); skipped != 0 || !ok {
			t.Fatalf("push %d: %d %v", off, skipped, ok)
		}
	}
	step := func(off int64, want int64) {
		t.Helper()
		p.ack(off)
		if got, _, ok := p.toCommit(); (ok && got != want) || (!ok && want != 10) {
			t.Errorf("after ack %d: commit %d (%v), want %d", off, got, ok, want)
		}
	}
	step(12, 10)
	step(11, 10)
	step(10, 13)
	step(19, 13)
	step(19, 13) // twice: no change
	step(99, 13) // unknown
	for off := int64(13); off < 19; off++ {
		p.ack(off)
	}
	if got, _, _ := p.toCommit(); got != 20 {
		t.Errorf("commit %d, want 20", got)
	}
	p.markSent(20)
	if _, _, ok := p.toCommit(); ok {
		t.Error("nothing new to commit, yet toCommit says so")
	}
	// A gap (records deleted before they were read) is counted and the
	// position moves over it once nothing is in flight.
	if skipped, _ := p.push(50, 0, 0); skipped != 30 {
		t.Errorf("skipped %d, want 30", skipped)
	}
	p.ack(50)
	if got, _, _ := p.toCommit(); got != 51 {
		t.Errorf("commit %d, want 51", got)
	}
	if _, ok := p.push(40, 0, 0); ok {
		t.Error("an offset going back was accepted")
	}
	if n := p.retire(); n != 0 {
		t.Errorf("retire: %d unacked", n)
	}
	if found, _ := p.ack(50); found {
		t.Error("ack after retire counted")
	}
}
