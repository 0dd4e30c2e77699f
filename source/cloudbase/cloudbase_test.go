package cloudbase

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	promtest "github.com/prometheus/client_golang/prometheus/testutil"
	"golang.org/x/time/rate"

	"github.com/wedadiag/wedadiag/internal/testutil"
	"github.com/wedadiag/wedadiag/record"
)

// genLogs makes n logs evenly spread over [from, to): SCF records,
// CloudBase records and raw lines in turn, each carrying "seq=<first+i>";
// every tenth has no PkgLogId.
func genLogs(first, n int, from, to time.Time) []fakeLog {
	out := make([]fakeLog, n)
	step := to.Sub(from) / time.Duration(max(n, 1))
	for i := range n {
		seq := first + i
		var content, topic string
		switch seq % 3 {
		case 0:
			topic = "SCF_logtopic"
			content = fmt.Sprintf(`{"SCF_FunctionName":"order","SCF_Namespace":"env-test-1a2b","SCF_RequestId":"r-%d",`+
				`"SCF_Level":"ERROR","SCF_Message":"FnError.FunctionTimeout seq=%d","SCF_StatusCode":433,`+
				`"SCF_Duration":3001,"SCF_MemUsage":1048576,"SCF_Type":"Platform"}`, seq, seq)
		case 1:
			topic = "tcb_logtopic"
			content = fmt.Sprintf(`{"function_name":"login","request_id":"r-%d","status_code":500,"ret_code":-1,`+
				`"ret_msg":"UserError.DsNotFound seq=%d","module":"model","src":"system"}`, seq, seq)
		default:
			topic = "tcb_logtopic"
			content = fmt.Sprintf("2026-12-02T06:00:00.000Z\tr-%d\tplain line seq=%d\n  at handler (index.js:3)", seq, seq)
		}
		pkg := "pkg-" + strconv.Itoa(seq)
		if seq%10 == 0 {
			pkg = ""
		}
		out[i] = fakeLog{T: from.Add(time.Duration(i) * step), Topic: topic, PkgID: pkg, Content: content}
	}
	return out
}

var seqRE = regexp.MustCompile(`seq=(\d+)`)

