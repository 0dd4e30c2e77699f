package diagnose

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/wedadiag/wedadiag/internal/automaton"
	"github.com/wedadiag/wedadiag/internal/textutil"
	"github.com/wedadiag/wedadiag/parse"
	"github.com/wedadiag/wedadiag/record"
	"github.com/wedadiag/wedadiag/redact"
	"github.com/wedadiag/wedadiag/rules"
)

// Program is what records are matched with: a compiled rule set and the
// input format each source declares. It does not change once built; a
// reload builds a new one.
type Program struct {
	Set *rules.Set
	// Formats maps a source name to its declared input format
	// (parse.InputJSON, …).
	Formats map[string]string
	// Format is the format of sources that Formats does not name; ""
	// recognises each record's.
	Format string
	// Resolver, when set, replaces Config.Resolver for records matched
	// with this program: the catalog of its rule files' custom entries.
	Resolver *Resolver
	// Location is the zone of times logged without one (nil: the
	// machine's): the timezone setting.
	Location *time.Location
}

func (p *Program) resolver(fallback *Resolver) *Resolver {
	if p.Resolver != nil {
		return p.Resolver
	}
	return fallback
}

func (p *Program) format(source string) string {
	if len(p.Formats) > 0 { // a map lookup a record, where most configs declare none
		if f, ok := p.Formats[source]; ok {
			return f
		}
	}
	return p.Format
}

// Sink takes the occurrences the pipeline finds, as it finds them. The
// pipeline's workers call it concurrently; it must not block.
type Sink interface {
	Observe(Occurrence)
}

// RecordSink is a Sink that is also told what every record came to: the
// place for per-record counters. Record is called after the record's
// occurrences were observed by every sink, so a sink that counts records
// knows the diagnoses of those records are visible.
type RecordSink interface {
	Sink
	Record(*Outcome)
}

// BatchSink is a RecordSink that is also told when a worker has handled a
// batch of records (or one record, from a Source without batches): the
// place for what is worth doing once a batch, such as reading the clock.
type BatchSink interface {
	RecordSink
	Handled()
}

// WorkerSink is a RecordSink that counts apart in each worker: the
// pipeline gives each Worker the recorder ForWorker returns, hands it the
// worker's records, and has it Flush once the worker has handled a batch,
// before the batch is acknowledged. Workers then do not take turns at a
// shared counter's cache line for every record.
type WorkerSink interface {
	RecordSink
	ForWorker() WorkerRecorder
}

// WorkerRecorder is one worker's part of a WorkerSink. Flush publishes
// what Record held back.
type WorkerRecorder interface {
	Record(*Outcome)
	Flush()
}

// Outcome is what one record came to. It is valid during the call that
// hands it on.
type Outcome struct {
	Record *record.Record
	// Seq is the record's order (scan: its number across its files).
	Seq int64
	// Event is the parsed record, nil when it was not parsed.
	Event *parse.Event
	// Bad lists the reasons the record was not clean (parse.BadReasons).
	Bad []string
	// Errors lists the rules that failed on it at run time.
	Errors []rules.RuleError
	// Found are the catalog entries it revealed.
	Found []Found
	// Unmatched reports a record that looks like an error but that no rule
	// explains.
	Unmatched bool
}

// Source is where records come from: it reads while Run runs, sends
// records on Records (closed when Run returns) and is told by Ack that a
// record is processed. The tailer is one.
type Source interface {
	Run(ctx context.Context) error
	Ready() bool
	Records() <-chan record.Record
	Ack(record.Record)
}

// BatchSource is a Source that also hands its records on in batches, in
// order (the tailer): Consume then takes a batch per channel receive.
type BatchSource interface {
	Source
	Batches() <-chan []record.Record
}

// BatchAcker is a Source that takes the acknowledgements of a handled
// batch at once.
type BatchAcker interface {
	AckBatch([]record.Record)
}

