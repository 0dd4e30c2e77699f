package main

// End-to-end tests of `wedadiag run`: the real binary (built once, with -race
// when the tests run with it) follows real files in a temporary directory
// and is observed only from outside — its log, /metrics, the HTTP API, its
// positions file, its exit status — and with real Prometheus tools.

import (
	"encoding/json"
	"fmt"
	"html"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/internal/config"
	"github.com/wedadiag/wedadiag/internal/gen"
	"github.com/wedadiag/wedadiag/internal/testutil"
	"github.com/wedadiag/wedadiag/parse"
	"github.com/wedadiag/wedadiag/rules"
)

// stopLimit is how fast SIGINT or SIGTERM must end the daemon ("within a
// few seconds").
const stopLimit = 5 * time.Second

// TestE2EFollowRotateRestart follows one file through appends, a rename
// rotation, a SIGTERM stop, appends while stopped, a SIGINT stop, a SIGKILL
// and a rotation while killed, and checks after each start that the
// counters show exactly the lines written since — none lost, none twice.
func TestE2EFollowRotateRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	logs := filepath.Join(dir, "logs")
	state := filepath.Join(dir, "state")
	glob := filepath.Join(logs, "*.log")
	app := filepath.Join(logs, "app.log")
	args := []string{"--logs", glob, "--state-dir", state}

	appEx, appText := e2eExample(t, "app.log")
	scfEx, scfText := e2eExample(t, "scf-order-sync.log")
	wfEx, wfText := e2eExample(t, "workflow.log")
	h5Ex, h5Text := e2eExample(t, "h5-console.log")
	hostEx, hostText := e2eExample(t, "hosting-access.log")
	_, benignText := e2eExample(t, "benign.log")
	wantApp, wantSCF, wantWF := e2eExpect(t, appEx), e2eExpect(t, scfEx), e2eExpect(t, wfEx)
	wantH5, wantHost, wantBenign := e2eExpect(t, h5Ex), e2eExpect(t, hostEx), e2eExpect(t, filepath.Join(examplesDir, "benign.log"))
	// The examples are not trivial: the counts below are the FAQ codes in
	// app.log, so a scan that found nothing cannot make this test pass.
	if wantApp.ids["datasource/flexdb-resource-overdue"] != 2 || wantApp.ids["apis/ds-not-found"] != 1 || len(wantBenign.ids) != 0 {
		t.Fatalf("scan of the examples changed: app.log %v, benign.log %v", wantApp, wantBenign)
	}

	// Lines that exist before the first start are not read (a first start
	// begins at the end of existing files).
	testutil.WriteFile(t, app, appText)

	// Run 1 saves positions only when it stops, so the restart proves the
	// save on SIGTERM.
	d := startE2E(t, dir, []string{"WEDADIAG_TAILER_SAVE_INTERVAL=1h"}, args...)
	testutil.AppendFile(t, app, appText)
	d.waitCounts(config.DefaultSourceName(glob), wantApp)

	// Rotation by rename: the writer still appends to the old file for a
	// moment, then writes a new app.log. Both are read, the old one to its
	// end.
	rotated := filepath.Join(logs, "app.log.1")
	if err := os.Rename(app, rotated); err != nil {
		t.Fatal(err)
	}
	testutil.AppendFile(t, rotated, wfText)
	testutil.AppendFile(t, app, scfText)
	d.waitCounts(config.DefaultSourceName(glob), wantApp.plus(wantWF).plus(wantSCF))

	code, took := d.stop(syscall.SIGTERM, stopLimit)
	if code != 0 {
		t.Fatalf("SIGTERM: exit %d after %v, want 0", code, took)
	}
	t.Logf("SIGTERM: exit 0 after %v", took.Round(time.Millisecond))
	if pos, size := e2ePosition(t, state, app), e2eFileSize(t, app); pos != size {
		t.Fatalf("after SIGTERM positions.json has offset %d for %s, want its size %d (all of it was processed)", pos, app, size)
	}

	// Written while stopped: counted after the restart, and nothing read
	// before counted again (counters restart at 0 in a new process).
	testutil.AppendFile(t, app, wfText)
	d = startE2E(t, dir, []string{"WEDADIAG_TAILER_SAVE_INTERVAL=1h"}, args...)
	d.waitCounts(config.DefaultSourceName(glob), wantWF)
	testutil.AppendFile(t, app, benignText)
	d.waitCounts(config.DefaultSourceName(glob), wantWF.plus(wantBenign))
	if code, took := d.stop(os.Interrupt, stopLimit); code != 0 {
		t.Fatalf("SIGINT: exit %d after %v, want 0", code, took)
	}

	// SIGKILL: only the periodic saves (every 200ms) are on disk. Wait
	// until positions.json holds the processed offset, so that the check
	// after the restart is exact.
	d = startE2E(t, dir, nil, args...)
	testutil.AppendFile(t, app, h5Text)
	d.waitCounts(config.DefaultSourceName(glob), wantH5)
	size := e2eFileSize(t, app)
	testutil.Eventually(t, 10*time.Second, func() bool { return e2ePosition(t, state, app) == size },
		"positions.json never reached offset %d of %s", size, app)
	if code, _ := d.stop(syscall.SIGKILL, stopLimit); code != -1 {
		t.Fatalf("SIGKILL: exit %d", code)
	}

	// While it is down the app writes more, then its log is rotated: the
	// rest of the old file and all of the new one are read, once.
	testutil.AppendFile(t, app, hostText)
	if err := os.Rename(app, filepath.Join(logs, "app.log.2")); err != nil {
		t.Fatal(err)
	}
	// The new file starts with a line of its own: one whose first 1 KiB
	// equals the old file's would be taken for a copy (tailer's documented
	// limit), which is not what this test is about.
	fresh := "2024-06-21T09:00:00.000+08:00 INFO  [weda-runtime] log reopened after rotation 2\n" + scfText
	testutil.WriteFile(t, app, fresh)
	d = startE2E(t, dir, nil, args...)
	d.waitCounts(config.DefaultSourceName(glob), wantHost.plus(e2eExpectText(t, fresh)))
	if code, took := d.stop(syscall.SIGTERM, stopLimit); code != 0 {
		t.Fatalf("SIGTERM: exit %d after %v, want 0", code, took)
	}
}

