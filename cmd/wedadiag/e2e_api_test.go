package main

// End-to-end tests of `wedadiag run`: the real binary (built once, with -race
// when the tests run with it) follows real files in a temporary directory
// and is observed only from outside — its log, /metrics, the HTTP API, its
// positions file, its exit status — and with real Prometheus tools.

import (
	"encoding/json"
	"fmt"
	"html"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/internal/config"
	"github.com/wedadiag/wedadiag/internal/testutil"
)

// TestE2EAPIStatusExplain follows every example log and checks that
// /api/v1/diagnoses returns the objects `wedadiag scan --format json`
// prints for the same lines (only sources differ: the daemon names its
// source, scan its files; and a record without a time of its own is seen
// when the daemon read it, while scan has no time for it), in both
// languages; that the status page shows
// each diagnosis with its remedy; and that /explain/<id> serves catalog
// entries whose ids contain a slash.
func TestE2EAPIStatusExplain(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	glob := filepath.Join(dir, "logs", "*.log")
	started := time.Now()
	d := startE2E(t, dir, nil, "--logs", glob, "--state-dir", filepath.Join(dir, "state"))
	var files []string
	for _, name := range []string{"app.log", "h5-console.log", "hosting-access.log", "scf-order-sync.log", "workflow.log", "benign.log"} {
		p, text := e2eExample(t, name)
		files = append(files, p)
		// Files that appear while the daemon runs are read from 0.
		testutil.WriteFile(t, filepath.Join(dir, "logs", name), text)
	}
	d.waitCounts(config.DefaultSourceName(glob), e2eExpect(t, files...))

	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"zh", "en"} {
		var api struct {
			Diagnoses []diagnose.Diagnosis `json:"diagnoses"`
		}
		body := d.mustGet("/api/v1/diagnoses?lang="+lang, http.StatusOK)
		if err := json.Unmarshal([]byte(body), &api); err != nil {
			t.Fatalf("/api/v1/diagnoses: %v\n%s", err, body)
		}
		scan := e2eScan(t, lang, files...).Diagnoses
		if len(scan) == 0 {
			t.Fatal("scan found nothing in the examples")
		}
		got, want := map[string]string{}, map[string]string{}
		scanByID := map[string]diagnose.Diagnosis{}
		for _, x := range scan {
			scanByID[x.ID] = x
		}
		now := time.Now()
		readTime := func(p *time.Time) bool { return p != nil && !p.Before(started) && !p.After(now) }
		for _, x := range api.Diagnoses {
			if !slices.Equal(x.Sources, []string{config.DefaultSourceName(glob)}) {
				t.Errorf("%s: api sources %v, want [%s]", x.ID, x.Sources, config.DefaultSourceName(glob))
			}
			x.Sources = nil
			// Only the live window has a trend and where its samples
			// came from (checked in internal/daemon and web).
			if len(x.Trend) != diagnose.TrendMinutes || len(x.SampleInfo) != len(x.Samples) {
				t.Errorf("%s: trend of %d minutes, %d sample infos for %d samples", x.ID, len(x.Trend), len(x.SampleInfo), len(x.Samples))
			}
			x.Trend, x.SampleInfo = nil, nil
			// A time when the record was read stands for a time the
			// record does not have: scan's may be anything.
			if sx := scanByID[x.ID]; readTime(x.FirstSeen) {
				x.FirstSeen = sx.FirstSeen
			}
			if sx := scanByID[x.ID]; readTime(x.LastSeen) {
				x.LastSeen = sx.LastSeen
			}
			got[x.ID] = mustJSON(t, x)
		}
		for _, x := range scan {
			x.Sources = nil
			want[x.ID] = mustJSON(t, x)
		}
		for _, id := range e2eSortedKeys(want) {
			if got[id] != want[id] {
				t.Errorf("lang %s, %s:\n api  %s\n scan %s", lang, id, got[id], want[id])
			}
		}
		for id := range got {
			if _, ok := want[id]; !ok {
				t.Errorf("lang %s: api has %s, scan does not", lang, id)
			}
		}

		// The status page: one card per diagnosis, with title, count and
		// remedy.
		page := d.mustGet("/?lang="+lang, http.StatusOK)
		for _, x := range api.Diagnoses {
			card := statusCard(page, x.ID)
			if card == "" {
				t.Errorf("lang %s: status page has no card for %s", lang, x.ID)
				continue
			}
			for _, s := range []string{x.Title, fmt.Sprintf("×%d", x.Count), x.Remedy} {
				if strings.TrimSpace(s) == "-" {
					continue // the FAQ gives no action: the page says so
				}
				if !strings.Contains(card, s) {
					t.Errorf("lang %s: status card of %s lacks %q", lang, x.ID, s)
				}
			}
		}

		// /explain/<id>: ids with a slash, and an unknown one.
		for _, x := range api.Diagnoses {
			e := cat.ByID(x.ID)
			page := html.UnescapeString(d.mustGet("/explain/"+x.ID+"?lang="+lang, http.StatusOK))
			for _, s := range []string{e.Title(lang), e.Code, e.Remedy(lang)} {
				if strings.TrimSpace(s) != "-" && !strings.Contains(page, s) {
					t.Errorf("lang %s: /explain/%s lacks %q", lang, x.ID, s)
				}
			}
		}
	}
	if !strings.Contains(d.mustGet("/explain/datasource/no-such-entry", http.StatusNotFound), "datasource/no-such-entry") {
		t.Error("/explain of an unknown id does not name it")
	}
}

