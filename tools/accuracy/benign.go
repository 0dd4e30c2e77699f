package main

import (
	"fmt"
	"strings"

	"github.com/wedadiag/wedadiag/catalog"
)

// addBenignFiles writes files of benign lines only, n lines each: places
// where code names and messages are mentioned, not occurring — CI output,
// commit logs, a changelog, a docs table of the error codes, metrics
// exposition, and success logs of a healthy app.
func addBenignFiles(c *Corpus, get func(string) (*file, *gen), entries []*catalog.Entry, n int) {
	var codes []string
	var rows []*catalog.Entry
	seen := map[string]bool{}
	for _, e := range entries {
		if !tableRow(e) {
			continue
		}
		rows = append(rows, e)
		for _, code := range e.Codes() {
			if !seen[code] {
				seen[code] = true
				codes = append(codes, code)
			}
		}
	}
	code := func(g *gen) string { return codes[g.r.IntN(len(codes))] }
	slug := func(s string) string { return strings.NewReplacer(".", "_", "-", "_").Replace(s) }

	writers := map[string]func(g *gen, i int) string{
		"benign-ci-output": func(g *gen, i int) string {
			cd := code(g)
			return pick(g.r,
				fmt.Sprintf("=== RUN   TestExplain/%s", cd),
				fmt.Sprintf("--- PASS: TestExplain/%s (0.00s)", cd),
				fmt.Sprintf("--- PASS: TestResolve_%s (0.%02ds)", slug(cd), g.r.IntN(99)),
				fmt.Sprintf("ok  \tgithub.com/acme/weda-sync/errors\t0.%03ds", g.r.IntN(999)),
				fmt.Sprintf("  ✓ maps %s to a user hint (%d ms)", cd, 1+g.r.IntN(9)),
				"PASS src/errors/mapping.test.ts",
				fmt.Sprintf("Tests:       %d passed, %d total", 40+i%9, 40+i%9),
				"  0 failing",
				"##[group]Run go test ./...",
				"##[endgroup]",
				fmt.Sprintf("golangci-lint: 0 issues (errcheck, errorlint) in %d.%ds", g.r.IntN(9), g.r.IntN(9)),
				"npm WARN deprecated request@2.88.2: request has been deprecated",
				fmt.Sprintf("Step 4/9 : RUN npm ci && npm test -- --grep %s", cd),
				fmt.Sprintf("coverage: %d.%d%% of statements", 60+g.r.IntN(39), g.r.IntN(9)))
		},
		"benign-git-log": func(g *gen, i int) string {
			cd := code(g)
			return pick(g.r,
				fmt.Sprintf("%s fix(flow): retry on %s", g.hex(7), cd),
				fmt.Sprintf("%s feat: show a hint for %s", g.hex(7), cd),
				fmt.Sprintf("%s test: cover %s and %s", g.hex(7), cd, code(g)),
				fmt.Sprintf("%s docs: explain error code %s", g.hex(7), cd),
				fmt.Sprintf("%s Merge pull request #%d from acme/handle-%s", g.hex(7), 100+g.r.IntN(900), strings.ToLower(slug(cd))),
				fmt.Sprintf("%s chore: bump @cloudbase/js-sdk to 2.%d.%d", g.hex(7), g.r.IntN(9), g.r.IntN(20)))
		},
		"benign-changelog": func(g *gen, i int) string {
			if i%12 == 0 {
				return fmt.Sprintf("## v1.%d.%d (2024-06-%02d)", i/120, i/12%10, 1+i/12%28)
			}
			cd := code(g)
			return pick(g.r,
				fmt.Sprintf("- 修复：%s 时提示信息不明确的问题", cd),
				fmt.Sprintf("- Added: friendly message for %s", cd),
				fmt.Sprintf("- 优化：遇到 %s 时自动重试 3 次", cd),
				fmt.Sprintf("- Fixed crash when the response had no `%s` field", pick(g.r, "errCode", "ret_code", "Error")),
				"- 升级依赖，修复若干问题")
		},
		"benign-docs-table": func(g *gen, i int) string {
			if i%40 == 0 {
				return "| 错误码 | 错误信息 | 处理建议 |\n| --- | --- | --- |"
			}
			e := rows[g.r.IntN(len(rows))]
			return fmt.Sprintf("| %s | %s | %s |", e.Code, strings.ReplaceAll(e.Message, "\n", " "), "见 FAQ")
		},
		"benign-metrics": func(g *gen, i int) string {
			cd := code(g)
			return pick(g.r,
				fmt.Sprintf("app_weda_errors_total{code=%q} 0", cd),
				fmt.Sprintf("# HELP app_weda_errors_total Errors by WeDa code, e.g. %s.", cd),
				"# TYPE app_weda_errors_total counter",
				fmt.Sprintf("app_%s_total 0", strings.ToLower(slug(cd))),
				fmt.Sprintf("http_request_duration_seconds_bucket{le=\"0.1\",path=\"/api/%s\"} %d", g.op(), g.r.IntN(99999)),
				fmt.Sprintf("process_resident_memory_bytes %d", 100038000+g.r.IntN(99999)))
		},
		"benign-app-info": func(g *gen, i int) string {
			return pick(g.r,
				fmt.Sprintf(`{"level":"info","time":"%s","msg":"request ok","code":0,"errCode":0,"Error":null,"errors":[]}`, g.iso()),
				fmt.Sprintf(`{"level":"debug","time":"%s","msg":"response","body":{"Response":{"RequestId":"%s","Total":%d}}}`, g.iso(), g.rid(), g.r.IntN(300)),
				fmt.Sprintf(`{"level":"info","time":"%s","msg":"flow approved","instanceId":"1730%08d","durationMs":%d}`, g.iso(), g.r.IntN(99999999), g.r.IntN(3000)),
				fmt.Sprintf(`{"level":"debug","time":"%s","msg":"error code table loaded","codes":%d,"sample":%s}`, g.iso(), len(codes), js(code(g))),
				fmt.Sprintf(`{"level":"info","time":"%s","msg":"upload done","size":%d,"etag":"%s"}`, g.iso(), 100009+g.r.IntN(40), g.hex(32)),
				fmt.Sprintf(`{"level":"info","time":"%s","msg":"GET /pages/errors/%s 200","ms":%d}`, g.iso(), code(g), g.r.IntN(90)))
		},
	}
	for _, name := range []string{"benign-ci-output", "benign-git-log", "benign-changelog", "benign-docs-table", "benign-metrics", "benign-app-info"} {
		f, g := get(name)
		w := writers[name]
		for i := range n {
			s := w(g, i)
			f.add(s)
			f.benign += strings.Count(s, "\n") + 1
		}
	}
}
