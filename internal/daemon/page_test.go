package daemon

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wedadiag/wedadiag/web"
)

// scriptLine is a WeDa error whose message is markup: the page must show
// it as text, and it must not run.
// It also holds a phone number, which samples never show (redacted).
const scriptLine = `{"level":"error","msg":"<script>document.title='pwned'</script><img src=x> phone 13812345678","requestId":"req-script-1",` +
	`"error":{"Response":{"Error":{"Code":"UserError.DsNotFound","Message":"找不到数据源"},"RequestId":"req-script-1"}}}`

// chromium returns the path of a Chromium binary, or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium is not installed (apt-get install chromium fonts-noto-cjk): the status page's browser test needs it")
	return ""
}

var articleTag = regexp.MustCompile(`<article [^>]*>`)

// cards returns the severity and visibility of each card in a DOM.
func cards(dom string) (all []string, visible []string) {
	for _, tag := range articleTag.FindAllString(dom, -1) {
		id := regexp.MustCompile(`id="([^"]*)"`).FindStringSubmatch(tag)[1]
		sev := regexp.MustCompile(`data-severity="([^"]*)"`).FindStringSubmatch(tag)[1]
		all = append(all, sev+" "+id)
		if !strings.Contains(tag, " hidden") {
			visible = append(visible, sev+" "+id)
		}
	}
	return all, visible
}