// Config builds a Pipeline.
type Config struct {
	// Program returns the program to match with; a worker takes a new one
	// between records (a reload). Required.
	Program func() *Program
	// Resolver maps matches to catalog entries. Required.
	Resolver *Resolver
	// Sinks take every occurrence, in this order; those that are
	// RecordSinks also see every record's Outcome, after all occurrences.
	Sinks []Sink
	// ReadTime, when set, gives the time of occurrences whose record has
	// none of its own (the daemon: when it was read). Unset, such
	// occurrences have no time (scan: a file without times tells none).
	ReadTime func() time.Time
	// Redactor makes an occurrence's sample from a record's whole text: it
	// masks secrets and personal data, then cuts to its limit (≤
	// MaxSampleBytes), so nothing downstream stores, serves or sends more.
	// Unset, redact.Default() (the built-in patterns). Give the same one to
	// Unknowns.SetRedactor, which makes the unmatched samples.
	Redactor *redact.Redactor
}

// Pipeline is the one path from a record to its diagnoses, which `wedadiag
// scan` and the daemon both run: match with the program's rules, resolve
// against the catalog, make samples, and hand occurrences and outcomes to
// the sinks. It is safe for concurrent use through one Worker per
// goroutine.
type Pipeline struct {
	cfg     Config
	records []RecordSink
	batched []BatchSink
	// samplers are the sinks that say when they need a sample; always is
	// set when some sink takes a sample with every occurrence.
	samplers []SampleUser
	always   bool
}

// SampleUser is a Sink that says whether it needs an occurrence's sample:
// the pipeline makes one (redacting, which costs more than matching) only
// when some sink will keep it. A Sink that does not implement it gets a
// sample with every occurrence.
type SampleUser interface {
	WantsSample(o *Occurrence) bool
}

// New returns a Pipeline.
func New(cfg Config) *Pipeline {
	if cfg.Redactor == nil {
		cfg.Redactor = redact.Default()
	}
	p := &Pipeline{cfg: cfg}
	for _, s := range cfg.Sinks {
		if r, ok := s.(RecordSink); ok {
			p.records = append(p.records, r)
		}
		if b, ok := s.(BatchSink); ok {
			p.batched = append(p.batched, b)
		}
		if u, ok := s.(SampleUser); ok {
			p.samplers = append(p.samplers, u)
		} else {
			p.always = true
		}
	}
	return p
}

// wantsSample reports whether some sink needs o's sample.
func (p *Pipeline) wantsSample(o *Occurrence) bool {
	if p.always {
		return true
	}
	for _, u := range p.samplers {
		if u.WantsSample(o) {
			return true
		}
	}
	return false
}

// makeSample redacts text and cuts it to at most MaxSampleBytes.
func (p *Pipeline) makeSample(text string) string {
	return textutil.Cut(p.cfg.Redactor.Sample([]byte(text)), MaxSampleBytes)
}

// Worker runs records through a Pipeline on one goroutine; it owns a
// rules.Matcher and buffers.
type Worker struct {
	p     *Pipeline
	prog  *Program
	m     *rules.Matcher
	found []Found
	out   Outcome
	text  rules.Match // the text matcher's match of the current record
	pre   prescan     // ScanFile's literals found a buffer at a time
	// recs are the record sinks, a WorkerSink's as its recorder for this
	// worker; flush are those recorders (Flush).
	recs  []interface{ Record(*Outcome) }
	flush []WorkerRecorder
	// HandleBatch's: the texts of a group joined, their hits.
	joined  []byte
	block   []automaton.Hit
	scanned *rules.Matcher // the matcher whose literals ScanBlock found
}

// NewWorker returns a Worker of p.
func (p *Pipeline) NewWorker() *Worker {
	w := &Worker{p: p}
	for _, r := range p.records {
		if ws, ok := r.(WorkerSink); ok {
			wr := ws.ForWorker()
			w.recs, w.flush = append(w.recs, wr), append(w.flush, wr)
			continue
		}
		w.recs = append(w.recs, r)
	}
	return w
}

// Flush has the worker's WorkerSink recorders publish what they hold:
// Consume calls it after each batch; whoever drives a Worker otherwise
// calls it before relying on those sinks' counts.
func (w *Worker) Flush() {
	for _, f := range w.flush {
		f.Flush()
	}
}

