package config

import (
	"fmt"
	"testing"
	"time"
)

// TestLoadSources loads the config contract block as it is
// written there (the README and DESIGN.md carry the same keys).
func TestLoadSources(t *testing.T) {
	c, err := Load(Options{File: "testdata/sources.yaml", Env: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sources) != 3 {
		t.Fatalf("sources: %+v", c.Sources)
	}
	k := c.Sources[0].Kafka()
	if c.Sources[0].Type != SourceKafka || k.Group != "wedadiag" || k.Topics[0] != "cls-topic" ||
		k.SASL.Username != "<logset id>" || k.SASL.Password != "<SecretId>#<SecretKey>" || k.Start != "newest" {
		t.Errorf("kafka: %+v", k)
	}
	cb := c.Sources[1].CloudBase()
	if c.Sources[1].Type != SourceCloudBase || cb.EnvID != "env-1a2b3c" || cb.Region != "ap-shanghai" || cb.Poll != 10*time.Second {
		t.Errorf("cloudbase: %+v", cb)
	}
	if c.Sources[2].Type != SourceFile || c.Sources[2].Paths[0] != "/var/log/pods/*/*/*.log" {
		t.Errorf("file: %+v", c.Sources[2])
	}
}

// TestSourceSecretsHidden: printing a loaded config shows no password.
func TestSourceSecretsHidden(t *testing.T) {
	c, err := Load(Options{File: "testdata/sources.yaml", Env: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"%v", "%+v", "%#v"} {
		if s := fmt.Sprintf(f, c.Sources[0]); contains(s, "<SecretKey>") {
			t.Errorf("%s shows the password: %s", f, s)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
