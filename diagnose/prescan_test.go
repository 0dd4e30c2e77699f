package diagnose

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wedadiag/wedadiag/parse"
	"github.com/wedadiag/wedadiag/record"
	"github.com/wedadiag/wedadiag/rules"
)

// prescanPieces are lines whose text the framer or the parser changes, or
// that a block scan could get wrong: a CRLF line, a BOM, a NUL, invalid
// UTF-8, blank and white lines, a broken JSON object, a line that is cut,
// a code at a line's very start and very end.
var prescanPieces = []string{
	"2024-06-21 08:00:05 ERROR call failed code=FailedOperation.FlexdbResourceOverdue\r",
	"\ufeff2024-06-21 08:00:05 ERROR code=100039 InvalidParameterValue",
	"\ufeff{\"level\":\"error\",\"code\":\"UserError.DsNotFound\",\"msg\":\"找不到数据源\"}",
	"2024-06-21 08:00:06 ERROR \x00 InvalidParameterValue in request",
	"2024-06-21 08:00:07 ERROR \xff\xfe 数据库资源到期或者数据库读写次数超过套餐包限制。",
	"", "   ", "\t",
	"{\"level\":\"error\",\"code\":\"FailedOperation.PackageExpired\",\"msg\":\"套餐",
	"ERROR FnError.HTTP.NetworkError " + strings.Repeat("底层接口网络请求失败 ", 40) + " FailedOperation.UserNoLicense",
	"FailedOperation.Aggregate",
	"[100039] 套餐到期 errCode: -504002",
	"2024-06-21 08:00:08 INFO ok code=0 errCode: 0 [INFO]",
}

// ScanFile finds the rules' literals a buffer at a time (prescan) and Scan
// a batch at a time (Worker.HandleBatch), and each hands each record its
// share; what they report must be what scanning every record by itself
// reports — on a file of several buffers,
// with lines the framer trims (CR, BOM), lines that are not clean, cut
// lines, lines longer than a read, multi-line records, blank lines, and a
// last line without a line break.
func TestBlockScansReportWhatRecordsAloneReport(t *testing.T) {
	prog := testProgram(t)
	rng := rand.New(rand.NewPCG(3, 9))
	var b strings.Builder
	for b.Len() < 3*readBytes {
		b.WriteString(chunkInput(t, rng))
		for range 50 {
			b.WriteString(prescanPieces[rng.IntN(len(prescanPieces))] + "\n")
		}
	}
	// Lines longer than a read (and than a batch group), whole or cut.
	long := "2024-06-21 08:00:09 ERROR " + strings.Repeat("底层接口网络请求失败 ", 2*readBytes/30) + " FailedOperation.UserNoLicense"
	body := b.String()
	i := strings.Index(body[readBytes/2:], "\n") + readBytes/2 + 1
	body = body[:i] + long + "\n" + body[i:] + long + "\n"
	for k, tail := range []string{"", "code=FailedOperation.FlexdbResourceOverdue", "ERROR InvalidParameter\r"} {
		path := filepath.Join(t.TempDir(), "x.log")
		if err := os.WriteFile(path, []byte(body+tail), 0o644); err != nil {
			t.Fatal(err)
		}
		maxLine := 400
		if k == 1 {
			maxLine = 4 * readBytes // the long lines whole
		}
		noBlockScan = true
		alone, _, _ := fileScan(t, prog, path, 1, 1, maxLine, "s")
		noBlockScan = false
		scan, _, _ := fileScan(t, prog, path, 1, 1, maxLine, "s")
		file, sc, _ := fileScan(t, prog, path, 1, 0, maxLine, "s")
		want, _ := json.MarshalIndent(alone, "", " ")
		for name, r := range map[string]scanResult{"Scan": scan, "ScanFile": file} {
			if got, _ := json.MarshalIndent(r, "", " "); string(got) != string(want) {
				t.Fatalf("tail %q: %s with a block's hits reports differently from each record scanned alone:\n%s",
					tail, name, firstDiff(string(want), string(got)))
			}
		}
		if n := sc.prescanned.Load(); n < file.Records/2 || len(file.Diagnoses) < 5 || (file.Bad["line_too_long"] == 0) != (k == 1) {
			t.Fatalf("tail %q: %d of %d records took a block's hits, %d diagnoses, bad %v: the test tells nothing",
				tail, n, file.Records, len(file.Diagnoses), file.Bad)
		}
	}
}