// Handle runs one record of order seq through the pipeline and returns
// what it came to, valid until the next call.
func (w *Worker) Handle(rec *record.Record, seq int64) *Outcome {
	w.current()
	return w.handle(rec, seq, w.m.MatchFormat(rec, w.prog.format(rec.Source)))
}

// HandleHits is Handle for a record whose literals ScanBlock found already
// (rules.Matcher.MatchHits): hits are those inside the record, its text at
// offset base of the block.
func (w *Worker) HandleHits(rec *record.Record, seq int64, hits []automaton.Hit, base uint32) *Outcome {
	w.current()
	if w.m != w.scanned {
		// The program changed since ScanBlock (a reload): its literals
		// are not this matcher's.
		return w.Handle(rec, seq)
	}
	return w.handle(rec, seq, w.m.MatchHits(rec, w.prog.format(rec.Source), hits, base))
}

// ScanBlock finds the literals of the worker's rules in block, a run of
// whole lines read ahead, for HandleHits (rules.Matcher.ScanBlock).
func (w *Worker) ScanBlock(block []byte, hits []automaton.Hit) ([]automaton.Hit, bool) {
	w.current()
	w.scanned = w.m
	return w.m.ScanBlock(block, hits)
}

// HandleBatch handles records in order, the first of order first, and
// calls done (when set) with each one's Outcome. It finds the rules'
// literals in all their texts with one scan, the texts joined by line
// breaks into a buffer of the worker's (ScanBlock), and hands each record
// its share (HandleHits): the scan's work at each text's ends and its
// setup are paid once a group, not once a record. Records longer than
// soloBytes, and every record when the set's literals cannot be found by
// block, are scanned by themselves.
func (w *Worker) HandleBatch(recs []record.Record, first int64, done func(i int, o *Outcome)) {
	w.current()
	if noBlockScan || len(recs) < 2 || !w.m.BlockScans() {
		for i := range recs {
			w.finish(done, i, w.Handle(&recs[i], first+int64(i)))
		}
		return
	}
	for i := 0; i < len(recs); {
		// A group: the records from i whose texts fit groupBytes together.
		w.joined = w.joined[:0]
		j := i
		for j < len(recs) && len(recs[j].Text) <= soloBytes && len(w.joined)+len(recs[j].Text) < groupBytes {
			w.joined = append(append(w.joined, recs[j].Text...), '\n')
			j++
		}
		ok := false
		if j-i >= 2 {
			w.block, ok = w.ScanBlock(w.joined, w.block[:0])
		}
		if !ok {
			j = max(j, i+1)
			for ; i < j; i++ {
				w.finish(done, i, w.Handle(&recs[i], first+int64(i)))
			}
			continue
		}
		off, next := 0, 0
		for ; i < j; i++ {
			end := off + len(recs[i].Text)
			k := next
			for k < len(w.block) && int(w.block[k].End) <= end {
				k++
			}
			w.finish(done, i, w.HandleHits(&recs[i], first+int64(i), w.block[next:k], uint32(off)))
			off, next = end+1, k
		}
	}
}

// noBlockScan turns HandleBatch's and ScanFile's scans of many records at
// once off: tests compare what they report with what records scanned one
// by one report.
var noBlockScan bool

// groupBytes bounds the texts HandleBatch scans at once; soloBytes is the
// longest text it joins to others.
const (
	groupBytes = 256 << 10
	soloBytes  = 64 << 10
)

func (w *Worker) finish(done func(int, *Outcome), i int, o *Outcome) {
	if done != nil {
		done(i, o)
	}
}

// current makes the worker's matcher the current program's.
func (w *Worker) current() {
	if prog := w.p.cfg.Program(); prog != w.prog {
		w.prog, w.m = prog, prog.Set.NewMatcher()
		w.m.SetLocation(prog.Location)
	}
}

