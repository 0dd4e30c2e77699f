package main

import (
	"encoding/json"
	"testing"
)

// explain "<free text>" uses the daemon's text matcher and threshold: a
// description of a FAQ problem names it with match "text" and a score;
// words the catalog shares with everything name nothing and fall back to
// the ranked search.
func TestExplainTextMatcher(t *testing.T) {
	code, out, errs := runCLI(t, "", "explain", "--format", "json", "小程序主包超过 2MB 无法上传")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res struct {
		Match   string  `json:"match"`
		Score   float64 `json:"score"`
		Matches []struct {
			ID string `json:"id"`
		} `json:"matches"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Match != "text" || res.Score <= 0 || len(res.Matches) == 0 || res.Matches[0].ID != "faq/mp-main-package-over-limit" {
		t.Errorf("got %+v", res)
	}
	_, out, _ = runCLI(t, "", "explain", "--format", "json", "操作失败")
	res.Match = ""
	_ = json.Unmarshal([]byte(out), &res)
	if res.Match == "text" {
		t.Errorf("操作失败 text-matched: %s", out)
	}
}