// HandleBatch's outcomes are Handle's, record by record: batches of
// records of one line and of several, with texts the parser changes, empty
// texts, texts longer than soloBytes, groups cut at groupBytes.
func TestHandleBatchIsHandle(t *testing.T) {
	prog := testProgram(t)
	cat := testCatalog(t)
	p := NewScanPipeline(prog, NewResolver(cat))
	rng := rand.New(rand.NewPCG(8, 1))
	texts := strings.Split(chunkInput(t, rng), "\n")
	texts = append(texts, prescanPieces...)
	texts = append(texts, multiLinePieces...)
	long := strings.Repeat("x FailedOperation.FlexdbResourceOverdue 数据库资源到期 ", soloBytes/40)
	texts = append(texts, long, long[:soloBytes-3], "")
	batchW, aloneW := p.NewWorker(), p.NewWorker()
	blocks := 0
	for round := range 300 {
		n := 1 + rng.IntN(40)
		if round%50 == 0 {
			n = 3000 // more than a group holds
		}
		recs := make([]record.Record, n)
		for i := range recs {
			text := texts[rng.IntN(len(texts))]
			if strings.Contains(text, "%d") {
				text = fmt.Sprintf(text, i)
			}
			recs[i] = record.Record{Source: "s", Path: "x.log", Text: []byte(text), Offset: int64(i), End: int64(i + 1),
				Lines: strings.Count(text, "\n") + 1, Clean: utf8.ValidString(text) && !strings.ContainsRune(text, 0)}
		}
		var got []string
		batchW.HandleBatch(recs, 100, func(i int, o *Outcome) {
			if o.Seq != int64(100+i) || o.Record != &recs[i] {
				t.Fatalf("outcome %d: seq %d, record %p, want %d, %p", i, o.Seq, o.Record, 100+i, &recs[i])
			}
			got = append(got, describeOutcome(o))
		})
		if len(batchW.block) > 0 {
			blocks++
		}
		if len(got) != n {
			t.Fatalf("%d outcomes for %d records", len(got), n)
		}
		for i := range recs {
			if want := describeOutcome(aloneW.Handle(&recs[i], int64(100+i))); got[i] != want {
				t.Fatalf("record %q: in a batch %s\nalone %s", recs[i].Text, got[i], want)
			}
		}
	}
	if blocks < 100 {
		t.Fatalf("only %d of 300 batches were scanned as a block", blocks)
	}
}

func describeOutcome(o *Outcome) string {
	var b strings.Builder
	for _, f := range o.Found {
		fmt.Fprintf(&b, "%s/%s/%.3f/%d; ", f.Entry.ID, f.Kind, f.Score, len(f.Alternatives))
	}
	fmt.Fprintf(&b, "bad %v unmatched %v parsed %v errors %d", o.Bad, o.Unmatched, o.Event != nil, len(o.Errors))
	return b.String()
}

