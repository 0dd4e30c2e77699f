package catalog

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

// goodPlatform is one valid platform entry; the bad cases below change it.
const goodPlatform = `- id: wxcloud/504002-function-execution-failed
  source: platform
  family: wxcloud
  code: "-504002"
  messages: ["functions execute fail"]
  meaning_zh: 云函数执行失败
  meaning_en: the cloud function's execution failed
  severity: error
  remedy_zh: 查看云函数日志
  remedy_en: read the function's log
  docs: ["https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference/errcode.html"]
  examples: ["Error: errCode: -504002 functions execute fail | errMsg: boom"]
`

func loadPlatformFiles(t *testing.T, files map[string]string) (*Catalog, error) {
	t.Helper()
	good, err := os.ReadFile("data/errors-apis.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"errors-apis.yaml": {Data: good}}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return Load(fsys)
}

// Each bad platform file names the fault with the file and the line of
// the entry.
func TestLoadBadPlatform(t *testing.T) {
	second := strings.ReplaceAll(goodPlatform, "504002-function-execution-failed", "504001-function-call-failed")
	second = strings.ReplaceAll(second, `"-504002"`, `"-504001"`)
	tests := []struct {
		name, data, want string
	}{
		{"unknown key", goodPlatform + "  remedy: copied from the FAQ\n", `platform-bad.yaml:13:3: unknown key "remedy"`},
		{"empty remedy", strings.Replace(goodPlatform, "remedy_zh: 查看云函数日志", `remedy_zh: ""`, 1), `platform-bad.yaml:1: entry "wxcloud/504002-function-execution-failed": remedy_zh is empty`},
		{"empty english meaning", strings.Replace(goodPlatform, "meaning_en: the cloud function's execution failed", "meaning_en: ' '", 1), `meaning_en is empty`},
		{"no docs", strings.Replace(goodPlatform, `  docs: ["https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference/errcode.html"]`+"\n", "", 1), `platform-bad.yaml:1: entry "wxcloud/504002-function-execution-failed": docs: at least one link`},
		{"docs not a URL", strings.Replace(goodPlatform, "https://developers.weixin.qq.com", "developers.weixin.qq.com", 1), `want an https URL`},
		{"no example", strings.Replace(goodPlatform, `  examples: ["Error: errCode: -504002 functions execute fail | errMsg: boom"]`+"\n", "", 1), `examples: at least one log line`},
		{"empty example", strings.Replace(goodPlatform, `examples: ["Error`, `examples: ["", "Error`, 1), `example 1 is empty`},
		{"not marked platform", strings.Replace(goodPlatform, "source: platform", "source: faq", 1), `source "faq": platform entries say source: platform`},
		{"unknown family", strings.Replace(goodPlatform, "family: wxcloud", "family: lambda", 1), `family "lambda": want one of`},
		{"id outside its family", strings.Replace(goodPlatform, "family: wxcloud", "family: scf", 1), `does not start with its family "scf"`},
		{"bad severity", strings.Replace(goodPlatform, "severity: error", "severity: info", 1), `severity "info"`},
		{"two codes in one", strings.Replace(goodPlatform, `code: "-504002"`, `code: "-504002/-504003"`, 1), `code "-504002/-504003": want one code`},
		{"match with text and status", goodPlatform + "  match: [{text: \"Invoking task timed out\", status: 433, with: [x]}]\n", `match 1: want exactly one of text, status`},
		{"status without context", goodPlatform + "  match: [{status: 433}]\n", "a status needs `with`"},
		{"short match text", goodPlatform + "  match: [{text: \"fail\"}]\n", `too short to be specific`},
		{"unless without match", goodPlatform + "  unless_codes: [\"-504003\"]\n", `unless_codes only qualifies match`},
		{"bad placeholder", strings.Replace(goodPlatform, `messages: ["functions execute fail"]`, `messages: ["timed out after {x} seconds"]`, 1), `message 1: placeholder "{x}"`},
		{"duplicate id", goodPlatform + strings.Replace(goodPlatform, `code: "-504002"`, `code: "-504009"`, 1), `platform-bad.yaml:13: duplicate id "wxcloud/504002-function-execution-failed" (first at platform-bad.yaml:1)`},
		{"duplicate code", goodPlatform + strings.Replace(second, `code: "-504001"`, `code: "-504002"`, 1), `platform-bad.yaml:13: entry "wxcloud/504001-function-call-failed": duplicate code "-504002" (first at platform-bad.yaml:1)`},
		{"not a list", "id: x\n", `platform-bad.yaml:1: want a list of entries`},
		{"empty file", "", `platform-bad.yaml: empty file`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadPlatformFiles(t, map[string]string{"platform-bad.yaml": tt.data})
			if err == nil {
				t.Fatal("loaded without error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
	if _, err := loadPlatformFiles(t, map[string]string{"platform-good.yaml": goodPlatform + second}); err != nil {
		t.Errorf("good entries refused: %v", err)
	}
}

// A code in both tiers resolves to the FAQ row; the platform tier only
// adds codes the FAQ tables lack.
func TestFAQTierFirst(t *testing.T) {
	shadow := strings.ReplaceAll(goodPlatform, `"-504002"`, `"FnError.HTTP.NetworkError"`)
	c, err := loadPlatformFiles(t, map[string]string{"platform-x.yaml": shadow})
	if err != nil {
		t.Fatal(err)
	}
	rows := c.ByCode("FnError.HTTP.NetworkError")
	if len(rows) == 0 || rows[0].Source != SourceFAQ {
		t.Errorf("FnError.HTTP.NetworkError → %v, want the FAQ row", rows)
	}
	if e, _ := c.Resolve("FnError.HTTP.NetworkError", "anything"); e == nil || e.Source != SourceFAQ {
		t.Errorf("Resolve → %v, want the FAQ row", e)
	}
	if c.ByID("wxcloud/504002-function-execution-failed") == nil {
		t.Error("the shadowed platform entry is gone; it should stay reachable by id")
	}

	def := mustDefault(t)
	for _, code := range def.Codes() {
		rows := def.ByCode(code)
		if len(rows) == 0 {
			t.Errorf("code %s lists no entry", code)
			continue
		}
		for _, r := range rows[1:] {
			if r.Source != rows[0].Source {
				t.Errorf("code %s mixes tiers: %s and %s", code, rows[0].ID, r.ID)
			}
		}
	}
}

// The embedded platform tier: at least 60 codes, every entry with its own
// remedy in both languages, a docs link, an example and the platform
// marker, and none shadowed by the FAQ tier (its examples could never
// reach it).
func TestPlatformTier(t *testing.T) {
	c := mustDefault(t)
	plat := c.Platform()
	codes := 0
	families := map[string]int{}
	for _, e := range plat {
		codes += len(e.Codes())
		families[e.Domain]++
		if e.Source != SourcePlatform || e.Kind != KindErrorCode {
			t.Errorf("%s: source %q kind %q", e.ID, e.Source, e.Kind)
		}
		for _, f := range []struct{ name, v string }{{"meaning", e.Title("zh")}, {"meaning_en", e.Title("en")},
			{"remedy_zh", e.Remedy("zh")}, {"remedy_en", e.Remedy("en")}} {
			if strings.TrimSpace(f.v) == "" {
				t.Errorf("%s: %s is empty", e.ID, f.name)
			}
		}
		if len(e.Docs) == 0 || !strings.HasPrefix(e.Docs[0], "https://") {
			t.Errorf("%s: docs %v", e.ID, e.Docs)
		}
		if len(e.Examples) == 0 {
			t.Errorf("%s: no example", e.ID)
		}
		for _, code := range e.Codes() {
			if c.GenericRow(code) == e {
				// The generic row of a FAQ-tier code (generic-codes.yaml)
				// stands behind the code's rows instead of among them.
				continue
			}
			if rows := c.ByCode(code); len(rows) != 1 || rows[0] != e {
				t.Errorf("%s: code %s resolves to %v", e.ID, code, rows)
			}
			if len(c.BySignal(code)) > 0 {
				t.Errorf("%s: code %s is also a FAQ signal; the FAQ tier answers for it", e.ID, code)
			}
		}
		var b strings.Builder
		if err := c.WriteText(&b, e, "zh"); err != nil || !strings.Contains(b.String(), PlatformMarker["zh"]) || !strings.Contains(b.String(), e.Docs[0]) {
			t.Errorf("%s: text lacks the marker or docs: %q", e.ID, b.String())
		}
		b.Reset()
		if err := c.WriteText(&b, e, "en"); err != nil || !strings.Contains(b.String(), PlatformMarker["en"]) || !strings.Contains(b.String(), e.RemedyEn) {
			t.Errorf("%s: English text lacks the marker or remedy: %q", e.ID, b.String())
		}
	}
	if len(plat) < 60 || codes < 60 {
		t.Errorf("platform tier: %d entries, %d codes; want ≥ 60", len(plat), codes)
	}
	for f := range platformFamilies {
		if families[f] == 0 {
			t.Errorf("family %s has no entries", f)
		}
	}
	for _, e := range c.Entries() {
		if e.Source == "" {
			t.Errorf("%s has no source", e.ID)
		}
	}
	// The FAQ answer that is only a link no longer claims cloud-function
	// failures: the platform tier does.
	for _, code := range []string{"-504002", "-504003"} {
		if es := c.BySignal(code); len(es) > 0 {
			t.Errorf("%s is still a signal of %s", code, es[0].ID)
		}
		if rows := c.ByCode(code); len(rows) != 1 || rows[0].Source != SourcePlatform {
			t.Errorf("%s → %v", code, rows)
		}
	}
	if e := c.ByID("faq/weda-cloud-functions-usage"); e == nil || e.Loggable || len(e.Signals) > 0 {
		t.Errorf("faq/weda-cloud-functions-usage still has signals")
	}
	for _, code := range []string{"433", "TimeLimitReached", "434", "MemoryLimitReached", "430"} {
		if rows := c.ByCode(code); len(rows) != 1 || rows[0].Domain != "scf" {
			t.Errorf("%s → %v", code, rows)
		}
	}
	// SCF status numbers are for explain, not code vocabulary.
	for _, code := range c.Codes() {
		if code == "433" || code == "430" {
			t.Errorf("status number %s is in the code vocabulary", code)
		}
	}
	// Messages of the platform tier never identify an entry alone (their
	// match rules do that, with context).
	if e := c.ResolveMessage("Invoking task timed out after 3 seconds"); e != nil {
		t.Errorf("ResolveMessage → %s", e.ID)
	}
}
