package notify

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestREADMEConfig decodes every `alerts:` YAML block of the alerting
// README (notify/README.md, or the repository's README.md once it moved
// there) and builds a Notifier from it: the configuration shown works.
func TestREADMEConfig(t *testing.T) {
	var blocks []string
	block := regexp.MustCompile("(?s)```yaml\n(alerts:.*?)```")
	for _, path := range []string{"README.md", "../README.md"} {
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		for _, m := range block.FindAllStringSubmatch(string(data), -1) {
			blocks = append(blocks, m[1])
		}
	}
	if len(blocks) < 2 {
		t.Fatalf("found %d alerts: blocks in notify/README.md and README.md, want the policy and the receivers", len(blocks))
	}
	for i, b := range blocks {
		var doc struct{ Alerts Config }
		dec := yaml.NewDecoder(strings.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(&doc); err != nil {
			t.Errorf("block %d: %v\n%s", i, err, b)
			continue
		}
		if _, err := New(doc.Alerts, testCatalog(t), nil, nil, nil); err != nil {
			t.Errorf("block %d: %v\n%s", i, err, b)
		}
	}
}

// TestREADMEWeComExample keeps the README's WeCom message the one the
// golden test checks.
func TestREADMEWeComExample(t *testing.T) {
	want, err := os.ReadFile("testdata/golden/wecom.md")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)```markdown\n(.*?)```")
	for _, path := range []string{"README.md", "../README.md"} {
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		for _, m := range block.FindAllStringSubmatch(string(data), -1) {
			if strings.Contains(m[1], "wedadiag 告警") {
				if m[1] != string(want) {
					t.Errorf("%s: the WeCom example differs from testdata/golden/wecom.md; copy it over", path)
				}
				return
			}
		}
	}
	t.Fatal("no WeCom example in notify/README.md or README.md")
}
