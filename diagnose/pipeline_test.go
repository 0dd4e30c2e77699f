package diagnose

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wedadiag/wedadiag/record"
	"github.com/wedadiag/wedadiag/redact"
)

const dsNotFound = `{"level":"error","msg":"%s","error":{"Response":{"Error":{"Code":"UserError.DsNotFound","Message":"找不到数据源"},"RequestId":"r"}}}`

// events records what a sink is told, in order.
type events struct {
	mu      sync.Mutex
	log     []string
	samples []string
}

func (e *events) Observe(o Occurrence) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.log = append(e.log, fmt.Sprintf("observe %s %s %s %q", o.Entry.ID, o.Source, o.Time.Format(time.RFC3339), o.Sample))
	e.samples = append(e.samples, o.Sample)
}

func (e *events) Record(o *Outcome) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.log = append(e.log, fmt.Sprintf("record %s found=%d unmatched=%v", o.Record.Source, len(o.Found), o.Unmatched))
}

type occurrencesOnly struct{ n int }

func (s *occurrencesOnly) Observe(Occurrence) { s.n++ }

func testProgram(t *testing.T) *Program {
	t.Helper()
	set, err := LoadRules(testCatalog(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Program{Set: set}
}

// Every sink sees every occurrence; record sinks then see the outcome;
// samples are made once, by the hook; a record without a time gets the
// read time when there is a clock.
func TestPipelineSinks(t *testing.T) {
	prog := testProgram(t)
	read := time.Date(2024, 6, 21, 8, 0, 0, 0, time.UTC)
	ev, only := &events{}, &occurrencesOnly{}
	p := New(Config{
		Program:  func() *Program { return prog },
		Resolver: NewResolver(testCatalog(t)),
		Sinks:    []Sink{ev, only},
		ReadTime: func() time.Time { return read },
		Redactor: mustRedactor(t, redact.Options{Extra: []redact.Pattern{{Name: "s", Regexp: "secret", Replace: "***"}}}),
	})
	w := p.NewWorker()
	for _, text := range []string{fmt.Sprintf(dsNotFound, "secret"), "INFO all fine", "ERROR something nobody knows"} {
		w.Handle(&record.Record{Source: "app", Text: []byte(text)}, 0)
	}
	want := []string{
		fmt.Sprintf("observe apis/ds-not-found app 2024-06-21T08:00:00Z %q", fmt.Sprintf(dsNotFound, "***")),
		"record app found=1 unmatched=false",
		"record app found=0 unmatched=false",
		"record app found=0 unmatched=true",
	}
	if !slices.Equal(ev.log, want) {
		t.Errorf("sinks were told\n%s\nwant\n%s", strings.Join(ev.log, "\n"), strings.Join(want, "\n"))
	}
	if only.n != 1 {
		t.Errorf("a plain Sink saw %d occurrences, want 1", only.n)
	}
}

func mustRedactor(t *testing.T, o redact.Options) *redact.Redactor {
	t.Helper()
	r, err := redact.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Samples are redacted before they are cut, whatever the configuration:
// a token at the start of a long record never reaches a sink, and no sample
// is over MaxSampleBytes.
func TestPipelineSamplesRedactedAndCut(t *testing.T) {
	prog := testProgram(t)
	ev := &events{}
	p := New(Config{Program: func() *Program { return prog }, Resolver: NewResolver(testCatalog(t)), Sinks: []Sink{ev}})
	w := p.NewWorker()
	text := fmt.Sprintf(dsNotFound, "Authorization: Bearer abcdefghijklmnopqrstu phone 13812345678 "+strings.Repeat("数据源", 1<<20/9))
	w.Handle(&record.Record{Source: "app", Text: []byte(text)}, 0)
	if len(ev.samples) != 1 {
		t.Fatalf("%d samples", len(ev.samples))
	}
	s := ev.samples[0]
	if len(s) > MaxSampleBytes || strings.Contains(s, "abcdefghijklmnopqrstu") || strings.Contains(s, "13812345678") {
		t.Errorf("sample of %d bytes: %.200q", len(s), s)
	}
}

// A worker takes the program current at each record: a reload reaches
// records handled after it.
func TestPipelineProgramSwap(t *testing.T) {
	prog := testProgram(t)
	plain := &Program{Set: prog.Set, Formats: map[string]string{"app": "plain"}}
	cur := prog
	agg := NewAggregator(testCatalog(t), Options{})
	p := New(Config{Program: func() *Program { return cur }, Resolver: NewResolver(testCatalog(t)), Sinks: []Sink{agg}})
	w := p.NewWorker()
	rec := record.Record{Source: "app", Text: fmt.Appendf(nil, dsNotFound, "x")}
	if o := w.Handle(&rec, 0); len(o.Found) != 1 {
		t.Fatalf("auto format: found %d", len(o.Found))
	}
	cur = plain
	if w.Handle(&rec, 1); w.prog != plain {
		t.Error("the worker kept the old program")
	}
}

// fakeSource is a Source over a fixed list of records.
type fakeSource struct {
	ch    chan record.Record
	mu    sync.Mutex
	acked []int64
}

func (f *fakeSource) Run(context.Context) error     { return nil }
func (f *fakeSource) Ready() bool                   { return true }
func (f *fakeSource) Records() <-chan record.Record { return f.ch }
func (f *fakeSource) Ack(r record.Record) {
	f.mu.Lock()
	f.acked = append(f.acked, r.Offset)
	f.mu.Unlock()
}

// Consume handles and acknowledges every record of a source.
func TestPipelineConsume(t *testing.T) {
	prog := testProgram(t)
	agg := NewAggregator(testCatalog(t), Options{})
	p := New(Config{Program: func() *Program { return prog }, Resolver: NewResolver(testCatalog(t)), Sinks: []Sink{agg}})
	src := &fakeSource{ch: make(chan record.Record, 100)}
	for i := range 100 {
		src.ch <- record.Record{Source: "app", Offset: int64(i), Text: fmt.Appendf(nil, dsNotFound, fmt.Sprint(i))}
	}
	close(src.ch)
	p.Consume(src, 4)
	slices.Sort(src.acked)
	if len(src.acked) != 100 || src.acked[0] != 0 || src.acked[99] != 99 {
		t.Errorf("acknowledged %d records", len(src.acked))
	}
	if n := agg.Count("apis/ds-not-found"); n != 100 {
		t.Errorf("%d occurrences, want 100", n)
	}
}

// determinismInput is the example logs many times over, each copy on
// another day and with its own texts, plus bad input, and between copies
// enough benign lines that the earliest records of an entry fall in
// different batches (so on different workers).
func determinismInput(t *testing.T) string {
	t.Helper()
	files, err := filepath.Glob("../configs/examples/*.log")
	if err != nil || len(files) == 0 {
		t.Fatalf("example logs: %v", err)
	}
	slices.Sort(files)
	var all strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(data)
	}
	benign, err := os.ReadFile("../configs/examples/benign.log")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for k := range 40 {
		for range batchRecords / 2 / bytes.Count(benign, []byte("\n")) {
			b.Write(benign)
		}
		day := fmt.Sprintf("2024-06-%02d", (k*11)%28+1)
		text := strings.ReplaceAll(all.String(), "2024-06-21", day)
		text = strings.ReplaceAll(text, "a1b2c3d4e5f60718", fmt.Sprintf("a1b2c3d4e5f6%04x", k))
		b.WriteString(text)
		fmt.Fprintf(&b, "ERROR copy %d broke \xff\xfe here\n", k)
		fmt.Fprintf(&b, "ERROR worker %d stalled\x00\n", k%7)
	}
	return b.String()
}

type scanResult struct {
	Lines, Records int64
	Bad            map[string]int64
	Diagnoses      []Diagnosis
	Unmatched      []Unmatched
}

func scanWith(t *testing.T, prog *Program, text string, workers int) scanResult {
	t.Helper()
	cat := testCatalog(t)
	agg := NewAggregator(cat, Options{})
	unknown := NewUnknowns()
	sc := NewScanner(NewScanPipeline(prog, NewResolver(cat), agg, unknown))
	sc.Workers = workers
	// Two streams: the order runs across them.
	half := strings.LastIndexByte(text[:len(text)/2], '\n') + 1
	for i, part := range []string{text[:half], text[half:]} {
		if err := sc.Scan(strings.NewReader(part), fmt.Sprintf("s%d", i), "x.log"); err != nil {
			t.Fatal(err)
		}
	}
	return scanResult{sc.Lines, sc.Records, sc.Bad, agg.Diagnoses("en"), unknown.Top(1000)}
}

// A scan reports the same whatever the number of workers: counts, times,
// samples (the earliest records), unmatched templates and their samples.
func TestScanWorkersDeterministic(t *testing.T) {
	prog := testProgram(t)
	text := determinismInput(t)
	one := scanWith(t, prog, text, 1)
	if one.Records < 4*batchRecords || len(one.Diagnoses) < 5 || len(one.Unmatched) == 0 || len(one.Bad) == 0 {
		t.Fatalf("input too small to tell: %d records, %d diagnoses, %d unmatched, bad %v", one.Records, len(one.Diagnoses), len(one.Unmatched), one.Bad)
	}
	want, _ := json.MarshalIndent(one, "", " ")
	for range 2 {
		many := scanWith(t, prog, text, 4)
		got, _ := json.MarshalIndent(many, "", " ")
		if string(got) != string(want) {
			t.Fatalf("4 workers report differently from 1:\n%s", firstDiff(string(want), string(got)))
		}
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n 1 worker:  %s\n 4 workers: %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(al), len(bl))
}

// seqs records each record's Seq by its offset.
type seqs struct {
	mu sync.Mutex
	by map[int64]int64
}

func (s *seqs) Observe(Occurrence) {}
func (s *seqs) Record(o *Outcome) {
	s.mu.Lock()
	s.by[o.Record.Offset] = o.Seq
	s.mu.Unlock()
}

// With several workers, a record's Seq is still its place in the source's
// order, and the daemon's aggregator (latest samples) keeps the same
// samples as with one worker: those of the last records sent.
func TestPipelineConsumeSeqDeterministic(t *testing.T) {
	prog := testProgram(t)
	const n = 2000
	for _, workers := range []int{1, 4} {
		agg := NewAggregator(testCatalog(t), Options{Latest: true, Window: time.Hour})
		got := &seqs{by: map[int64]int64{}}
		p := New(Config{Program: func() *Program { return prog }, Resolver: NewResolver(testCatalog(t)), Sinks: []Sink{agg, got}})
		src := &fakeSource{ch: make(chan record.Record, 64)}
		go func() {
			for i := range n {
				src.ch <- record.Record{Source: "app", Offset: int64(i), Text: fmt.Appendf(nil, dsNotFound, fmt.Sprint("m", i))}
			}
			close(src.ch)
		}()
		p.Consume(src, workers)
		for i := range int64(n) {
			if got.by[i] != i+1 {
				t.Fatalf("workers %d: record %d has Seq %d, want %d", workers, i, got.by[i], i+1)
			}
		}
		var samples []string
		for _, d := range agg.Diagnoses("en") {
			samples = append(samples, d.Samples...)
		}
		want := []string{fmt.Sprintf(dsNotFound, "m1997"), fmt.Sprintf(dsNotFound, "m1998"), fmt.Sprintf(dsNotFound, "m1999")}
		if strings.Join(samples, "\n") != strings.Join(want, "\n") {
			t.Errorf("workers %d: samples\n%s\nwant\n%s", workers, strings.Join(samples, "\n"), strings.Join(want, "\n"))
		}
	}
}

// batchSource is a BatchSource over batches of varied sizes.
type batchSource struct {
	fakeSource
	batches chan []record.Record
}

func (b *batchSource) Batches() <-chan []record.Record { return b.batches }

// handledSink counts Handled calls and the records seen before each.
type handledSink struct {
	seqs
	mu      sync.Mutex
	calls   int
	records int
}

func (h *handledSink) Record(o *Outcome) {
	h.seqs.Record(o)
	h.mu.Lock()
	h.records++
	h.mu.Unlock()
}

func (h *handledSink) Handled() {
	h.mu.Lock()
	h.calls++
	h.mu.Unlock()
}

// From a BatchSource too, with several workers a record's Seq is its place
// in the source's order and the latest samples are those of the last
// records; every record is acknowledged, and BatchSinks hear once a batch.
func TestPipelineConsumeBatchesDeterministic(t *testing.T) {
	prog := testProgram(t)
	const n = 2000
	for _, workers := range []int{1, 4} {
		agg := NewAggregator(testCatalog(t), Options{Latest: true, Window: time.Hour})
		got := &handledSink{seqs: seqs{by: map[int64]int64{}}}
		p := New(Config{Program: func() *Program { return prog }, Resolver: NewResolver(testCatalog(t)), Sinks: []Sink{agg, got}})
		src := &batchSource{batches: make(chan []record.Record, 4)}
		nb := 0
		go func() {
			for i := 0; i < n; {
				size := min(1+nb%37, n-i)
				b := make([]record.Record, size)
				for j := range b {
					b[j] = record.Record{Source: "app", Offset: int64(i + j), Text: fmt.Appendf(nil, dsNotFound, fmt.Sprint("m", i+j))}
				}
				src.batches <- b
				i += size
				nb++
			}
			close(src.batches)
		}()
		p.Consume(src, workers)
		for i := range int64(n) {
			if got.by[i] != i+1 {
				t.Fatalf("workers %d: record %d has Seq %d, want %d", workers, i, got.by[i], i+1)
			}
		}
		if len(src.acked) != n {
			t.Errorf("workers %d: %d acknowledged, want %d", workers, len(src.acked), n)
		}
		if got.calls != nb {
			t.Errorf("workers %d: Handled %d times for %d batches", workers, got.calls, nb)
		}
		var samples []string
		for _, d := range agg.Diagnoses("en") {
			samples = append(samples, d.Samples...)
		}
		want := []string{fmt.Sprintf(dsNotFound, "m1997"), fmt.Sprintf(dsNotFound, "m1998"), fmt.Sprintf(dsNotFound, "m1999")}
		if strings.Join(samples, "\n") != strings.Join(want, "\n") {
			t.Errorf("workers %d: samples\n%s\nwant\n%s", workers, strings.Join(samples, "\n"), strings.Join(want, "\n"))
		}
	}
}