// TestE2EKillBeforeSave kills the daemon after it processed lines but
// before it saved their positions: after the restart those lines are read
// again (at least once: a crash never loses a line), exactly those since
// the last save, together with what was written while it was down.
func TestE2EKillBeforeSave(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	glob := filepath.Join(dir, "logs", "*.log")
	app := filepath.Join(dir, "logs", "app.log")
	args := []string{"--logs", glob, "--state-dir", filepath.Join(dir, "state")}
	noSave := []string{"WEDADIAG_TAILER_SAVE_INTERVAL=1h"} // saves only at a clean stop
	appEx, appText := e2eExample(t, "app.log")
	wfEx, wfText := e2eExample(t, "workflow.log")
	h5Ex, h5Text := e2eExample(t, "h5-console.log")
	wantApp, wantWF, wantH5 := e2eExpect(t, appEx), e2eExpect(t, wfEx), e2eExpect(t, h5Ex)

	testutil.WriteFile(t, app, "")
	d := startE2E(t, dir, noSave, args...)
	testutil.AppendFile(t, app, appText)
	d.waitCounts(config.DefaultSourceName(glob), wantApp)
	if code, took := d.stop(syscall.SIGTERM, stopLimit); code != 0 {
		t.Fatalf("SIGTERM: exit %d after %v", code, took)
	}

	d = startE2E(t, dir, noSave, args...)
	testutil.AppendFile(t, app, wfText)
	d.waitCounts(config.DefaultSourceName(glob), wantWF)
	if code, _ := d.stop(syscall.SIGKILL, stopLimit); code != -1 {
		t.Fatalf("SIGKILL: exit %d", code)
	}

	testutil.AppendFile(t, app, h5Text)
	d = startE2E(t, dir, noSave, args...)
	d.waitCounts(config.DefaultSourceName(glob), wantWF.plus(wantH5))
}

// TestE2EStopWithOpenConnections stops the daemon while a client holds a
// connection that has sent nothing (a browser's preconnect, an HTTP
// client's spare connection) and another idle after a scrape: SIGTERM still
// exits 0 at once. (It used to wait out the 5s shutdown grace and exit 1
// with "context deadline exceeded".)
func TestE2EStopWithOpenConnections(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d := startE2E(t, dir, nil, "--logs", filepath.Join(dir, "logs", "*.log"), "--state-dir", filepath.Join(dir, "state"))
	silent, err := net.Dial("tcp", d.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	d.mustScrape() // leaves an idle keep-alive connection
	code, took := d.stop(syscall.SIGTERM, stopLimit)
	if code != 0 || took > 2*time.Second*testutil.TimeoutScale {
		t.Fatalf("SIGTERM with open connections: exit %d after %v, want 0 at once", code, took)
	}
}
