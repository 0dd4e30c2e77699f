package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
)

// statusHandler serves a status page with two diagnoses (one of markup),
// a health strip and a refused reload.
func statusHandler(t *testing.T) http.Handler {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	agg := diagnose.NewAggregator(cat, diagnose.Options{Window: time.Hour, Latest: true})
	at := time.Date(2026, 12, 2, 0, 30, 0, 0, time.UTC)
	agg.Observe(diagnose.Occurrence{Entry: cat.ByID("datasource/flexdb-resource-overdue"), Source: "app", Time: at,
		Sample: `FailedOperation.FlexdbResourceOverdue <script>alert(1)</script>`, Path: "/var/log/app.log", Offset: 4096, RequestID: "req-7"})
	dup := cat.ByID("datasource/add-duplicate")
	agg.Observe(diagnose.Occurrence{Entry: dup, Source: "gateway", Sample: "dup"})
	sent := at.Add(time.Minute)
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	h := Handler(Options{
		Gatherer: prometheus.NewRegistry(), Catalog: cat, Diagnoses: agg.Diagnoses, Unmatched: diagnose.NewUnknowns().Top,
		Lang: func() string { return "en" }, Version: "test",
		Location: func() *time.Location { return shanghai },
		Health: func() Health {
			return Health{
				FromEnd: true,
				Sources: []SourceHealth{{Name: "app", Paths: []string{"/var/log/*.log"}, Files: 2, LinesPerSecond: 7.5, BytesBehind: 3 << 20, LastRecord: &at},
					{Name: "gateway", Paths: []string{"/nowhere/*.log"}}},
				Receivers: []ReceiverHealth{{Name: "oncall", Type: "wecom", Queue: 3, LastError: "unexpected status 500", LastErrorAt: &at, LastSent: &sent}},
				Reload:    ReloadHealth{OK: false, At: &at, Error: `/etc/wedadiag/config.yaml:7:3: password "hunter2" is not a duration`},
			}
		},
	})
	return h
}

func serveGet(h http.Handler, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec
}

func TestStatusPage(t *testing.T) {
	rec := serveGet(statusHandler(t), "/?lang=en")
	body := rec.Body.String()
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	for _, want := range []string{
		// the health strip
		`data-source="app"`, "<dd>7.5</dd>", "3.0 MiB", "2026-12-02 08:30:00", // last record in Asia/Shanghai
		`class="src warn" data-source="gateway"`, "no file matches yet",
		`data-receiver="oncall"`, "unexpected status 500", `class="reload bad"`, "config.yaml:7:3",
		"followed from their end",
		// the cards
		`data-severity="critical"`, `<svg viewBox="0 0 60 24"`, "<rect ", "last hour 1",
		"<code>/var/log/app.log</code> @ offset 4096", "<code>req-7</code>",
		"&lt;script&gt;alert(1)&lt;/script&gt;",
		`<script src="/static/status.js"></script>`, "Times in Asia/Shanghai (UTC&#43;08:00)",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("status page lacks %q", want)
		}
	}
	if strings.Contains(body, "hunter2") {
		t.Error("the page shows the configuration's content")
	}
	if strings.Count(body, "<script") != 1 {
		t.Error("log text became a script element")
	}
}

// The live part (what the script refreshes), the script and the style
// sheet, and the health in the API.
func TestStatusParts(t *testing.T) {
	h := statusHandler(t)
	rec := serveGet(h, "/ui/live?lang=zh")
	if body := rec.Body.String(); rec.Code != 200 || strings.Contains(body, "<html") || !strings.Contains(body, `id="live-meta"`) ||
		!strings.Contains(body, "重新加载失败") || rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("/ui/live: %d %q\n%.300s", rec.Code, rec.Header(), body)
	}
	for path, ctype := range map[string]string{"/static/status.js": "javascript", "/static/page.css": "text/css"} {
		rec := serveGet(h, path)
		if rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Type"), ctype) || rec.Body.Len() < 500 {
			t.Errorf("%s: %d %q %d bytes", path, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Len())
		}
	}
	body := serveGet(h, "/api/v1/diagnoses").Body.String()
	for _, want := range []string{`"health": {`, `"lines_per_second": 7.5`, `"queue": 3`, `"from_end": true`,
		`"trend": [`, `"sample_info": [`, `"request_id": "req-7"`, `"error": "faults at /etc/wedadiag/config.yaml:7:3`} {
		if !strings.Contains(body, want) {
			t.Errorf("API lacks %q", want)
		}
	}
	if strings.Contains(body, "hunter2") {
		t.Error("the API shows the configuration's content")
	}
}

