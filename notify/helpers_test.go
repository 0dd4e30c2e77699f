package notify

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
)

var (
	long = flag.Bool("long", false, "run the long outage test (TestOutage): an hour of accelerated time")
)

func testCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func entry(t testing.TB, id string) *catalog.Entry {
	t.Helper()
	e := testCatalog(t).ByID(id)
	if e == nil {
		t.Fatalf("no catalog entry %q", id)
	}
	return e
}

// Catalog entries the tests use.
const (
	idFlexdb    = "datasource/flexdb-resource-overdue" // critical, FailedOperation.FlexdbResourceOverdue
	idDuplicate = "datasource/add-duplicate"           // warning
)

func occ(t testing.TB, id, source, sample string) diagnose.Occurrence {
	return diagnose.Occurrence{Entry: entry(t, id), Source: source, Sample: sample}
}

// logBuffer is a concurrency-safe buffer for a test's logger.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func testLogger(t testing.TB) (*slog.Logger, *logBuffer) {
	buf := &logBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("notifier log:\n%s", buf.String())
		}
	})
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

// request is one request a fake receiver got.
type request struct {
	at     time.Time
	url    *url.URL
	header http.Header
	body   []byte
}

// fakeReceiver is an http.Handler standing for a receiver: it records
// requests and answers as reply says (200 with a robot's "ok" by default).
// hang makes it wait until the request is cancelled.
type fakeReceiver struct {
	mu    sync.Mutex
	reqs  []request
	n     int  // requests got, kept or not
	quiet bool // count requests without keeping them
	reply func(n int, r *http.Request) (status int, body string, hang bool)
}

// keep says whether to keep the requests that come (true by default);
// keep(true) also forgets those kept so far.
func (f *fakeReceiver) keep(on bool) {
	f.mu.Lock()
	f.quiet = !on
	if on {
		f.reqs = nil
	}
	f.mu.Unlock()
}

func (f *fakeReceiver) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

func (f *fakeReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	if !f.quiet {
		f.reqs = append(f.reqs, request{at: time.Now(), url: r.URL, header: r.Header.Clone(), body: body})
	}
	f.n++
	n := f.n
	reply := f.reply
	f.mu.Unlock()
	status, resp, hang := 200, `{"errcode":0,"errmsg":"ok"}`, false
	if reply != nil {
		status, resp, hang = reply(n, r)
	}
	if hang {
		<-r.Context().Done()
		return
	}
	w.WriteHeader(status)
	io.WriteString(w, resp)
}

func (f *fakeReceiver) requests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.reqs...)
}

func (f *fakeReceiver) setReply(reply func(n int, r *http.Request) (int, string, bool)) {
	f.mu.Lock()
	f.reply = reply
	f.mu.Unlock()
}

// memTransport routes requests to handlers by host, in memory: inside a
// synctest bubble a request then blocks only on channels and fake timers.
type memTransport map[string]http.Handler

func (m memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	h, ok := m[r.URL.Host]
	if !ok {
		return nil, &net404{r.URL.Host}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	return rec.Result(), nil
}

type net404 struct{ host string }

func (e *net404) Error() string { return "dial tcp " + e.host + ": connection refused" }

// newNotifier builds a Notifier whose requests go through rt (nil: the
// real network).
func newNotifier(t testing.TB, cfg Config, rt http.RoundTripper, m *Metrics) (*Notifier, *logBuffer) {
	t.Helper()
	log, buf := testLogger(t)
	if m == nil {
		m = NewMetrics(nil)
	}
	n, err := New(cfg, testCatalog(t), log, m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rt != nil {
		n.client.Transport = rt
	}
	return n, buf
}

// webhookMessages decodes the webhook payloads a fake receiver got.
func webhookMessages(t testing.TB, f *fakeReceiver) []WebhookMessage {
	t.Helper()
	var out []WebhookMessage
	for _, r := range f.requests() {
		var m WebhookMessage
		if err := json.Unmarshal(r.body, &m); err != nil {
			t.Fatalf("webhook body: %v\n%s", err, r.body)
		}
		out = append(out, m)
	}
	return out
}

// amPosts decodes the Alertmanager posts a fake receiver got.
func amPosts(t testing.TB, f *fakeReceiver) [][]postableAlert {
	t.Helper()
	var out [][]postableAlert
	for _, r := range f.requests() {
		var as []postableAlert
		if err := json.Unmarshal(r.body, &as); err != nil {
			t.Fatalf("alertmanager body: %v\n%s", err, r.body)
		}
		out = append(out, as)
	}
	return out
}

func counter(m *Metrics, which, receiver string) float64 {
	switch which {
	case "sent":
		return testutil.ToFloat64(m.sent.WithLabelValues(receiver))
	case "failed":
		return testutil.ToFloat64(m.failed.WithLabelValues(receiver))
	case "dropped":
		return testutil.ToFloat64(m.dropped.WithLabelValues(receiver))
	}
	panic(which)
}

// indentJSON makes a JSON body readable for a golden file.
func indentJSON(t testing.TB, body []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := json.Indent(&b, body, "", "  "); err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	b.WriteByte('\n')
	return b.Bytes()
}
