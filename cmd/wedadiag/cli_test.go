package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wedadiag/wedadiag/internal/testutil/golden"
)

// runCLI runs the CLI in-process and returns its exit code and output.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// utc makes times without a zone (taken as local time) read as UTC, so
// golden files do not depend on the machine's zone.
func utc(t *testing.T) {
	old := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = old })
}

// examples are the bundled example logs, in a fixed order.
func examples(t *testing.T) []string {
	files, err := filepath.Glob("../../configs/examples/*.log")
	if err != nil || len(files) == 0 {
		t.Fatalf("no example logs: %v", err)
	}
	return files
}

// TestScanGolden pins the three formats of scan on the example logs in
// both languages: the diagnoses, their remedies, samples and unmatched
// templates.
func TestScanGolden(t *testing.T) {
	utc(t)
	for _, tc := range []struct{ format, lang, file string }{
		{"json", "zh", "examples.json"},
		{"text", "zh", "examples.txt"},
		{"markdown", "zh", "examples.md"},
		{"text", "en", "examples.en.txt"},
		{"markdown", "en", "examples.en.md"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			args := append([]string{"scan", "--format", tc.format, "--lang", tc.lang}, examples(t)...)
			code, out, errs := runCLI(t, "", args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			out = strings.ReplaceAll(out, "../../configs/examples/", "configs/examples/")
			golden.Check(t, filepath.Join("testdata", "scan", tc.file), []byte(out))
		})
	}
}

type scanReport struct {
	Files     []string `json:"files"`
	Lines     int      `json:"lines"`
	Records   int      `json:"records"`
	Diagnoses []struct {
		ID, Kind, Code, Message, Question, Domain, Severity string
		Count                                               int
		FirstSeen                                           string   `json:"first_seen"`
		LastSeen                                            string   `json:"last_seen"`
		Sources, Docs, Related, Samples                     []string `json:""`
		Title, Remedy                                       string
	} `json:"diagnoses"`
	Unmatched []struct {
		Template string `json:"template"`
		Count    int    `json:"count"`
		Sample   string `json:"sample"`
	} `json:"unmatched"`
}