// screenshotDir is where the test writes its screenshots:
// $WEDADIAG_SCREENSHOTS, else testdata/screenshots (ignored by git).
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("WEDADIAG_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("testdata", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestStatusPageInChromium runs a daemon on the example logs and a line
// of markup, with a source whose glob matches nothing and a receiver that
// refuses alerts, and looks at its status page in headless Chromium: the
// cards, the health strip, filtering by hash (the script's job), and the
// markup shown as text. It writes screenshots at 1400 px and 390 px.
func TestStatusPageInChromium(t *testing.T) {
	bin := chromium(t)
	refused := make(chan struct{}, 16)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "receiver says no", http.StatusBadRequest)
		select {
		case refused <- struct{}{}:
		default:
		}
	}))
	defer hook.Close()

	dir := t.TempDir()
	text := exampleLogs(t) + scriptLine + "\n"
	sc, _, _ := scanText(t, text, "app", 1)
	writeLog(t, dir, "app.log", text)
	writeConfig(t, dir, fmt.Sprintf(`  - name: payments
    paths: [%q]
alerts:
  policy: {group_wait: 10ms}
  receivers:
    - {name: oncall-hook, type: webhook, url: %q}
`, filepath.Join(dir, "nothing-here", "*.log"), hook.URL+"/alert"))
	sink := newRecordSink("")
	h := newHarness(t, dir, sink, 5*time.Second)
	h.start(t)
	sink.wait(t, int(sc.Records))
	select {
	case <-refused:
	case <-time.After(waitLimit):
		t.Fatal("the receiver was never called")
	}
	// The worker notes the failure once the refusal is read: wait for the
	// health the page shows to say so.
	base := "http://" + h.addr
	health := waitHealth(t, base, func(h web.Health) bool {
		return len(h.Receivers) == 1 && h.Receivers[0].LastError != ""
	})
	if len(health.Sources) != 2 || health.Sources[0].Files != 1 || health.Sources[1].Files != 0 || health.Sources[0].LastRecord == nil {
		t.Errorf("health sources: %+v", health.Sources)
	}

	c := startChromium(t, bin)
	c.size(1400, 1100)

	// The cards, the health strip and the markup, in English.
	c.open(base + "/?lang=en")
	dom := c.dom()
	all, visible := cards(dom)
	if len(all) < 5 || len(visible) != len(all) {
		t.Fatalf("%d cards, %d visible; want at least 5, all visible\n%.2000s", len(all), len(visible), dom)
	}
	for _, want := range []string{
		`data-source="app"`, `class="src warn" data-source="payments"`, "no file matches yet",
		`data-receiver="oncall-hook"`, "receiver says no", `class="reload ok"`,
		"&lt;script&gt;document.title='pwned'&lt;/script&gt;&lt;img src=x&gt;", // shown as text
		"req-script-1", "app.log</code> @ offset", // where the sample came from
		`<svg viewBox="0 0 60 24"`, "<rect ",
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(dom, "13812345678") {
		t.Error("the page shows a sample that was not redacted")
	}
	var title string
	c.eval("document.title", &title)
	if title != "wedadiag diagnoses" {
		t.Errorf("title %q: the log's script ran", title)
	}
	if n := strings.Count(dom, "<script"); n != 1 {
		t.Errorf("%d script elements, want only the page's own", n)
	}
	var imgs int
	c.eval("document.querySelectorAll('main img').length", &imgs)
	if imgs != 0 {
		t.Error("the log's markup became an element")
	}
	if !strings.Contains(dom, `id="age"`) || strings.Contains(dom, `id="age" hidden`) {
		t.Error("the script did not show the page's age")
	}

	// Filtering as a user does: choose a severity, type a code.
	critical := 0
	for _, v := range visible {
		if strings.HasPrefix(v, "critical ") {
			critical++
		}
	}
	var search string
	c.eval(`(function () {
  var s = document.querySelector('select[name=severity]');
  s.value = 'critical';
  s.dispatchEvent(new Event('change', {bubbles: true}));
  return location.search;
})()`, &search)
	if _, vis := cards(c.dom()); len(vis) != critical || critical == 0 {
		t.Errorf("severity=critical shows %v, want the %d critical cards", vis, critical)
	}
	if !strings.Contains(search, "severity=critical") {
		t.Errorf("the filter is not kept in the address: %q", search)
	}
	c.eval(`(function () {
  document.querySelector('select[name=severity]').value = '';
  var q = document.querySelector('input[name=q]');
  q.value = 'dsnotfound';
  q.dispatchEvent(new Event('input', {bubbles: true}));
})()`, nil)
	if _, vis := cards(c.dom()); len(vis) != 1 || !strings.Contains(vis[0], "ds-not-found") {
		t.Errorf("searching dsnotfound shows %v, want the one DsNotFound card", vis)
	}
	// A filter in the hash, which only the script sees.
	c.open(base + "/?lang=zh#q=no-such-text-anywhere")
	dom = c.dom()
	if _, vis := cards(dom); len(vis) != 0 || strings.Contains(dom, `id="nomatch" hidden`) {
		t.Errorf("a search that matches nothing shows %v and no notice", vis)
	}
	// Without JavaScript every card shows, and the form's query filters.
	c.call("Emulation.setScriptExecutionDisabled", map[string]any{"value": true}, nil)
	c.open(base + "/?lang=en#severity=critical")
	if _, vis := cards(c.dom()); len(vis) != len(all) {
		t.Errorf("without JavaScript %d of %d cards show, want all", len(vis), len(all))
	}
	c.open(base + "/?lang=en&severity=critical")
	if _, vis := cards(c.dom()); len(vis) != critical {
		t.Errorf("without JavaScript the filter form's query shows %d cards, want %d", len(vis), critical)
	}
	c.call("Emulation.setScriptExecutionDisabled", map[string]any{"value": false}, nil)

	// A new diagnosis appears without reloading the page: by itself
	// (?refresh=1: every second), and when one asks (the refresh control,
	// with auto-refresh off).
	appendLine := func(line string) {
		t.Helper()
		f, err := os.OpenFile(filepath.Join(dir, "logs", "app.log"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteString(line + "\n"); err != nil {
			t.Fatal(err)
		}
	}
	records := int(sc.Records)
	for _, how := range []string{"auto", "click"} {
		if how == "auto" {
			c.open(base + "/?lang=en&refresh=1")
		} else {
			c.open(base + "/?lang=en&refresh=0")
		}
		all, _ = cards(c.dom())
		newID, newLine := newDiagnosisLine(t, h.d, all)
		c.eval("window.notReloaded = true", nil)
		appendLine(newLine)
		records++
		sink.wait(t, records)
		if how == "click" {
			c.eval("document.getElementById('refresh').click()", nil)
		}
		c.waitFor(fmt.Sprintf("document.getElementById(%q) !== null", newID))
		var kept bool
		c.eval("window.notReloaded === true", &kept)
		if !kept {
			t.Errorf("%s: the page reloaded to refresh", how)
		}
	}

	out := screenshotDir(t)
	for _, s := range []struct {
		name, query   string
		width, height int
	}{
		{"status-en-1400", "?lang=en", 1400, 1100}, {"status-zh-1400", "?lang=zh", 1400, 1100},
		{"status-en-390", "?lang=en", 390, 1600}, {"status-zh-390", "?lang=zh", 390, 1600},
		// a search, and the markup of the log shown as text
		{"status-en-1400-search", "?lang=en#q=req-script", 1400, 900},
	} {
		file := filepath.Join(out, s.name+".png")
		c.size(s.width, s.height)
		c.open(base + "/" + s.query)
		c.screenshot(file)
		t.Logf("screenshot %s", file)
	}
}

// newDiagnosisLine returns a log line of an error code whose entry is not
// among the cards, and that entry's id.
func newDiagnosisLine(t *testing.T, d *Daemon, cards []string) (string, string) {
	t.Helper()
	have := strings.Join(cards, "\n") + "\n"
	for _, e := range d.cat.Entries() {
		if e.Code == "" || !strings.Contains(e.Code, ".") || len(d.cat.ByCode(e.Code)) != 1 || strings.Contains(have, " "+e.ID+"\n") {
			continue
		}
		return e.ID, fmt.Sprintf(`{"level":"error","msg":"call failed","error":{"Response":{"Error":{"Code":%q,"Message":"x"},"RequestId":"req-new-1"}}}`, e.Code)
	}
	t.Fatal("no catalog entry left to find")
	return "", ""
}

// waitHealth asks the API for the health until ok accepts it.
func waitHealth(t *testing.T, base string, ok func(web.Health) bool) web.Health {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(waitLimit)
	for {
		var body struct{ Health web.Health }
		resp, err := http.Get(base + "/api/v1/diagnoses")
		if err != nil {
			t.Fatal(err)
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if ok(body.Health) {
			return body.Health
		}
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("health never as wanted: %+v", body.Health)
		}
	}
}