// TestE2EPrometheus has a real Prometheus scrape the daemon and reads the
// diagnosis counter back with `promtool query instant`; the scrape output
// passes `promtool check metrics`.
func TestE2EPrometheus(t *testing.T) {
	t.Parallel()
	testutil.LookPathOrSkip(t, "prometheus", "apt-get install prometheus")
	testutil.LookPathOrSkip(t, "promtool", "apt-get install prometheus")
	dir := t.TempDir()
	glob := filepath.Join(dir, "logs", "*.log")
	appEx, appText := e2eExample(t, "app.log")
	d := startE2E(t, dir, nil, "--logs", glob, "--state-dir", filepath.Join(dir, "state"))
	// The directory does not exist at start: the file appears later and
	// is read from 0.
	testutil.WriteFile(t, filepath.Join(dir, "logs", "app.log"), appText)
	s := d.waitCounts(config.DefaultSourceName(glob), e2eExpect(t, appEx))
	promtoolCheckMetrics(t, s.text)

	prom := testutil.StartPrometheus(t, d.addr)
	const id = "datasource/flexdb-resource-overdue"
	expr := fmt.Sprintf("wedadiag_diagnoses_total{id=%q}", id)
	var got []testutil.PromSample
	var qerr error
	testutil.Eventually(t, 30*time.Second, func() bool {
		got, qerr = prom.QueryInstant(expr)
		return qerr == nil && len(got) == 1 && got[0].Value == "2"
	}, "promtool query instant %s: got %v, err %v; want one sample of value 2", expr, &got, &qerr)
	want := map[string]string{
		"__name__": "wedadiag_diagnoses_total", "id": id, "code": "FailedOperation.FlexdbResourceOverdue",
		"domain": "datasource", "severity": "critical", "source": config.DefaultSourceName(glob), "job": "wedadiag", "instance": d.addr,
	}
	if !maps.Equal(got[0].Metric, want) {
		t.Errorf("series labels:\n got  %v\n want %v", got[0].Metric, want)
	}
}

