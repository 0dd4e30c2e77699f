package main

// Helpers of the end-to-end tests (e2e_test.go): build the real binary once,
// run `wedadiag run` as a process, find its address in its log, scrape and
// parse /metrics, and compute the expected diagnoses with `wedadiag scan`.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/internal/testutil"
)

// examplesDir holds the realistic WeDa logs the tests append.
const examplesDir = "../../configs/examples"

var (
	binDir   string // temporary directory of the built binary, removed by TestMain
	binOnce  sync.Once
	binPath  string
	binError error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// wedadiagBin builds ./cmd/wedadiag once per test binary (with -race when
// the tests run with it, so the daemon's own goroutines are checked too) and
// returns its path.
func wedadiagBin(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binError = os.MkdirTemp("", "wedadiag-e2e-")
		if binError != nil {
			return
		}
		binPath = filepath.Join(binDir, "wedadiag")
		args := []string{"build", "-o", binPath}
		if testutil.RaceEnabled {
			args = append(args, "-race")
		}
		cmd := exec.Command("go", append(args, ".")...)
		if out, err := cmd.CombinedOutput(); err != nil {
			binError = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binError != nil {
		t.Fatal(binError)
	}
	return binPath
}

// e2eFastEnv are the short intervals that keep the suite quick: the tailer
// polls every 50ms, saves positions every 200ms and emits a held
// multi-line record after 100ms of quiet.
var e2eFastEnv = []string{
	"WEDADIAG_TAILER_POLL_INTERVAL=50ms",
	"WEDADIAG_TAILER_SAVE_INTERVAL=200ms",
	"WEDADIAG_TAILER_IDLE_FLUSH=100ms",
	// The state stays in the test's directory (the default is the user's
	// state directory, /var/lib/wedadiag as root); --state-dir wins.
	"WEDADIAG_STATE_DIR=wedadiag-state",
}

// e2eDaemon is one `wedadiag run` process.
type e2eDaemon struct {
	t      testing.TB
	cmd    *exec.Cmd
	out    *testutil.SyncBuffer
	addr   string // HOST:PORT from the log line msg=listening address=…
	exited chan struct{}
	err    error // Wait's result, valid after exited is closed
}

var e2eListeningRE = regexp.MustCompile(`msg=listening address=(\S+)`)

// startE2E runs `wedadiag run --listen 127.0.0.1:0 args…` in dir with
// e2eFastEnv and env (later entries win), waits for the address it logs and
// for /readyz, and kills it when the test ends if it still runs. Its log is
// shown when the test fails.
func startE2E(t testing.TB, dir string, env []string, args ...string) *e2eDaemon {
	t.Helper()
	bin := wedadiagBin(t)
	cmd := exec.Command(bin, append([]string{"run", "--listen", "127.0.0.1:0"}, args...)...)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "WEDADIAG_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(append(cmd.Env, e2eFastEnv...), env...)
	if testutil.RaceEnabled {
		// A -race binary sleeps 1s at exit for late reports by default;
		// 100ms is enough here and keeps the restarts quick.
		cmd.Env = append(cmd.Env, "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=100"))
	}
	d := &e2eDaemon{t: t, cmd: cmd, out: &testutil.SyncBuffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = d.out, d.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		d.err = cmd.Wait()
		close(d.exited)
	}()
	t.Cleanup(func() {
		if d.running() {
			cmd.Process.Kill()
			<-d.exited
		}
		if t.Failed() {
			t.Logf("wedadiag %s (pid %d) log:\n%s", strings.Join(cmd.Args[1:], " "), cmd.Process.Pid, d.out.String())
		}
	})
	testutil.Eventually(t, 10*time.Second, func() bool {
		if !d.running() {
			t.Fatalf("wedadiag exited at start: %v\n%s", d.err, d.out.String())
		}
		m := e2eListeningRE.FindStringSubmatch(d.out.String())
		if m == nil {
			return false
		}
		d.addr = m[1]
		return true
	}, "no msg=listening address= in the log:\n%s", d.out)
	testutil.Eventually(t, 10*time.Second, func() bool {
		code, _, err := d.get("/readyz")
		return err == nil && code == http.StatusOK
	}, "/readyz never 200")
	return d
}

func (d *e2eDaemon) running() bool {
	select {
	case <-d.exited:
		return false
	default:
		return true
	}
}

// url returns the daemon's URL of path.
func (d *e2eDaemon) url(path string) string { return "http://" + d.addr + path }

// get fetches path and returns the status and body.
func (d *e2eDaemon) get(path string) (int, string, error) {
	resp, err := http.Get(d.url(path))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

// mustGet fetches path, failing the test unless the status is want.
func (d *e2eDaemon) mustGet(path string, want int) string {
	d.t.Helper()
	code, body, err := d.get(path)
	if err != nil {
		d.t.Fatalf("GET %s: %v", path, err)
	}
	if code != want {
		d.t.Fatalf("GET %s: status %d, want %d\n%s", path, code, want, body)
	}
	return body
}

// post sends an empty POST to path and returns the status and body.
func (d *e2eDaemon) post(path string) (int, string) {
	d.t.Helper()
	resp, err := http.Post(d.url(path), "text/plain", nil)
	if err != nil {
		d.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// signal sends sig to the daemon.
func (d *e2eDaemon) signal(sig os.Signal) {
	d.t.Helper()
	if err := d.cmd.Process.Signal(sig); err != nil {
		d.t.Fatalf("signal %v: %v", sig, err)
	}
}

// stop sends sig and waits up to limit for the process to exit, failing
// the test if it does not. It returns the exit code (-1 when killed by a
// signal) and how long the exit took.
func (d *e2eDaemon) stop(sig os.Signal, limit time.Duration) (int, time.Duration) {
	d.t.Helper()
	start := time.Now()
	d.signal(sig)
	select {
	case <-d.exited:
	case <-time.After(limit):
		d.t.Fatalf("wedadiag did not exit within %v of %v", limit, sig)
	}
	took := time.Since(start)
	var ee *exec.ExitError
	switch {
	case d.err == nil:
		return 0, took
	case errors.As(d.err, &ee):
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return -1, took
		}
		return ee.ExitCode(), took
	}
	d.t.Fatalf("wait: %v", d.err)
	return 0, took
}

// e2eScrape is one parsed /metrics.
type e2eScrape struct {
	text string
	fams map[string]*dto.MetricFamily
}

// scrape fetches and parses /metrics.
func (d *e2eDaemon) scrape() (*e2eScrape, error) {
	code, body, err := d.get("/metrics")
	if err != nil {
		return nil, err
	}
	if code != http.StatusOK {
		return nil, fmt.Errorf("/metrics: status %d", code)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parse /metrics: %w", err)
	}
	return &e2eScrape{text: body, fams: fams}, nil
}

func (d *e2eDaemon) mustScrape() *e2eScrape {
	d.t.Helper()
	s, err := d.scrape()
	if err != nil {
		d.t.Fatal(err)
	}
	return s
}

func e2eLabels(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, lp := range m.GetLabel() {
		out[lp.GetName()] = lp.GetValue()
	}
	return out
}

func e2eValue(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Untyped != nil:
		return m.Untyped.GetValue()
	}
	return 0
}

// sum adds the series of name whose labels include match.
func (s *e2eScrape) sum(name string, match map[string]string) float64 {
	var total float64
	for _, m := range s.fams[name].GetMetric() {
		ls := e2eLabels(m)
		ok := true
		for k, v := range match {
			if ls[k] != v {
				ok = false
				break
			}
		}
		if ok {
			total += e2eValue(m)
		}
	}
	return total
}

// diagnoses returns wedadiag_diagnoses_total per id for source, leaving
// out zeros.
func (s *e2eScrape) diagnoses(source string) map[string]int {
	out := map[string]int{}
	for _, m := range s.fams["wedadiag_diagnoses_total"].GetMetric() {
		ls := e2eLabels(m)
		if ls["source"] != source {
			continue
		}
		if v := int(e2eValue(m)); v != 0 {
			out[ls["id"]] += v
		}
	}
	return out
}

// e2eWant is what the daemon should have counted for a source: the
// diagnoses per id, lines and records.
type e2eWant struct {
	ids            map[string]int
	lines, records int
}

func (e e2eWant) plus(o e2eWant) e2eWant {
	r := e2eWant{ids: maps.Clone(e.ids), lines: e.lines + o.lines, records: e.records + o.records}
	if r.ids == nil {
		r.ids = map[string]int{}
	}
	for id, n := range o.ids {
		r.ids[id] += n
	}
	return r
}

// observed reads the same numbers from a scrape.
func (s *e2eScrape) observed(source string) e2eWant {
	src := map[string]string{"source": source}
	return e2eWant{
		ids:     s.diagnoses(source),
		lines:   int(s.sum("wedadiag_lines_total", src)),
		records: int(s.sum("wedadiag_records_total", src)),
	}
}

func (e e2eWant) equal(o e2eWant) bool {
	return e.lines == o.lines && e.records == o.records && maps.Equal(e.ids, o.ids)
}

func (e e2eWant) String() string {
	ids := slices.Sorted(maps.Keys(e.ids))
	var b strings.Builder
	fmt.Fprintf(&b, "lines=%d records=%d", e.lines, e.records)
	for _, id := range ids {
		fmt.Fprintf(&b, " %s=%d", id, e.ids[id])
	}
	return b.String()
}

// waitCounts polls /metrics until the source's lines, records and
// diagnoses equal want exactly, then waits for bytes_behind to reach 0 and
// checks them once more: a line counted twice (or one too many) never
// reaches equality, since files are read in order and the daemon's
// counters are exact.
func (d *e2eDaemon) waitCounts(source string, want e2eWant) *e2eScrape {
	d.t.Helper()
	if want.ids == nil {
		want.ids = map[string]int{}
	}
	var last *e2eScrape
	var got e2eWant
	testutil.Eventually(d.t, 15*time.Second, func() bool {
		s, err := d.scrape()
		if err != nil {
			return false
		}
		last, got = s, s.observed(source)
		return got.equal(want)
	}, "counters of %s:\n got  %v\n want %v", source, &got, &want)
	testutil.Eventually(d.t, 10*time.Second, func() bool {
		s, err := d.scrape()
		if err != nil {
			return false
		}
		last = s
		return s.sum("wedadiag_bytes_behind", map[string]string{"source": source}) == 0
	}, "wedadiag_bytes_behind of %s never 0", source)
	if got := last.observed(source); !got.equal(want) {
		d.t.Fatalf("counters of %s changed after they settled:\n got  %v\n want %v", source, got, want)
	}
	return last
}

// e2eScanOutput is the output of `wedadiag scan --format json`.
type e2eScanOutput struct {
	Files     []string             `json:"files"`
	Lines     int                  `json:"lines"`
	Records   int                  `json:"records"`
	Diagnoses []diagnose.Diagnosis `json:"diagnoses"`
}

// e2eScan runs the built binary's `scan --format json` on files.
func e2eScan(t testing.TB, lang string, files ...string) e2eScanOutput {
	t.Helper()
	cmd := exec.Command(wedadiagBin(t), append([]string{"scan", "--format", "json", "--lang", lang}, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("wedadiag scan %v: %v\n%s", files, err, stderr.String())
	}
	var s e2eScanOutput
	if err := json.Unmarshal(out, &s); err != nil {
		t.Fatalf("wedadiag scan %v: %v\n%s", files, err, out)
	}
	return s
}

// e2eExpect returns what `wedadiag scan` finds in files: the numbers the
// daemon must count when the same bytes are appended to a followed file.
// It runs scan in-process (the same code as the binary's; a -race binary
// would take seconds to start for each call).
func e2eExpect(t testing.TB, files ...string) e2eWant {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(append([]string{"scan", "--format", "json"}, files...), strings.NewReader(""), &stdout, &stderr); code != exitOK {
		t.Fatalf("wedadiag scan %v: exit %d\n%s", files, code, stderr.String())
	}
	var s e2eScanOutput
	if err := json.Unmarshal(stdout.Bytes(), &s); err != nil {
		t.Fatalf("wedadiag scan %v: %v\n%s", files, err, stdout.String())
	}
	e := e2eWant{ids: map[string]int{}, lines: s.Lines, records: s.Records}
	for _, d := range s.Diagnoses {
		e.ids[d.ID] += int(d.Count)
	}
	return e
}

// e2eExpectText is e2eExpect for a text, written to a temporary file.
func e2eExpectText(t testing.TB, text string) e2eWant {
	t.Helper()
	f := filepath.Join(t.TempDir(), "text.log")
	testutil.WriteFile(t, f, text)
	return e2eExpect(t, f)
}

// e2eExample returns the path and content of configs/examples/name.
func e2eExample(t testing.TB, name string) (string, string) {
	t.Helper()
	p := filepath.Join(examplesDir, name)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return p, string(data)
}

// e2ePosition returns the offset that the daemon's positions.json holds
// for the file now at name (found by inode: a rotated file keeps its entry
// under its old path), or -1 when it has none.
func e2ePosition(t testing.TB, stateDir, name string) int64 {
	t.Helper()
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	ino := fi.Sys().(*syscall.Stat_t).Ino
	data, err := os.ReadFile(filepath.Join(stateDir, "positions.json"))
	if errors.Is(err, os.ErrNotExist) {
		return -1
	}
	if err != nil {
		t.Fatal(err)
	}
	var pf struct {
		Files []struct {
			Ino    uint64 `json:"ino"`
			Offset int64  `json:"offset"`
		} `json:"files"`
	}
	if err := json.Unmarshal(data, &pf); err != nil {
		// The file is renamed into place, so a reader never sees half of
		// it: this is a real fault.
		t.Fatalf("positions.json: %v\n%s", err, data)
	}
	off := int64(-1)
	for _, f := range pf.Files {
		if f.Ino == ino {
			off = max(off, f.Offset)
		}
	}
	return off
}

func e2eFileSize(t testing.TB, name string) int64 {
	t.Helper()
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// e2eSortedKeys lists a map's keys in order, for messages.
func e2eSortedKeys[V any](m map[string]V) []string {
	k := make([]string, 0, len(m))
	for key := range m {
		k = append(k, key)
	}
	sort.Strings(k)
	return k
}
