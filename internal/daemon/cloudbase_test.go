package daemon

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	promtest "github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"

	"github.com/wedadiag/wedadiag/internal/testutil"
	"github.com/wedadiag/wedadiag/source/cloudbase/cloudbasetest"
)

// cloudbaseLogs makes n logs from first, step apart from start: SCF
// records, CloudBase records and raw lines in turn, each with one WeDa
// error code.
func cloudbaseLogs(first, n int, start time.Time, step time.Duration) []cloudbasetest.Log {
	out := make([]cloudbasetest.Log, n)
	for i := range n {
		seq := first + i
		var content, topic string
		switch seq % 3 {
		case 0:
			topic = "SCF_logtopic"
			content = fmt.Sprintf(`{"SCF_FunctionName":"order","SCF_RequestId":"r-%d","SCF_Level":"ERROR",`+
				`"SCF_Message":"Error: errCode: -501003 | errMsg: cloud.callFunction:fail requests exceed the environment quota seq=%d",`+
				`"SCF_StatusCode":200,"SCF_Duration":31,"SCF_MemUsage":1048576,"SCF_Type":"Platform"}`, seq, seq)
		case 1:
			topic = "tcb_logtopic"
			content = fmt.Sprintf(`{"function_name":"login","request_id":"r-%d","status_code":200,"module":"database",`+
				`"msg":"Error: errCode: -501015 | errMsg: collection.get:fail -501015 read request quota exhausted seq=%d"}`, seq, seq)
		default:
			topic = "tcb_logtopic"
			content = fmt.Sprintf("Error: errCode: -501016 | errMsg: document.update:fail -501016 write request quota exhausted seq=%d", seq)
		}
		out[i] = cloudbasetest.Log{T: start.Add(time.Duration(i) * step), Topic: topic,
			PkgID: fmt.Sprintf("pkg-%d", seq), Content: content}
	}
	return out
}

// cloudbaseConfig writes a configuration with the file source "app" and a
// cloudbase source "env" on the fake at url.
func cloudbaseConfig(t *testing.T, dir string, f *cloudbasetest.API, url string) {
	t.Helper()
	writeConfig(t, dir, fmt.Sprintf(`  - name: env
    type: cloudbase
    env_id: %q
    region: %q
    secret_id: %q
    secret_key: %q
    endpoint: %q
    poll: 100ms
    overlap: 5s
    backfill: 10m
`, f.EnvID, f.Region, f.SecretID, f.SecretKey, url))
}

// diagnosed sums wedadiag_diagnoses_total of one source.
func diagnosed(t *testing.T, h *harness, source string) float64 {
	t.Helper()
	mfs, err := h.d.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != "wedadiag_diagnoses_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			if labelOf(m, "source") == source {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return sum
}

func labelOf(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// metricSum sums the series of name whose labels include want.
func metricSum(t *testing.T, h *harness, name string, want map[string]string) float64 {
	t.Helper()
	mfs, err := h.d.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, m := range mf.GetMetric() {
			for k, v := range want {
				if labelOf(m, k) != v {
					continue next
				}
			}
			sum += m.GetCounter().GetValue()
		}
	}
	return sum
}

// metricValue returns the value of the series of name whose labels
// include want.
func metricValue(t *testing.T, h *harness, name string, want map[string]string) float64 {
	t.Helper()
	mfs, err := h.d.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, m := range mf.GetMetric() {
			for k, v := range want {
				if labelOf(m, k) != v {
					continue next
				}
			}
			switch {
			case m.Counter != nil:
				return m.GetCounter().GetValue()
			case m.Gauge != nil:
				return m.GetGauge().GetValue()
			}
		}
	}
	t.Fatalf("no series %s%v", name, want)
	return 0
}