// promtoolCheckMetrics runs `promtool check metrics` on a scrape.
func promtoolCheckMetrics(t *testing.T, text string) {
	t.Helper()
	promtool := testutil.LookPathOrSkip(t, "promtool", "apt-get install prometheus")
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(text)
	out, err := cmd.CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}

// TestE2EMetricsContract checks a real scrape against DESIGN's metric list
// (internal/gen's gen.Metrics): every name is there with its type and
// exactly DESIGN's label names, no other wedadiag_ name is exported but
// wedadiag_tailer_* and wedadiag_alerts_*, and label values come only from
// the catalog, the rules and the configuration.
func TestE2EMetricsContract(t *testing.T) {
	t.Parallel()
	// A receiver, so that the per-receiver series exist.
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(hook.Close)
	dir := t.TempDir()
	glob := filepath.Join(dir, "logs", "*.log")
	cfg := filepath.Join(dir, "wedadiag.yaml")
	testutil.WriteFile(t, cfg, fmt.Sprintf("alerts:\n  receivers:\n    - {name: hook, type: webhook, url: %q}\n", hook.URL))
	d := startE2E(t, dir, nil, "--config", cfg, "--logs", glob, "--state-dir", filepath.Join(dir, "state"))
	appEx, appText := e2eExample(t, "app.log")
	// The directory does not exist at start: the file appears later and
	// is read from 0.
	testutil.WriteFile(t, filepath.Join(dir, "logs", "app.log"), appText)
	s := d.waitCounts(config.DefaultSourceName(glob), e2eExpect(t, appEx))

	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	set, err := diagnose.LoadRules(cat, nil)
	if err != nil {
		t.Fatal(err)
	}
	ruleIDs := map[string]bool{}
	for _, r := range set.Rules() {
		ruleIDs[r.ID] = true
	}
	types := map[string]dto.MetricType{"counter": dto.MetricType_COUNTER, "gauge": dto.MetricType_GAUGE}
	contract := map[string]bool{}
	for _, m := range gen.Metrics() {
		contract[m.Name] = true
		fam := s.fams[m.Name]
		if fam == nil {
			t.Errorf("%s: not in the scrape", m.Name)
			continue
		}
		if fam.GetType() != types[m.Type] {
			t.Errorf("%s: type %v, DESIGN says %s", m.Name, fam.GetType(), m.Type)
		}
		if len(fam.GetMetric()) == 0 {
			t.Errorf("%s: no series", m.Name)
		}
		want := slices.Sorted(slices.Values(m.Labels))
		for _, series := range fam.GetMetric() {
			ls := e2eLabels(series)
			if got := e2eSortedKeys(ls); !slices.Equal(got, want) {
				t.Errorf("%s%v: label names %v, DESIGN says %v", m.Name, ls, got, want)
				continue
			}
			for k, v := range ls {
				if !knownLabelValue(cat, ruleIDs, config.DefaultSourceName(glob), k, v, ls) {
					t.Errorf("%s%v: label %s=%q does not come from the catalog, the rules or the configuration", m.Name, ls, k, v)
				}
			}
		}
	}
	for name := range s.fams {
		if strings.HasPrefix(name, "wedadiag_") && !contract[name] &&
			!strings.HasPrefix(name, "wedadiag_tailer_") && !strings.HasPrefix(name, "wedadiag_alerts_") {
			t.Errorf("%s: exported but not in DESIGN's list (gen.Metrics)", name)
		}
	}
	if bi := s.fams["wedadiag_build_info"].GetMetric(); len(bi) == 1 {
		if gv := e2eLabels(bi[0])["goversion"]; gv != runtime.Version() || e2eValue(bi[0]) != 1 {
			t.Errorf("wedadiag_build_info: goversion %q value %v, want %q 1", gv, e2eValue(bi[0]), runtime.Version())
		}
	}
	if _, ok := s.fams["go_goroutines"]; !ok {
		t.Error("go_goroutines: the Go collector is missing")
	}
	promtoolCheckMetrics(t, s.text) // last: it skips without promtool
}

