package daemon

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	promtest "github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/rules"
)

// exampleLogs is the example logs that scan's golden files pin, as one
// text.
func exampleLogs(t *testing.T) string {
	t.Helper()
	files, err := filepath.Glob("../../configs/examples/*.log")
	if err != nil || len(files) == 0 {
		t.Fatalf("example logs: %v", err)
	}
	slices.Sort(files)
	var b strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
		if len(data) > 0 && data[len(data)-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// builtinRules are the built-in catalog and the rules the daemon loads
// from it when no rule file is configured.
func builtinRules(t *testing.T) (*catalog.Catalog, *rules.Set) {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	set, err := diagnose.LoadRules(cat, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cat, set
}

// scanText runs text through the pipeline as `wedadiag scan` does.
func scanText(t *testing.T, text, source string, workers int) (*diagnose.Scanner, *diagnose.Aggregator, *diagnose.Unknowns) {
	t.Helper()
	cat, set := builtinRules(t)
	agg := diagnose.NewAggregator(cat, diagnose.Options{})
	unknown := diagnose.NewUnknowns()
	prog := &diagnose.Program{Set: set, Format: "auto"}
	sc := diagnose.NewScanner(diagnose.NewScanPipeline(prog, diagnose.NewResolver(cat), agg, unknown))
	sc.Workers = workers
	if err := sc.Scan(strings.NewReader(text), source, source+".log"); err != nil {
		t.Fatal(err)
	}
	return sc, agg, unknown
}

// The daemon and scan run one pipeline: the same records give the same
// diagnoses, counts and unmatched templates. What differs is by design:
// the daemon keeps the latest samples (scan the earliest) and dates
// occurrences without a time of their own when it read them (scan leaves
// them undated).
func TestScanAndDaemonAgree(t *testing.T) {
	text := exampleLogs(t)
	sc, agg, unknown := scanText(t, text, "app", 2)
	if sc.Records == 0 || len(agg.Diagnoses("en")) < 5 {
		t.Fatalf("the examples gave %d records, %d diagnoses: not a test", sc.Records, len(agg.Diagnoses("en")))
	}

	dir := t.TempDir()
	writeConfig(t, dir, "pipeline: {workers: 3}\n")
	writeLog(t, dir, "app.log", text)
	sink := newRecordSink("")
	h := newHarness(t, dir, sink, 0)
	start := time.Now().UTC()
	h.start(t)
	sink.wait(t, int(sc.Records))
	if err := h.stop(t); err != nil {
		t.Fatal(err)
	}
	if n := sink.count(); n != int(sc.Records) {
		t.Errorf("daemon read %d records, scan %d", n, sc.Records)
	}

	want, got := agg.Diagnoses("en"), h.d.agg.Diagnoses("en")
	byID := map[string]diagnose.Diagnosis{}
	for _, d := range got {
		byID[d.ID] = d
	}
	if len(got) != len(want) {
		t.Errorf("daemon found %d entries, scan %d", len(got), len(want))
	}
	for _, w := range want {
		g, ok := byID[w.ID]
		if !ok {
			t.Errorf("%s: scan found it, the daemon did not", w.ID)
			continue
		}
		if g.Count != w.Count || !slices.Equal(g.Sources, w.Sources) || g.Severity != w.Severity || g.Title != w.Title {
			t.Errorf("%s: daemon count %d sources %v severity %s, scan %d %v %s", w.ID, g.Count, g.Sources, g.Severity, w.Count, w.Sources, w.Severity)
		}
		switch {
		case w.FirstSeen == nil:
			// Undated in scan: the daemon dates them when it read them.
			if g.FirstSeen == nil || g.FirstSeen.Before(start) {
				t.Errorf("%s: undated records got first_seen %v, want their read time (after %v)", w.ID, g.FirstSeen, start)
			}
		case g.FirstSeen == nil || !g.FirstSeen.Equal(*w.FirstSeen):
			t.Errorf("%s: daemon first_seen %v, scan %v", w.ID, g.FirstSeen, w.FirstSeen)
		}
		// With fewer records than samples kept, earliest and latest are the
		// same set.
		if len(w.Samples) < 3 && !slices.Equal(sorted(g.Samples), sorted(w.Samples)) {
			t.Errorf("%s: daemon samples %q, scan %q", w.ID, g.Samples, w.Samples)
		}
	}

	if n := promtest.ToFloat64(h.d.pm.records.WithLabelValues("app")); int64(n) != sc.Records {
		t.Errorf("wedadiag_records_total %v, scan counted %d records", n, sc.Records)
	}
	for reason, n := range sc.Bad {
		if got := promtest.ToFloat64(h.d.pm.badRecords.WithLabelValues("app", reason)); int64(got) != n {
			t.Errorf("wedadiag_bad_records_total{reason=%q} %v, scan %d", reason, got, n)
		}
	}
	type tmpl struct {
		t string
		n int64
	}
	var wantT, gotT []tmpl
	var unmatched int64
	for _, u := range unknown.Top(1000) {
		wantT = append(wantT, tmpl{u.Template, u.Count})
		unmatched += u.Count
	}
	for _, u := range h.d.unknown.Top(1000) {
		gotT = append(gotT, tmpl{u.Template, u.Count})
	}
	if !slices.Equal(gotT, wantT) {
		t.Errorf("unmatched templates: daemon %v, scan %v", gotT, wantT)
	}
	if unmatched == 0 {
		t.Error("the examples gave no unmatched record: the comparison proves nothing")
	}
	if got := promtest.ToFloat64(h.d.pm.unmatched.WithLabelValues("app")); int64(got) != unmatched {
		t.Errorf("wedadiag_unmatched_errors_total %v, scan %d", got, unmatched)
	}
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }
