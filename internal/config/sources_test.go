package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
		if s := fmt.Sprintf(f, c.Sources[0]); strings.Contains(s, "<SecretKey>") {
			t.Errorf("%s shows the password: %s", f, s)
		}
	}
}

// TestREADMESources: the README's sources block has the keys of the
// issue's contract block, in its order, and loads as it is.
func TestREADMESources(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	contract, err := os.ReadFile("testdata/sources.yaml")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	i := strings.Index(readme, "```yaml\nsources:\n  - name: fn")
	if i < 0 {
		t.Fatal("no sources block in README.md")
	}
	block := readme[i+len("```yaml\n"):]
	block = block[:strings.Index(block, "```")]
	keys := func(s string) []string {
		var out []string
		for _, l := range strings.Split(s, "\n") {
			if k, _, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "- ")), ":"); ok && !strings.HasPrefix(k, "#") {
				out = append(out, k)
			}
		}
		return out
	}
	if got, want := keys(block), keys(string(contract)); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("README keys %v\nwant %v", got, want)
	}
	path := filepath.Join(t.TempDir(), "readme.yaml")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(block, `"<env id>"`, `"env-1a2b3c"`)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(Options{File: path, Env: noEnv}); err != nil {
		t.Errorf("README's sources block: %v", err)
	}
}
