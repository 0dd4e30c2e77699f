package diagnose

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/internal/textutil"
	"github.com/wedadiag/wedadiag/parse"
	"github.com/wedadiag/wedadiag/rules"
)

func testCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	c, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTemplate(t *testing.T) {
	for in, want := range map[string]string{
		`2024-06-21T08:00:15.115+08:00 ERROR [app] TypeError: Cannot read properties of undefined (reading 'items')`: `<time>+<time> ERROR [app] TypeError: Cannot read properties of undefined (reading 'items')`,
		`{"level":"error","msg":"sync failed","order":"a1b2c3d4e5f60718","retry":3}`:                                 `{"level":"error","msg":"<s>","order":"<s>","retry":<n>}`,
		`ERROR job 7f9e1c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b failed after 1200ms`:                                         `ERROR job <uuid> failed after <id>`,
		"first line\n    at x (a.js:1:2)":                                                                            "first line",
	} {
		if got := Template(in); got != want {
			t.Errorf("Template(%q)\n got  %q\n want %q", in, got, want)
		}
	}
	// Records of one kind share a template; another kind does not.
	a := Template(`2024-06-21 10:00:01 ERROR order 1001 failed: timeout after 30s`)
	b := Template(`2024-06-21 11:12:13 ERROR order 2417 failed: timeout after 12s`)
	c := Template(`2024-06-21 11:12:13 ERROR payment 2417 refused`)
	if a != b || a == c {
		t.Errorf("templates: %q %q %q", a, b, c)
	}
}

func TestUnknownsBounded(t *testing.T) {
	u := NewUnknowns()
	for i := 0; i < maxTemplates+50; i++ {
		u.Add(fmt.Sprintf("ERROR kind%c%c broke", 'a'+i%26, 'a'+i/26%26) + strings.Repeat("x", i/676))
	}
	top := u.Top(maxTemplates + 100)
	if len(top) > maxTemplates {
		t.Errorf("%d templates kept, want at most %d", len(top), maxTemplates)
	}
	var total int64
	for _, x := range top {
		total += x.Count
	}
	if total != maxTemplates+50 {
		t.Errorf("counted %d records, want %d (overflow must still be counted)", total, maxTemplates+50)
	}
}

func TestAggregatorWindow(t *testing.T) {
	cat := testCatalog(t)
	e := cat.ByID("datasource/flexdb-resource-overdue")
	now := time.Date(2024, 6, 21, 8, 0, 0, 0, time.UTC)
	agg := NewAggregator(cat, Options{Window: 10 * time.Minute, Latest: true, Now: func() time.Time { return now }})
	for i := 0; i < 5; i++ {
		agg.Observe(Occurrence{Entry: e, Source: "app", Time: now, Sample: fmt.Sprintf("line %d", i)})
		now = now.Add(time.Minute)
	}
	if n := agg.Count(e.ID); n != 5 {
		t.Fatalf("count %d, want 5", n)
	}
	d := agg.Diagnoses("zh")
	if len(d) != 1 || d[0].Count != 5 || strings.Join(d[0].Samples, ",") != "line 2,line 3,line 4" {
		t.Fatalf("diagnoses %+v", d)
	}
	if d[0].Remedy != e.Advice || d[0].Title != e.Message || d[0].Code != e.Code || len(d[0].Related) == 0 {
		t.Errorf("diagnosis fields: %+v", d[0])
	}
	// Seven minutes on, the first occurrences left the window.
	now = now.Add(7 * time.Minute)
	if n := agg.Count(e.ID); n >= 5 || n == 0 {
		t.Errorf("count %d after 7 more minutes, want fewer than 5 and more than 0", n)
	}
	// Past the window with nothing new, the entry leaves the live view.
	now = now.Add(20 * time.Minute)
	if d := agg.Diagnoses("en"); len(d) != 0 {
		t.Errorf("stale diagnosis kept: %+v", d)
	}
}

// Without a window (scan), samples are the earliest records whatever the
// order they were observed in.
func TestAggregatorEarliestSamples(t *testing.T) {
	cat := testCatalog(t)
	e := cat.ByID("apis/ds-not-found")
	agg := NewAggregator(cat, Options{})
	for _, seq := range []int64{9, 4, 7, 1, 8, 4} {
		agg.Observe(Occurrence{Entry: e, Sample: fmt.Sprintf("record %d", seq), Seq: seq})
	}
	d := agg.Diagnoses("zh")
	if len(d) != 1 || d[0].Count != 6 || strings.Join(d[0].Samples, ",") != "record 1,record 4,record 7" {
		t.Fatalf("%+v", d)
	}
	if d[0].FirstSeen != nil {
		t.Errorf("first_seen without times: %v", d[0].FirstSeen)
	}
}