func (w *Worker) handle(rec *record.Record, seq int64, res rules.Result) *Outcome {
	resolver := w.prog.resolver(w.p.cfg.Resolver)
	w.found = resolver.ResolveAll(res.Matches, w.found[:0])
	// The last step, for error-like records that no rule explained: the
	// ranked text matcher.
	if len(w.found) == 0 && res.ErrorLike && res.Event != nil {
		if f, ok := resolver.MatchText(res.Event, &w.text); ok {
			w.found = append(w.found, f)
		}
	}
	// Field by field, every field: a composite literal assigned through
	// the pointer is a copy with write barriers, about 20 ns a record.
	o := &w.out
	o.Record, o.Seq, o.Event, o.Bad, o.Errors, o.Found = rec, seq, res.Event, res.Bad, res.Errors, w.found
	// ErrorLike, not Suspect: a rule may have matched (a generic code such
	// as FailedOperation) and still resolved to no entry.
	o.Unmatched = len(w.found) == 0 && res.ErrorLike && res.Event != nil
	if len(w.found) > 0 {
		var readAt time.Time
		for _, f := range w.found {
			ev := f.Match.Event
			t := ev.Time
			if t.IsZero() && w.p.cfg.ReadTime != nil {
				if readAt.IsZero() {
					readAt = w.p.cfg.ReadTime()
				}
				t = readAt
			}
			occ := Occurrence{
				Entry: f.Entry, Source: rec.Source, Time: t,
				Labels: f.Match.Labels, Seq: seq,
				// The Event's strings share the record's bytes, which the
				// reader reuses: a sink may keep the occurrence.
				Path: rec.Path, Offset: rec.Offset, RequestID: strings.Clone(ev.RequestID),
				Match: f.Kind, Score: f.Score, Alternatives: f.Alternatives,
			}
			if w.p.wantsSample(&occ) {
				occ.Sample = w.p.makeSample(ev.Raw)
			}
			for _, s := range w.p.cfg.Sinks {
				s.Observe(occ)
			}
		}
	}
	for _, s := range w.recs {
		s.Record(o)
	}
	return o
}

// handled tells the BatchSinks that a batch was handled.
func (p *Pipeline) handled() {
	for _, b := range p.batched {
		b.Handled()
	}
}

// Consume runs workers goroutines that handle the records of src and
// acknowledge each once handled, until src closes Records. A record's Seq
// is its place in the order src sent them (1, 2, …), whichever worker
// handles it: what the sinks keep by order (the latest samples, the
// earliest unmatched one) is the same with one worker or several.
func (p *Pipeline) Consume(src Source, workers int) {
	if b, ok := src.(BatchSource); ok {
		p.consumeBatches(b, workers)
		return
	}
	p.consumeBatches(batched{src}, workers)
}

// batched makes a record-by-record Source a BatchSource: a batch is the
// record that came and those already waiting behind it, up to 16, so that
// workers take records in turns a few at a time.
type batched struct{ Source }

func (b batched) Batches() <-chan []record.Record {
	const take = 16
	in := b.Records()
	out := make(chan []record.Record)
	go func() {
		defer close(out)
		for rec := range in {
			batch := append(make([]record.Record, 0, take), rec)
		more:
			for len(batch) < take {
				select {
				case rec, ok := <-in:
					if !ok {
						break more
					}
					batch = append(batch, rec)
				default:
					break more
				}
			}
			out <- batch
		}
	}()
	return out
}

// consumeBatches is Consume of a BatchSource: a worker takes a whole
// batch, numbering its records as it takes it, and handles it while the
// others take the next ones.
func (p *Pipeline) consumeBatches(src BatchSource, workers int) {
	in := src.Batches()
	ack := func(batch []record.Record) {
		for i := range batch {
			src.Ack(batch[i])
		}
	}
	if a, ok := src.(BatchAcker); ok {
		ack = a.AckBatch
	}
	if workers <= 1 {
		w := p.NewWorker()
		var seq int64
		for batch := range in {
			w.HandleBatch(batch, seq+1, nil)
			w.Flush()
			seq += int64(len(batch))
			ack(batch)
			p.handled()
		}
		return
	}
	var (
		mu   sync.Mutex
		next int64
		wg   sync.WaitGroup
	)
	for range workers {
		wg.Go(func() {
			w := p.NewWorker()
			for {
				mu.Lock()
				batch, ok := <-in
				first := next + 1
				next += int64(len(batch))
				mu.Unlock()
				if !ok {
					return
				}
				w.HandleBatch(batch, first, nil)
				w.Flush()
				ack(batch)
				p.handled()
			}
		})
	}
	wg.Wait()
}