// A reload between a block's scan and a record's match: the record is
// matched by the new program, its literals found again, not with the old
// program's hits (whose literal ids are another set's).
func TestHandleHitsAfterReload(t *testing.T) {
	cat := testCatalog(t)
	// A set of one rule: its literal ids mean other literals in the
	// built-in set.
	other, err := rules.Compile(rules.File{Name: "r.yaml", Data: []byte(`rules:
  - id: zz-first
    when: 'has("zzquux-marker")'
    yield: {id: datasource/flexdb-resource-overdue}
`)})
	if err != nil {
		t.Fatal(err)
	}
	progs := []*Program{{Set: other}, testProgram(t)}
	cur := 0
	p := New(Config{Program: func() *Program { return progs[cur] }, Resolver: NewResolver(cat)})
	w, alone := p.NewWorker(), p.NewWorker()
	text := []byte("2024-06-21 08:00:05 ERROR zzquux-marker code=FailedOperation.FlexdbResourceOverdue 数据库资源到期")
	hits, ok := w.ScanBlock(append(text, '\n'), nil)
	if !ok || len(hits) == 0 {
		t.Fatalf("the block scan found %v (ok %v)", hits, ok)
	}
	cur = 1
	rec := record.Record{Source: "s", Path: "x.log", Text: text, Lines: 1, Clean: true}
	got := describeOutcome(w.HandleHits(&rec, 1, hits, 0))
	if want := describeOutcome(alone.Handle(&rec, 1)); got != want {
		t.Fatalf("after a reload, with the old program's hits: %s\nmatched afresh: %s", got, want)
	}
}

// handle sets every field of the Outcome it reuses: none keeps the last
// record's value.
func TestOutcomeFieldsAllSet(t *testing.T) {
	if n := reflect.TypeFor[Outcome]().NumField(); n != 7 {
		t.Fatalf("Outcome has %d fields: make handle set the new ones, then this test check them", n)
	}
	prog := testProgram(t)
	p := NewScanPipeline(prog, NewResolver(testCatalog(t)))
	w := p.NewWorker()
	old := record.Record{Text: []byte("x")}
	w.out = Outcome{Record: &old, Seq: -1, Event: &parse.Event{}, Bad: []string{"nul_bytes"},
		Errors: []rules.RuleError{{Rule: "r"}}, Found: []Found{{}}, Unmatched: true}
	rec := record.Record{Source: "s", Path: "x.log", Text: []byte("2024-06-21 08:00:00 INFO all good"), Lines: 1, Clean: true}
	o := w.Handle(&rec, 5)
	if o.Record != &rec || o.Seq != 5 || o.Event != nil || len(o.Bad) != 0 || len(o.Errors) != 0 || len(o.Found) != 0 || o.Unmatched {
		t.Fatalf("outcome of a benign record keeps the last one's fields: %+v", *o)
	}
}

// A rule set with a literal that holds a line break is matched record by
// record, and HandleBatch still gives Handle's outcomes.
func TestHandleBatchWithoutBlockScans(t *testing.T) {
	set, err := rules.Compile(rules.File{Name: "nl.yaml", Data: []byte(`rules:
  - id: two-lines
    when: 'has("first\nsecond")'
    yield: {id: datasource/flexdb-resource-overdue}
`)})
	if err != nil {
		t.Fatal(err)
	}
	if set.NewMatcher().BlockScans() {
		t.Fatal("a set with a line break in a literal scans blocks")
	}
	p := NewScanPipeline(&Program{Set: set}, NewResolver(testCatalog(t)))
	recs := []record.Record{
		{Text: []byte("first\nsecond"), Lines: 2, Clean: true},
		{Text: []byte("first"), Lines: 1, Clean: true},
		{Text: []byte("second"), Lines: 1, Clean: true},
	}
	var got []string
	p.NewWorker().HandleBatch(recs, 1, func(_ int, o *Outcome) { got = append(got, describeOutcome(o)) })
	alone := p.NewWorker()
	for i := range recs {
		if want := describeOutcome(alone.Handle(&recs[i], int64(1+i))); got[i] != want {
			t.Fatalf("record %q: in a batch %s, alone %s", recs[i].Text, got[i], want)
		}
	}
	if !strings.Contains(got[0], "datasource/flexdb-resource-overdue") {
		t.Fatalf("the two-line record was not diagnosed: %s", got[0])
	}
}