// ?refresh=N sets how often the page refreshes itself; 0 turns it off.
func TestStatusRefreshQuery(t *testing.T) {
	h := statusHandler(t)
	for query, want := range map[string]string{
		"":            `data-every="10"`,
		"refresh=30s": `data-every="30"`,
		"refresh=0":   "auto-refresh off",
		"refresh=-1":  `data-every="10"`,
		"refresh=x":   "auto-refresh every 10 s",
	} {
		if body := serveGet(h, "/?lang=en&"+query).Body.String(); !strings.Contains(body, want) {
			t.Errorf("%q: the page lacks %q", query, want)
		}
	}
}

// Without the script, the filter form's query hides what it does not
// match; the script then applies the same rules as one types.
func TestStatusFilterQuery(t *testing.T) {
	h := statusHandler(t)
	for _, tc := range []struct {
		query string
		shown []string
	}{
		{"", []string{"datasource/flexdb-resource-overdue", "datasource/add-duplicate"}},
		{"severity=critical", []string{"datasource/flexdb-resource-overdue"}},
		{"source=gateway", []string{"datasource/add-duplicate"}},
		{"q=REQ-7", []string{"datasource/flexdb-resource-overdue"}}, // a sample's request id
		{"q=flexdbresource", []string{"datasource/flexdb-resource-overdue"}},
		{"domain=nothing", nil},
	} {
		body := serveGet(h, "/?lang=en&"+tc.query).Body.String()
		var shown []string
		for _, tag := range articleTags(body) {
			if !strings.Contains(tag, " hidden") {
				shown = append(shown, attr(tag, "id"))
			}
		}
		if strings.Join(shown, ",") != strings.Join(tc.shown, ",") {
			t.Errorf("%q shows %v, want %v", tc.query, shown, tc.shown)
		}
		if (len(shown) == 0) == strings.Contains(body, `id="nomatch" hidden`) {
			t.Errorf("%q: the no-match notice is wrong", tc.query)
		}
	}
}

func articleTags(body string) []string {
	var out []string
	for {
		i := strings.Index(body, "<article ")
		if i < 0 {
			return out
		}
		j := strings.Index(body[i:], ">")
		out = append(out, body[i:i+j+1])
		body = body[i+j:]
	}
}

func attr(tag, name string) string {
	i := strings.Index(tag, " "+name+`="`)
	if i < 0 {
		return ""
	}
	rest := tag[i+len(name)+3:]
	return rest[:strings.Index(rest, `"`)]
}

// How a diagnosis was resolved shows when the pipeline reports it, by the
// JSON names match, score and alternatives.
func TestStatusResolution(t *testing.T) {
	d := &statusData{W: pageWords()["en"], Lang: "en", fmtTime: func(t time.Time) string { return t.String() }}
	d.Cards = []card{{
		Diagnosis:  diagnose.Diagnosis{ID: "apis/ds-not-found", Severity: "error", Title: "t"},
		Resolution: resolution{Origin: "custom", Match: "text", Score: 0.62, Alternatives: []alternative{{ID: "datasource/x", Title: "Other <b>one</b>", Remedy: "do y"}}},
	}}
	var b bytes.Buffer
	if err := pageTemplates().ExecuteTemplate(&b, "live", d); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<span class="tag">text</span>`, `<span class="tag origin">custom</span>`, "score 0.62", "Could also be",
		`<a href="/explain/datasource/x?lang=en">Other &lt;b&gt;one&lt;/b&gt;</a> — do y`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("resolution lacks %q:\n%s", want, b.String())
		}
	}
	var r resolution
	if err := json.Unmarshal([]byte(`{"id":"a","source":"custom","match":"rule","score":1,"alternatives":[{"id":"b","title":"B","remedy":"R"}]}`), &r); err != nil ||
		r.Match != "rule" || r.Origin != "custom" || len(r.Alternatives) != 1 || r.Alternatives[0].Remedy != "R" {
		t.Errorf("resolution from JSON: %+v %v", r, err)
	}
}