// knownLabelValue reports whether a label value is one the daemon may
// export: catalog ids and their fields, rule ids, the configured source
// and receiver, and the fixed sets of reasons, results and severities.
func knownLabelValue(cat *catalog.Catalog, ruleIDs map[string]bool, source, k, v string, ls map[string]string) bool {
	switch k {
	case "source":
		return v == source
	case "id":
		return cat.ByID(v) != nil
	case "code":
		e := cat.ByID(ls["id"])
		return e != nil && v == e.Code
	case "domain":
		e := cat.ByID(ls["id"])
		return e != nil && v == e.Domain
	case "severity":
		return slices.Contains(rules.Severities(), v)
	case "reason":
		return slices.Contains(parse.BadReasons(), v)
	case "rule":
		return ruleIDs[v]
	case "receiver":
		return v == "hook"
	case "result":
		return v == "success" || v == "failure"
	case "file":
		return v == diagnose.LiveFile || v == diagnose.UnmatchedFile
	case "version", "revision", "goversion":
		return v != ""
	}
	return false
}

// Rule files of the reload test: each maps a marker to a catalog entry.
const (
	ruleOnStart = `rules:
  - id: e2e-marker
    when: has("E2E-MARKER-ONE")
    yield: {id: flow/start-task-listener-on-start}
`
	ruleOnCreate = `rules:
  - id: e2e-marker
    when: has("E2E-MARKER-TWO")
    yield: {id: flow/start-task-listener-on-create}
`
	// ruleBroken names a field that does not exist: it does not compile.
	ruleBroken = `rules:
  - id: e2e-marker
    when: has("E2E-MARKER-ONE") && Evnt.Code == "x"
    yield: {id: flow/start-task-listener-on-start}
`
	onStart  = "flow/start-task-listener-on-start"
	onCreate = "flow/start-task-listener-on-create"
)

// markerLines is one benign INFO line per marker, in order.
func markerLines(markers ...string) string {
	var b strings.Builder
	for _, m := range markers {
		fmt.Fprintf(&b, "2024-06-21T08:30:00.000+08:00 INFO  [order-sync] batch done %s\n", m)
	}
	return b.String()
}

// TestE2EReload changes a user rule file (rules: [GLOB] in --config) and
// reloads with SIGHUP and POST /-/reload: a good reload swaps the rules in;
// a bad rule file or a bad config file is refused, the running rules stay
// and wedadiag_config_reloads_total{result="failure"} counts it.
func TestE2EReload(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	glob := filepath.Join(dir, "logs", "*.log")
	app := filepath.Join(dir, "logs", "app.log")
	ruleFile := filepath.Join(dir, "rules.d", "order-sync.yaml")
	cfg := filepath.Join(dir, "wedadiag.yaml")
	goodCfg := fmt.Sprintf("rules: [%q]\n", filepath.Join(dir, "rules.d", "*.yaml"))
	testutil.WriteFile(t, cfg, goodCfg)
	testutil.WriteFile(t, ruleFile, ruleOnStart)
	testutil.WriteFile(t, app, "")
	d := startE2E(t, dir, nil, "--config", cfg, "--logs", glob, "--state-dir", filepath.Join(dir, "state"), "--web.enable-lifecycle")

	reloads := func(s *e2eScrape) (ok, failed int, last float64) {
		return int(s.sum("wedadiag_config_reloads_total", map[string]string{"result": "success"})),
			int(s.sum("wedadiag_config_reloads_total", map[string]string{"result": "failure"})),
			s.sum("wedadiag_config_last_reload_success_timestamp_seconds", nil)
	}
	want := e2eWant{ids: map[string]int{}}
	write := func(markers ...string) {
		t.Helper()
		testutil.AppendFile(t, app, markerLines(markers...))
		want.lines += len(markers)
		want.records += len(markers)
	}

	// The first rule file: ONE is a diagnosis, TWO is nothing.
	write("E2E-MARKER-ONE", "E2E-MARKER-TWO")
	want.ids[onStart] = 1
	s := d.waitCounts(config.DefaultSourceName(glob), want)
	_, _, startTime := reloads(s)

	// SIGHUP with a changed rule file: TWO now, ONE no more.
	testutil.WriteFile(t, ruleFile, ruleOnCreate)
	d.signal(syscall.SIGHUP)
	testutil.Eventually(t, 10*time.Second, func() bool {
		s, err := d.scrape()
		if err != nil {
			return false
		}
		ok, _, _ := reloads(s)
		return ok == 1
	}, "SIGHUP: wedadiag_config_reloads_total{result=\"success\"} never 1")
	write("E2E-MARKER-ONE", "E2E-MARKER-TWO")
	want.ids[onCreate] = 1
	s = d.waitCounts(config.DefaultSourceName(glob), want)
	ok, failed, okTime := reloads(s)
	if ok != 1 || failed != 0 || okTime <= startTime {
		t.Fatalf("after a good reload: success=%d failure=%d last success %v (start %v)", ok, failed, okTime, startTime)
	}

	// POST /-/reload with a rule that does not compile: refused with the
	// file and position of the fault, the rules of the last good reload
	// stay.
	testutil.WriteFile(t, ruleFile, ruleBroken)
	code, body := d.post("/-/reload")
	if code != http.StatusInternalServerError || !strings.Contains(body, ruleFile+":3:") || strings.Contains(body, "Evnt") {
		t.Fatalf("POST /-/reload with a broken rule: %d %q; want 500 naming %s:3: without quoting the file", code, body, ruleFile)
	}
	write("E2E-MARKER-ONE", "E2E-MARKER-TWO")
	want.ids[onCreate] = 2
	s = d.waitCounts(config.DefaultSourceName(glob), want)
	if ok, failed, last := reloads(s); ok != 1 || failed != 1 || last != okTime {
		t.Fatalf("after a bad reload: success=%d failure=%d last success %v; want 1, 1, %v", ok, failed, last, okTime)
	}

	// SIGHUP with good rules but a config file with an unknown key: refused
	// as a whole, so the new rule file is not taken either.
	testutil.WriteFile(t, ruleFile, ruleOnStart)
	testutil.WriteFile(t, cfg, goodCfg+"rulez: []\n")
	d.signal(syscall.SIGHUP)
	testutil.Eventually(t, 10*time.Second, func() bool {
		s, err := d.scrape()
		if err != nil {
			return false
		}
		_, failed, _ := reloads(s)
		return failed == 2
	}, "SIGHUP with a bad config: wedadiag_config_reloads_total{result=\"failure\"} never 2")
	if !strings.Contains(d.out.String(), "rulez") {
		t.Errorf("the log does not name the unknown key rulez")
	}
	write("E2E-MARKER-ONE", "E2E-MARKER-TWO")
	want.ids[onCreate] = 3
	d.waitCounts(config.DefaultSourceName(glob), want)

	// POST /-/reload once both are fixed: ONE again.
	testutil.WriteFile(t, cfg, goodCfg)
	if code, body := d.post("/-/reload"); code != http.StatusOK {
		t.Fatalf("POST /-/reload: %d %q", code, body)
	}
	write("E2E-MARKER-ONE", "E2E-MARKER-TWO")
	want.ids[onStart] = 2
	s = d.waitCounts(config.DefaultSourceName(glob), want)
	if ok, failed, _ := reloads(s); ok != 2 || failed != 2 {
		t.Fatalf("reloads: success=%d failure=%d, want 2 2", ok, failed)
	}
	if code, took := d.stop(syscall.SIGTERM, stopLimit); code != 0 {
		t.Fatalf("SIGTERM: exit %d after %v", code, took)
	}
}