func scanReportOf(t *testing.T, stdin string, args ...string) scanReport {
	t.Helper()
	code, out, errs := runCLI(t, stdin, append([]string{"scan", "--format", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r scanReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("scan --format json is not JSON: %v\n%s", err, out)
	}
	return r
}

// The JSON follows DESIGN.md: the keys and their meaning.
func TestScanJSONContract(t *testing.T) {
	utc(t)
	r := scanReportOf(t, "", "../../configs/examples/app.log")
	if r.Lines != 26 || r.Records != 17 || len(r.Files) != 1 {
		t.Errorf("lines %d records %d files %v", r.Lines, r.Records, r.Files)
	}
	var flexdb bool
	for _, d := range r.Diagnoses {
		if d.ID == "datasource/flexdb-resource-overdue" {
			flexdb = true
			if d.Kind != "error_code" || d.Code != "FailedOperation.FlexdbResourceOverdue" || d.Count != 2 ||
				d.Severity != "critical" || d.Domain != "datasource" || d.Remedy != "Flexdb 读写次数到期。建议客户升级套餐" ||
				!strings.HasPrefix(d.Message, "数据库资源到期") || d.FirstSeen != "2024-06-21T00:00:03.554Z" || len(d.Samples) != 2 {
				t.Errorf("flexdb diagnosis: %+v", d)
			}
		}
	}
	if !flexdb {
		t.Error("FlexdbResourceOverdue not diagnosed")
	}
}

// A benign log — INFO traffic, errors=0, ids holding the digits of codes,
// words that start like codes — yields no diagnosis and no unmatched error.
func TestScanBenign(t *testing.T) {
	r := scanReportOf(t, "", "../../configs/examples/benign.log")
	if len(r.Diagnoses) != 0 || len(r.Unmatched) != 0 {
		t.Errorf("benign log diagnosed: %+v", r)
	}
}

// Standard input, gzip, --source, and exit codes.
func TestScanInputsAndExitCodes(t *testing.T) {
	line := `{"Response":{"Error":{"Code":"UserError.DsNotFound","Message":"找不到数据源order，或该数据源未正确更新"},"RequestId":"r1"}}` + "\n"
	r := scanReportOf(t, line, "--source", "fn", "-")
	if len(r.Diagnoses) != 1 || r.Diagnoses[0].ID != "apis/ds-not-found" || r.Diagnoses[0].Sources[0] != "fn" {
		t.Fatalf("stdin: %+v", r.Diagnoses)
	}
	dir := t.TempDir()
	gz := filepath.Join(dir, "app.log.1.gz")
	writeGzip(t, gz, strings.Repeat(line, 3))
	r = scanReportOf(t, "", gz)
	if len(r.Diagnoses) != 1 || r.Diagnoses[0].Count != 3 {
		t.Fatalf("gzip: %+v", r.Diagnoses)
	}
	if code, _, errs := runCLI(t, "", "scan", filepath.Join(dir, "missing.log")); code != 1 || !strings.Contains(errs, "missing.log") {
		t.Errorf("missing file: exit %d, %q", code, errs)
	}
	if code, _, _ := runCLI(t, "", "scan"); code != 2 {
		t.Errorf("no file: exit %d, want 2", code)
	}
	if code, _, _ := runCLI(t, "", "scan", "--format", "yaml", gz); code != 2 {
		t.Errorf("bad format: exit %d, want 2", code)
	}
	// A source of JSON records: a line that is no object is broken, and a
	// truncated object is counted even though nothing in it is an error.
	code, out, _ := runCLI(t, "plain text\n{\"level\":\"info\",\"msg\":\"x\"\n{\"level\":\"info\"}\n", "scan", "--input", "json", "--format", "json", "-")
	if code != 0 || !strings.Contains(out, `"broken_json": 2`) {
		t.Errorf("--input json: exit %d\n%s", code, out)
	}
	if code, _, _ := runCLI(t, "", "scan", "--input", "xml", gz); code != 2 {
		t.Errorf("bad input format: exit %d, want 2", code)
	}
}

func TestExplain(t *testing.T) {
	code, out, _ := runCLI(t, "", "explain", "FailedOperation.FlexdbResourceOverdue")
	if code != 0 || !strings.Contains(out, "数据库资源到期或者数据库读写次数超过套餐包限制") || !strings.Contains(out, "Flexdb 读写次数到期。建议客户升级套餐") {
		t.Errorf("explain code: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", "explain", "--lang", "en", "FailedOperation.FlexdbResourceOverdue")
	if code != 0 || !strings.Contains(out, "Flexdb quota or resource expired") || strings.Contains(out, "建议客户升级套餐") {
		t.Errorf("explain --lang en: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", "explain", "CDN 流量耗尽")
	if code != 0 || !strings.Contains(out, "线上环境访问不了，自定义应用打不开，CDN 流量耗尽该怎么办？") || !strings.Contains(out, "需要升级 CDN 的流量套餐") {
		t.Errorf("explain text: exit %d\n%s", code, out)
	}
	code, _, errs := runCLI(t, "", "explain", "FailedOperation.FlexdbResourceOverdu")
	if code != 1 || !strings.Contains(errs, "did you mean: FailedOperation.FlexdbResourceOverdue") {
		t.Errorf("unknown code: exit %d, %q", code, errs)
	}
	code, out, _ = runCLI(t, "", "explain", "--format", "json", "ResourceUnavailable.CDNFreezed")
	if code != 0 || !strings.Contains(out, `"id": "faq/cdn-traffic-exhausted-app-unreachable"`) {
		t.Errorf("explain a signal code: exit %d\n%s", code, out)
	}
}

func TestCatalogCommand(t *testing.T) {
	code, out, _ := runCLI(t, "", "catalog", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var c struct {
		ErrorRows    int `json:"error_rows"`
		ErrorEntries int `json:"error_entries"`
		Questions    int `json:"questions"`
		Platform     int `json:"platform_entries"`
		Entries      []struct {
			ID, Kind, Code, Message, Question, Answer, Remedy, Source string
		} `json:"entries"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	if c.ErrorRows != 157 || c.ErrorEntries != 158 || c.Questions != 123 || c.Platform < 60 || len(c.Entries) != 281+c.Platform {
		t.Errorf("counts: rows %d entries %d questions %d platform %d all %d", c.ErrorRows, c.ErrorEntries, c.Questions, c.Platform, len(c.Entries))
	}
	sources := map[string]int{}
	for _, e := range c.Entries {
		sources[e.Source]++
	}
	if sources["faq"] != 281 || sources["platform"] != c.Platform {
		t.Errorf("sources: %v", sources)
	}
	code, out, _ = runCLI(t, "", "catalog", "--source", "platform")
	if code != 0 || strings.Count(out, "\n") != c.Platform || strings.Count(out, "[platform]") != c.Platform {
		t.Errorf("catalog --source platform: exit %d, %d lines", code, strings.Count(out, "\n"))
	}
	code, out, _ = runCLI(t, "", "catalog", "--domain", "workbench")
	if code != 0 || strings.Count(out, "\n") != 10 {
		t.Errorf("catalog --domain workbench: exit %d, %d lines", code, strings.Count(out, "\n"))
	}
	if code, _, _ := runCLI(t, "", "catalog", "--domain", "nope"); code != 2 {
		t.Errorf("unknown domain: exit %d, want 2", code)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "", "version")
	if code != 0 || !strings.HasPrefix(out, "wedadiag ") || !strings.Contains(out, "go1.") {
		t.Errorf("version: exit %d %q", code, out)
	}
}