// TestCloudBaseSourceThroughRestarts: `wedadiag run` with a cloudbase
// source on the fake API (signatures checked, pages of 100, every third
// request throttled) diagnoses every log exactly once across a restart,
// and /readyz reports the source.
func TestCloudBaseSourceThroughRestarts(t *testing.T) {
	f := cloudbasetest.New(t)
	f.ThrottleEvery = 3
	srv := f.Start()
	dir := t.TempDir()
	cloudbaseConfig(t, dir, f, srv.URL)
	writeLog(t, dir, "app.log", codeLine(1)+"\n")
	now := time.Now()
	const first = 250
	f.Add(cloudbaseLogs(0, first, now.Add(-5*time.Minute), time.Second)...)

	sink := newRecordSink("")
	h := newHarness(t, dir, sink, 0)
	h.start(t)
	sink.wait(t, first+1)
	testutil.Eventually(t, waitLimit, func() bool { return readyz(h.addr) == http.StatusOK }, "/readyz not 200")
	if err := h.stop(t); err != nil {
		t.Fatal(err)
	}
	if got := sink.count(); got != first+1 {
		t.Fatalf("first run: %d records, want %d", got, first+1)
	}
	if got := diagnosed(t, h, "env"); got != first {
		t.Errorf("first run: %v diagnoses of env, want %d", got, first)
	}
	if got := metricValue(t, h, "wedadiag_source_records_total", map[string]string{"source": "env"}); got != first {
		t.Errorf("wedadiag_source_records_total{source=env} = %v, want %d", got, first)
	}

	// Every third log is a function's platform report: one invocation.
	if got := metricValue(t, h, "wedadiag_function_invocations_total",
		map[string]string{"source": "env", "function": "order", "status": "200"}); got != (first+2)/3 {
		t.Errorf("wedadiag_function_invocations_total = %v, want %d", got, (first+2)/3)
	}

	// New logs while stopped, from inside the overlap of the last poll
	// on: the second run reads only those.
	const more = 130
	f.Add(cloudbaseLogs(first, more, time.Now().Add(-3*time.Second), 20*time.Millisecond)...)
	sink2 := newRecordSink("")
	h2 := newHarness(t, dir, sink2, 0)
	h2.start(t)
	sink2.wait(t, more)
	if err := h2.stop(t); err != nil {
		t.Fatal(err)
	}
	if got := sink2.count(); got != more {
		t.Fatalf("second run: %d records, want %d (none again)", got, more)
	}
	if got := diagnosed(t, h2, "env"); got != more {
		t.Errorf("second run: %v diagnoses of env, want %d", got, more)
	}
	if req, bad, _, _ := f.Counts(); bad != 0 || req == 0 {
		t.Errorf("%d requests, %d with a bad signature", req, bad)
	}
}

// TestCloudBaseSourceReload: a reload that changes the cloudbase source
// drains and saves it, and its successor resumes from the saved state:
// nothing read twice, nothing lost; a reload that leaves it alone does not
// touch it.
func TestCloudBaseSourceReload(t *testing.T) {
	f := cloudbasetest.New(t)
	srv := f.Start()
	dir := t.TempDir()
	cloudbaseConfig(t, dir, f, srv.URL)
	writeLog(t, dir, "app.log", "")
	const first = 120
	f.Add(cloudbaseLogs(0, first, time.Now().Add(-2*time.Minute), 500*time.Millisecond)...)
	sink := newRecordSink("")
	h := newHarness(t, dir, sink, 0)
	h.start(t)
	sink.wait(t, first)

	h.reload <- struct{}{} // unchanged: the source keeps running
	before := h.d.streams.get("env")
	testutil.Eventually(t, waitLimit, func() bool { return reloads(h, "success") == 1 }, "reload 1 not done")
	if h.d.streams.get("env") != before {
		t.Error("an unchanged source was restarted")
	}

	text := readFile(t, dir+"/wedadiag.yaml")
	testutil.WriteFile(t, dir+"/wedadiag.yaml", strings.Replace(text, "poll: 100ms", "poll: 150ms", 1))
	h.reload <- struct{}{}
	testutil.Eventually(t, waitLimit, func() bool { return reloads(h, "success") == 2 }, "reload 2 not done")
	if h.d.streams.get("env") == before {
		t.Error("a changed source was not restarted")
	}
	const more = 90
	f.Add(cloudbaseLogs(first, more, time.Now().Add(-2*time.Second), 10*time.Millisecond)...)
	sink.wait(t, first+more)
	if err := h.stop(t); err != nil {
		t.Fatal(err)
	}
	if got := sink.count(); got != first+more {
		t.Errorf("%d records, want %d", got, first+more)
	}
	if got := diagnosed(t, h, "env"); got != first+more {
		t.Errorf("%v diagnoses, want %d", got, first+more)
	}
}

func reloads(h *harness, result string) float64 {
	return promtest.ToFloat64(h.d.pm.reloads.WithLabelValues(result))
}