func seqOf(t testing.TB, rec record.Record) int {
	m := seqRE.FindSubmatch(rec.Text)
	if m == nil {
		t.Fatalf("record without seq: %q", rec.Text)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

func testConfig(f *fakeAPI, srv *httptest.Server) Config {
	return Config{
		Name: "env", EnvID: f.EnvID, Region: f.Region,
		SecretID: Secret(f.SecretID), SecretKey: Secret(f.SecretKey),
		Endpoint: srv.URL, Backfill: time.Hour, Overlap: time.Minute, MaxWindow: 2 * time.Hour,
	}
}

// harness runs one Source and counts its poll cycles.
type harness struct {
	s      *Source
	reg    *prometheus.Registry
	cycles chan struct{}
	cancel context.CancelFunc
	done   chan error
	logs   *testutil.SyncBuffer
}

func start(t *testing.T, cfg Config, dir string, tune func(*Source)) *harness {
	t.Helper()
	h := &harness{reg: prometheus.NewRegistry(), cycles: make(chan struct{}, 1<<16), done: make(chan error, 1),
		logs: &testutil.SyncBuffer{}}
	log := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := New(cfg, dir, log, NewMetrics(h.reg))
	if err != nil {
		t.Fatal(err)
	}
	s.cfg.Poll = 2 * time.Millisecond
	s.backoffBase = time.Millisecond
	s.backoffMax = 4 * time.Millisecond
	s.limiter = rate.NewLimiter(rate.Inf, 1)
	s.afterCycle = func() { h.cycles <- struct{}{} }
	if tune != nil {
		tune(s)
	}
	h.s = s
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go func() { h.done <- s.Run(ctx) }()
	t.Cleanup(func() { h.stop(t) })
	return h
}

// stop cancels Run and waits for it; records left in the channel are
// returned unacknowledged.
func (h *harness) stop(t *testing.T) []record.Record {
	t.Helper()
	if h.cancel == nil {
		return nil
	}
	h.cancel()
	h.cancel = nil
	var left []record.Record
	for rec := range h.s.Records() {
		left = append(left, rec)
	}
	select {
	case err := <-h.done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second * testutil.TimeoutScale):
		t.Fatal("Run did not return after cancel")
	}
	return left
}

// waitCycles waits until n more poll cycles have completed.
func (h *harness) waitCycles(t *testing.T, n int) {
	t.Helper()
	for range n {
		select {
		case <-h.cycles:
		case <-time.After(20 * time.Second * testutil.TimeoutScale):
			t.Fatal("no poll cycle completed")
		}
	}
}

// next receives one record or fails.
func (h *harness) next(t *testing.T) record.Record {
	t.Helper()
	select {
	case rec, ok := <-h.s.Records():
		if !ok {
			t.Fatal("Records closed")
		}
		return rec
	case <-time.After(20 * time.Second * testutil.TimeoutScale):
		t.Fatal("no record")
	}
	return record.Record{}
}

// drain receives, without waiting, what is in the channel.
func (h *harness) drain() []record.Record {
	var out []record.Record
	for {
		select {
		case rec := <-h.s.Records():
			out = append(out, rec)
		default:
			return out
		}
	}
}

// settle waits for two further complete cycles and returns what they sent:
// after them nothing more is coming until new logs appear.
func (h *harness) settle(t *testing.T) []record.Record {
	t.Helper()
	var out []record.Record
	for range 2 {
		// Keep the channel empty so a cycle never blocks on it.
		for {
			select {
			case rec := <-h.s.Records():
				out = append(out, rec)
				continue
			case <-h.cycles:
			case <-time.After(20 * time.Second * testutil.TimeoutScale):
				t.Fatal("no poll cycle completed")
			}
			break
		}
	}
	return append(out, h.drain()...)
}

func counter(t *testing.T, c prometheus.Collector) float64 {
	t.Helper()
	return promtest.ToFloat64(c)
}

func TestExactCountsThroughRestartsOverlapAndThrottling(t *testing.T) {
	f := newFakeAPI(t)
	f.ThrottleEvery, f.FailEvery, f.DropEvery = 7, 11, 13
	now := time.Now()
	const old, recent = 3000, 100
	f.Add(genLogs(0, old, now.Add(-50*time.Minute), now.Add(-5*time.Minute))...)
	// These stay inside the overlap: every poll and every restart reads them again.
	f.Add(genLogs(old, recent, now.Add(-40*time.Second), now.Add(-2*time.Second))...)
	const total = old + recent
	srv := f.Start()
	cfg := testConfig(f, srv)
	dir := t.TempDir()

	// Run A acknowledges the first 1000 records it gets, receives 500 more
	// without acknowledging them, and stops.
	a := start(t, cfg, dir, nil)
	ackedA := map[int]bool{}
	gotA := map[int]int{}
	for i := range 1500 {
		rec := a.next(t)
		n := seqOf(t, rec)
		gotA[n]++
		if gotA[n] > 1 {
			t.Fatalf("run A: seq %d handed on twice", n)
		}
		if rec.Source != "env" || !strings.HasPrefix(rec.Path, "cloudbase/env-test-1a2b/") || rec.Time.IsZero() {
			t.Fatalf("run A: record %+v", rec)
		}
		if i < 1000 {
			a.s.Ack(rec)
			ackedA[n] = true
		}
	}
	a.stop(t)
	if err := a.s.Save(); err != nil {
		t.Fatal(err)
	}

	// Run B resumes: it hands on everything not acknowledged by A exactly
	// once and nothing A acknowledged. It reads everything, then leaves
	// some records in the middle unacknowledged.
	b := start(t, cfg, dir, nil)
	gotB := map[int]int{}
	var heldB []record.Record
	take := func(rec record.Record) {
		n := seqOf(t, rec)
		gotB[n]++
		if n%15 == 7 {
			heldB = append(heldB, rec)
			return
		}
		b.s.Ack(rec)
	}
	for len(gotB)+len(ackedA) < total {
		take(b.next(t))
	}
	for _, rec := range b.settle(t) {
		take(rec)
	}
	for n, c := range gotB {
		if ackedA[n] {
			t.Errorf("run B: seq %d was acknowledged in run A but handed on again", n)
		}
		if c != 1 {
			t.Errorf("run B: seq %d handed on %d times", n, c)
		}
	}
	for n := range total {
		if !ackedA[n] && gotB[n] == 0 {
			t.Errorf("seq %d lost", n)
		}
	}
	dupsB := counter(t, b.s.m.duplicates)
	throttled := counter(t, b.s.m.throttled) + counter(t, a.s.m.throttled)
	server := counter(t, b.s.m.requests["server_error"]) + counter(t, a.s.m.requests["server_error"])
	network := counter(t, b.s.m.requests["network_error"]) + counter(t, a.s.m.requests["network_error"])
	b.stop(t)
	if err := b.s.Save(); err != nil {
		t.Fatal(err)
	}
	if dupsB == 0 {
		t.Error("run B dropped no duplicates: the overlap was not read again")
	}
	if throttled == 0 || server == 0 || network == 0 {
		t.Errorf("throttled %v, server errors %v, network errors %v: the fake's faults were not met", throttled, server, network)
	}
	if len(heldB) < 100 {
		t.Fatalf("run B held only %d records", len(heldB))
	}

	// Run C hands on exactly what B left unacknowledged, though everything
	// after it was read and acknowledged.
	c0 := start(t, cfg, dir, nil)
	want := map[int]bool{}
	for _, rec := range heldB {
		want[seqOf(t, rec)] = true
	}
	gotC := map[int]int{}
	for len(gotC) < len(want) {
		rec := c0.next(t)
		gotC[seqOf(t, rec)]++
		c0.s.Ack(rec)
	}
	for _, rec := range c0.settle(t) {
		gotC[seqOf(t, rec)]++
		c0.s.Ack(rec)
	}
	for n, c := range gotC {
		if !want[n] || c != 1 {
			t.Errorf("run C: seq %d handed on %d times (held by B: %v)", n, c, want[n])
		}
	}
	c0.stop(t)

	// Run D has nothing to hand on, though it reads the overlap again.
	c := start(t, cfg, dir, nil)
	if extra := c.settle(t); len(extra) != 0 {
		t.Errorf("run D handed on %d records already acknowledged (first seq %d)", len(extra), seqOf(t, extra[0]))
	}
	if counter(t, c.s.m.duplicates) < recent {
		t.Errorf("run D dropped %v duplicates, want at least the %d records in the overlap", counter(t, c.s.m.duplicates), recent)
	}
	if _, bad, _, _ := f.Counts(); bad != 0 {
		t.Errorf("%d requests failed the signature check", bad)
	}
	if err := promtest.GatherAndCompare(c.reg, strings.NewReader(`
# HELP wedadiag_source_records_total Records the source handed to the pipeline.
# TYPE wedadiag_source_records_total counter
wedadiag_source_records_total{source="env"} 0
`), "wedadiag_source_records_total"); err != nil {
		t.Error(err)
	}
	if probs, err := promtest.GatherAndLint(c.reg); err != nil || len(probs) != 0 {
		t.Errorf("metrics lint: %v %v", err, probs)
	}
}

func TestLateRecordsInsideTheOverlap(t *testing.T) {
	f := newFakeAPI(t)
	now := time.Now()
	f.Add(genLogs(0, 200, now.Add(-10*time.Minute), now.Add(-time.Minute))...)
	h := start(t, testConfig(f, f.Start()), t.TempDir(), nil)
	got := map[int]int{}
	for len(got) < 200 {
		rec := h.next(t)
		got[seqOf(t, rec)]++
		h.s.Ack(rec)
	}
	for _, rec := range h.settle(t) {
		got[seqOf(t, rec)]++
	}
	// Indexed late: their time is already behind what was read, but
	// within the overlap.
	late := time.Now()
	f.Add(genLogs(200, 30, late.Add(-45*time.Second), late.Add(-15*time.Second))...)
	for len(got) < 230 {
		rec := h.next(t)
		got[seqOf(t, rec)]++
		h.s.Ack(rec)
	}
	for _, rec := range h.settle(t) {
		got[seqOf(t, rec)]++
	}
	for n := range 230 {
		if got[n] != 1 {
			t.Errorf("seq %d handed on %d times", n, got[n])
		}
	}
}

func TestWindowOverTenThousandResultsIsSplit(t *testing.T) {
	f := newFakeAPI(t)
	now := time.Now()
	n := 25000 // two and a half times the cursor's cap
	if testutil.RaceEnabled {
		n = 12000 // still past the cap; the race detector makes each page slow
	}
	f.Add(genLogs(0, n, now.Add(-40*time.Minute), now.Add(-30*time.Minute))...)
	h := start(t, testConfig(f, f.Start()), t.TempDir(), nil)
	got := make([]int, n)
	for seen := 0; seen < n; {
		rec := h.next(t)
		i := seqOf(t, rec)
		if got[i] == 0 {
			seen++
		}
		got[i]++
		h.s.Ack(rec)
	}
	for _, rec := range h.settle(t) {
		got[seqOf(t, rec)]++
	}
	for i, c := range got {
		if c != 1 {
			t.Fatalf("seq %d handed on %d times", i, c)
		}
	}
	_, _, capped, _ := f.Counts()
	if capped == 0 || counter(t, h.s.m.splits) == 0 {
		t.Errorf("capped queries %d, splits %v: the 10000-result cap was never met", capped, counter(t, h.s.m.splits))
	}
	if counter(t, h.s.m.overflows) != 0 {
		t.Errorf("overflows %v", counter(t, h.s.m.overflows))
	}
}

func TestThrottledUntilTheAPIRecovers(t *testing.T) {
	f := newFakeAPI(t)
	f.ThrottleEvery = 1 // every request
	now := time.Now()
	f.Add(genLogs(0, 50, now.Add(-5*time.Minute), now.Add(-2*time.Minute))...)
	h := start(t, testConfig(f, f.Start()), t.TempDir(), nil)
	h.waitCycles(t, 2)
	if h.s.Ready() {
		t.Error("ready before any request succeeded")
	}
	if got := counter(t, h.s.m.throttled); got < float64(2*h.s.maxAttempts) {
		t.Errorf("throttled %v, want every attempt of two cycles", got)
	}
	f.Mu.Lock()
	f.ThrottleEvery = 0
	f.Mu.Unlock()
	got := map[int]bool{}
	for len(got) < 50 {
		rec := h.next(t)
		got[seqOf(t, rec)] = true
		h.s.Ack(rec)
	}
	if !h.s.Ready() {
		t.Error("not ready after requests succeed")
	}
	if !strings.Contains(h.logs.String(), "succeeds again") {
		t.Errorf("recovery not logged:\n%s", h.logs.String())
	}
}

func TestWrongKeyFailsWithoutLeakingIt(t *testing.T) {
	f := newFakeAPI(t)
	srv := f.Start()
	cfg := testConfig(f, srv)
	cfg.SecretID = "AKIDwrongSecretIdABCD"
	cfg.SecretKey = "wrongSecretKeyEFGH1234"
	h := start(t, cfg, t.TempDir(), nil)
	h.waitCycles(t, 2)
	if h.s.Ready() {
		t.Error("ready with a wrong key")
	}
	if counter(t, h.s.m.requests["client_error"]) == 0 || counter(t, h.s.m.shared.Errors) == 0 {
		t.Error("the refused requests were not counted")
	}
	h.stop(t)
	logs := h.logs.String()
	if !strings.Contains(logs, "AuthFailure") {
		t.Errorf("the failure is not logged:\n%s", logs)
	}
	for _, secret := range []string{string(cfg.SecretID), string(cfg.SecretKey)} {
		if strings.Contains(logs, secret) {
			t.Errorf("a credential reached the log:\n%s", logs)
		}
	}
	if n := strings.Count(logs, "AuthFailure"); n != 1 {
		t.Errorf("the same failure logged %d times, want once", n)
	}
	data, _ := os.ReadFile(statePath(h.s.path[:strings.LastIndex(h.s.path, "/")], "env"))
	if strings.Contains(string(data), string(cfg.SecretKey)) {
		t.Error("a credential reached the state file")
	}
}

func TestRateLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("takes half a second of real time")
	}
	f := newFakeAPI(t)
	now := time.Now()
	f.Add(genLogs(0, 1100, now.Add(-30*time.Minute), now.Add(-20*time.Minute))...) // 11 pages
	cfg := testConfig(f, f.Start())
	cfg.RateLimit = 20
	began := time.Now()
	h := start(t, cfg, t.TempDir(), func(s *Source) { s.limiter = rate.NewLimiter(rate.Limit(cfg.RateLimit), 1) })
	for range 1100 {
		h.s.Ack(h.next(t))
	}
	if d := time.Since(began); d < 500*time.Millisecond {
		t.Errorf("11 requests in %s: faster than 20 per second", d)
	}
	f.Mu.Lock()
	defer f.Mu.Unlock()
	for i := range f.Stamps {
		j := i
		for j < len(f.Stamps) && f.Stamps[j].Sub(f.Stamps[i]) < time.Second {
			j++
		}
		if j-i > 21 {
			t.Fatalf("%d requests within one second", j-i)
		}
	}
}