// The alternatives of a diagnosis do not depend on the order occurrences
// arrive in (parallel scan workers): they are the first MaxAlternatives by
// the earliest record that named each.
func TestAggregatorAlternativesOrderFree(t *testing.T) {
	cat := testCatalog(t)
	all := cat.Entries()
	e := all[0]
	var occs []Occurrence
	for seq := range int64(12) {
		// Each record names three entries, overlapping the next record's.
		alts := []*catalog.Entry{all[1+(seq*2)%20], all[2+(seq*2)%20], all[3+(seq*2)%20]}
		occs = append(occs, Occurrence{Entry: e, Seq: 11 - seq, Alternatives: alts})
	}
	ids := func(order []int) string {
		agg := NewAggregator(cat, Options{})
		for _, i := range order {
			agg.Observe(occs[i])
		}
		var out []string
		for _, a := range agg.Diagnoses("en")[0].Alternatives {
			out = append(out, a.ID)
		}
		return strings.Join(out, ",")
	}
	forward := make([]int, len(occs))
	backward := make([]int, len(occs))
	for i := range occs {
		forward[i], backward[i] = i, len(occs)-1-i
	}
	want := ids(backward) // by Seq: the record of Seq 0 first
	if n := strings.Count(want, ",") + 1; n != catalog.MaxAlternatives {
		t.Fatalf("%d alternatives, want %d: %s", n, catalog.MaxAlternatives, want)
	}
	first := occs[len(occs)-1].Alternatives
	if !strings.HasPrefix(want, first[0].ID+","+first[1].ID+","+first[2].ID) {
		t.Errorf("alternatives %s do not start with the earliest record's", want)
	}
	if got := ids(forward); got != want {
		t.Errorf("arrival order changes alternatives:\n %s\n %s", got, want)
	}
}

func TestResolveAll(t *testing.T) {
	cat := testCatalog(t)
	r := NewResolver(cat)
	ev := &parse.Event{Raw: `{"Response":{"Error":{"Code":"FailedOperation.FlexdbResourceOverdue","Message":"…"}}}`}
	ms := []rules.Match{
		{Rule: "weda-error-code", Code: "FailedOperation.FlexdbResourceOverdue", Message: "数据库资源到期", Event: ev},
		// A FAQ symptom whose answer is about that code: folded into it.
		{Rule: "faq/data-resource-access-limit", ID: "faq/data-resource-access-limit", Event: ev},
		// The message fallback: skipped, the code resolved.
		{Rule: "weda-error-message", Message: ev.Raw, Event: ev},
		// The same entry twice counts once.
		{Rule: "user", ID: "datasource/flexdb-resource-overdue", Event: ev},
		// A generic code without its message resolves to nothing.
		{Rule: "weda-error-code", Code: "FailedOperation", Message: "no table lists this", Event: &parse.Event{Raw: "x"}},
	}
	found := r.ResolveAll(ms, nil)
	if len(found) != 1 || found[0].Entry.ID != "datasource/flexdb-resource-overdue" {
		var ids []string
		for _, f := range found {
			ids = append(ids, f.Entry.ID)
		}
		t.Fatalf("found %v", ids)
	}
	// An unrelated symptom stays beside the code.
	ms = append(ms[:1], rules.Match{Rule: "faq/mp-republished-as-h5-blank", ID: "faq/mp-republished-as-h5-blank", Event: ev})
	if found := r.ResolveAll(ms, nil); len(found) != 2 {
		t.Errorf("found %d entries, want the code and the unrelated symptom", len(found))
	}
	// A message alone resolves when no code does.
	msg := "2024-06-21 ERROR 存在循环调用，启用流程失败，请检查自定义 API 方法、数据模型事件"
	if id := r.ResolveID(rules.Match{Message: msg, Event: &parse.Event{Raw: msg}}); id != "flow/start-circular-call" {
		t.Errorf("message alone: %q", id)
	}
}

func TestCut(t *testing.T) {
	s := strings.Repeat("数据库", 10) // 90 bytes
	got := textutil.Cut(s, 20)
	if len(got) > 20 || !strings.HasSuffix(got, "…") || !strings.HasPrefix(s, strings.TrimSuffix(got, "…")) {
		t.Errorf("cut = %q", got)
	}
	if textutil.Cut("short", 20) != "short" {
		t.Error("cut shortened a short string")
	}
}