// TestE2EBadInput writes a NUL line, invalid UTF-8, a 5 MB line and broken
// JSON, each carrying a WeDa code, then a clean error line: the daemon
// stays up, /readyz answers 200 throughout, wedadiag_bad_records_total
// counts each reason once, and what can be read of them is diagnosed as
// `wedadiag scan` diagnoses it.
func TestE2EBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	glob := filepath.Join(dir, "logs", "*.log")
	app := filepath.Join(dir, "logs", "app.log")
	d := startE2E(t, dir, nil, "--logs", glob, "--state-dir", filepath.Join(dir, "state"))

	// /readyz and /healthz are polled all along.
	var polls, failures atomic.Int64
	var firstFailure atomic.Value
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			for _, p := range []string{"/readyz", "/healthz"} {
				code, body, err := d.get(p)
				polls.Add(1)
				if err != nil || code != http.StatusOK {
					failures.Add(1)
					firstFailure.CompareAndSwap(nil, fmt.Sprintf("%s: %d %q %v", p, code, body, err))
				}
			}
		}
	})

	text := "2024-06-21T08:00:04.020+08:00 ERROR [datasource] \x00\x00{\"code\":\"OPERATION_FAIL\",\"msg\":\"[UserError.DsNotFound] 找不到数据源order_item，或该数据源未正确更新\"}\n" +
		"2024-06-21T08:00:06.903+08:00 ERROR [apis] \xff\xfe\xfd callApis getLogistics failed code=FnError.HTTP.NetworkError\n" +
		"2024-06-21T08:00:09.130+08:00 ERROR [apis] code=FnError.HTTP.StatusError " + strings.Repeat("0123456789abcdef", 5<<20/16) + "\n" +
		`{"level":"error","time":"2024-06-21T08:00:12.600+08:00","msg":"callDataSource failed","error":{"code":"FailedOperation.FlexdbRequestTimeOut","message":"请求超时` + "\n" +
		`{"level":"error","time":"2024-06-21T08:00:13.554+08:00","msg":"callDataSource failed","error":{"Response":{"Error":{"Code":"FailedOperation.FlexdbResourceOverdue","Message":"数据库资源到期"},"RequestId":"8d2c41f0"}}}` + "\n"
	want := e2eExpectText(t, text)
	for _, id := range []string{"apis/ds-not-found", "apis/http-network-error", "apis/http-status-error", "datasource/flexdb-timeout", "datasource/flexdb-resource-overdue"} {
		if want.ids[id] != 1 {
			t.Fatalf("wedadiag scan of the bad lines: %s=%d, want 1 (%v)", id, want.ids[id], want)
		}
	}
	testutil.WriteFile(t, app, text)
	s := d.waitCounts(config.DefaultSourceName(glob), want)
	close(stop)
	wg.Wait()
	if failures.Load() > 0 || polls.Load() == 0 {
		t.Errorf("/readyz, /healthz: %d of %d polls failed, first: %v", failures.Load(), polls.Load(), firstFailure.Load())
	}
	for _, reason := range parse.BadReasons() {
		if n := s.sum("wedadiag_bad_records_total", map[string]string{"source": config.DefaultSourceName(glob), "reason": reason}); n != 1 {
			t.Errorf("wedadiag_bad_records_total{reason=%q} = %v, want 1", reason, n)
		}
	}
	if n := s.sum("wedadiag_tailer_lines_cut_total", nil); n != 1 {
		t.Errorf("wedadiag_tailer_lines_cut_total = %v, want 1", n)
	}
	if code, took := d.stop(syscall.SIGTERM, stopLimit); code != 0 {
		t.Fatalf("SIGTERM after bad input: exit %d after %v", code, took)
	}
}

// statusCard returns the unescaped HTML of the status page's card of id.
func statusCard(page, id string) string {
	start := strings.Index(page, `<article class="card `)
	for start >= 0 {
		rest := page[start+1:]
		end := strings.Index(rest, `<article class="card `)
		card := page[start:]
		if end >= 0 {
			card = page[start : start+1+end]
		}
		if strings.Contains(card, `id="`+html.EscapeString(id)+`"`) {
			return html.UnescapeString(card)
		}
		if end < 0 {
			return ""
		}
		start += 1 + end
	}
	return ""
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
