package containerlog

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wedadiag/wedadiag/record"
)

// Lines is what Source reads from: a source of one record per file line
// for the container sources (the tailer with multiline none for them),
// acknowledged line by line.
type Lines interface {
	Run(ctx context.Context) error
	Ready() bool
	Records() <-chan record.Record
	Ack(record.Record)
}

// batcher is a line source that also hands its records on in batches
// (the tailer): Source then reads those.
type batcher interface {
	Batches() <-chan []record.Record
}

// SourceConfig says how each source's lines are read.
type SourceConfig struct {
	// Formats maps a source name to CRI, Docker or Auto; other sources'
	// records pass through untouched.
	Formats map[string]string
	// Multiline maps a source name to how the inner text is grouped.
	Multiline map[string]record.Mode
	// MaxBytes bounds a joined line and a record (default record.DefaultMaxBytes).
	MaxBytes int
	// IdleFlush is how long a held record waits for a continuation line
	// (default 1s).
	IdleFlush time.Duration
}

// Source unwraps and joins container log lines between a line source and
// the pipeline. Records passed on keep Source, Path and Stream; Offset and
// End span the file lines they were made of; Time is the runtime's
// timestamp of the first.
type Source struct {
	in  Lines
	out chan []record.Record
	// pend is what the pump passes on next, in one batch; arena holds the
	// texts of the records it made, in blocks (those of pend).
	pend   []record.Record
	arena  []byte
	blocks [][]byte
	reuse  *record.Reuse
	// lastLane is the lane of the last container line, under lastKey.
	lastKey  laneKey
	lastLane *lane
	// unwrap keeps the second of the last timestamp read (the lines of a
	// busy container share it) and a buffer for docker's text.
	unwrap unwrapState

	records     <-chan record.Record
	recordsOnce sync.Once
	buffer      int

	mu  sync.RWMutex
	cfg SourceConfig

	// plain counts, per stream of an Auto source, the lines in a row that
	// were not container lines (-1: one was): past plainAfter the stream
	// is plain text and its records pass on as they are, unlooked at.
	// Only the pump uses it.
	plain map[uint64]int

	ackMu  sync.Mutex
	parts  map[key][]record.Record // a record passed on → the lines it was made of
	nparts atomic.Int64            // len(parts): Ack skips the lock while it is 0
}

// plainAfter is how many lines in a row that are not container lines make
// a stream of an Auto source plain text: a file is written by a container
// runtime or not, so its later lines are not looked at.
const plainAfter = 16

type key struct {
	stream uint64
	end    int64
}

// NewSource returns a Source over in.
func NewSource(in Lines, cfg SourceConfig) *Source {
	s := &Source{in: in, out: make(chan []record.Record, 16), buffer: 1024, reuse: record.NewReuse(batchRecords, arenaBytes, keepFree, maxOut), parts: map[key][]record.Record{}, plain: map[uint64]int{}}
	s.Configure(cfg)
	return s
}

// Configure replaces the configuration (a reload); lines already held keep
// the format they were read with.
func (s *Source) Configure(cfg SourceConfig) {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = record.DefaultMaxBytes
	}
	if cfg.IdleFlush <= 0 {
		cfg.IdleFlush = time.Second
	}
	s.mu.Lock()
	s.cfg = cfg
	s.mu.Unlock()
}

func (s *Source) config() SourceConfig {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cfg
}

// Records is the channel of records, closed after the line source's is. A
// receiver uses Records or Batches, not both.
func (s *Source) Records() <-chan record.Record {
	s.recordsOnce.Do(func() { s.records = record.Unbatch(s.out, s.buffer) })
	return s.records
}

// Batches is the channel of records in batches, in order, closed after
// the line source's is.
func (s *Source) Batches() <-chan []record.Record { return s.out }

// Ready is the line source's.
func (s *Source) Ready() bool { return s.in.Ready() }

// Ack acknowledges rec and the file lines it was made of.
func (s *Source) Ack(rec record.Record) {
	if s.nparts.Load() == 0 {
		// No record made of several lines is in flight: rec is a line
		// passed on as it was (the map is filled before a record is sent).
		s.in.Ack(rec)
		return
	}
	s.ackMu.Lock()
	k := key{rec.Stream, rec.End}
	lines, ok := s.parts[k]
	if ok {
		delete(s.parts, k)
		s.nparts.Add(-1)
	}
	s.ackMu.Unlock()
	if !ok {
		s.in.Ack(rec)
		return
	}
	for _, l := range lines {
		s.in.Ack(l)
	}
}

// AckBatch is Ack of every record of recs, handed to the line source's
// AckBatch at once when it has one and no joined record is in flight.
func (s *Source) AckBatch(recs []record.Record) {
	defer s.reuse.Release(recs) // a batch the pump made: filled again
	if b, ok := s.in.(interface{ AckBatch([]record.Record) }); ok && s.nparts.Load() == 0 {
		b.AckBatch(recs)
		return
	}
	if t, ok := s.in.(interface{ TakenApart([]record.Record) }); ok {
		t.TakenApart(recs) // a batch passed through comes back record by record
	}
	for i := range recs {
		s.Ack(recs[i])
	}
}

// Run runs the line source and unwraps its records until it stops.
func (s *Source) Run(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.pump()
	}()
	err := s.in.Run(ctx)
	<-done
	return err
}

// lane is one stream (stdout or stderr) of one open file: its partial
// line, its framer and the file lines of what both hold.
type lane struct {
	source, path string
	stream       uint64
	partial      []byte
	pieces       int    // the last pieces lines are the partial line's
	clean        bool   // the partial line's pieces so far are all clean
	lines        []held // file lines not yet in a record passed on
	fr           *record.Framer
	last         time.Time
}

type held struct {
	rec record.Record
	t   time.Time
}

type laneKey struct {
	stream uint64
	out    string // stdout or stderr
}

func (s *Source) pump() {
	defer close(s.out)
	lanes := map[laneKey]*lane{}
	cfg := s.config()
	// The ticker runs only while some lane exists: a source without
	// container lines costs no wake-up when idle.
	var tick *time.Ticker
	var tickC <-chan time.Time
	defer func() {
		if tick != nil {
			tick.Stop()
		}
	}()
	var in <-chan []record.Record
	if b, ok := s.in.(batcher); ok {
		in = b.Batches()
	} else {
		one := make(chan []record.Record)
		go func() {
			defer close(one)
			for rec := range s.in.Records() {
				one <- []record.Record{rec}
			}
		}()
		in = one
	}
	for {
		select {
		case batch, ok := <-in:
			if !ok {
				for _, l := range lanes {
					s.flush(l)
				}
				s.send()
				return
			}
			cfg = s.config()
			if len(s.pend) == 0 && s.passes(cfg, batch) {
				s.out <- batch
				continue
			}
			if s.pend == nil {
				s.pend = s.reuse.Records()
			}
			if s.pend == nil {
				s.pend = make([]record.Record, 0, max(len(batch), batchRecords))
			}
			byRef := false
			now := time.Now() // a batch is read at once: one time for its lines
			for _, rec := range batch {
				byRef = s.handle(cfg, lanes, rec, now) || byRef
			}
			s.giveBack(batch, byRef)
			s.send()
		case now := <-tickC:
			cfg = s.config()
			for k, l := range lanes {
				idle := now.Sub(l.last)
				if l.fr.Pending() && idle >= cfg.IdleFlush {
					s.flush(l)
				}
				if !l.fr.Pending() && len(l.lines) == 0 && idle > 10*time.Minute {
					delete(lanes, k) // a file long gone
					s.lastLane = nil
				}
			}
			s.send()
		}
		switch {
		case len(lanes) > 0 && tick == nil:
			tick = time.NewTicker(cfg.IdleFlush / 2)
			tickC = tick.C
		case len(lanes) == 0 && tick != nil:
			tick.Stop()
			tick, tickC = nil, nil
		}
	}
}

// passes reports whether every record of batch is passed on as it is: no
// container format applies to it.
func (s *Source) passes(cfg SourceConfig, batch []record.Record) bool {
	if len(cfg.Formats) == 0 {
		return true
	}
	for i := range batch {
		if f, ok := cfg.Formats[batch[i].Source]; ok && batch[i].Lines <= 1 && !s.isPlain(f, batch[i].Stream) {
			return false
		}
	}
	return true
}

// isPlain reports whether the records of stream (of a source in format
// f) are passed on unlooked at.
func (s *Source) isPlain(f string, stream uint64) bool {
	return f == Auto && stream != 0 && s.plain[stream] >= plainAfter
}

// notePlain counts a line of stream that was (container) or was not a
// container line.
func (s *Source) notePlain(stream uint64, container bool) {
	if stream == 0 {
		return
	}
	if len(s.plain) > 1<<14 {
		clear(s.plain) // streams of files long gone: tell apart again
	}
	switch n := s.plain[stream]; {
	case container:
		if n != -1 { // written once, not at every line
			s.plain[stream] = -1
		}
	case n >= 0 && n < plainAfter:
		s.plain[stream] = n + 1
	}
}

// send passes on what the pump has made.
func (s *Source) send() {
	if len(s.pend) > 0 {
		s.reuse.Sent(s.pend, s.blocks)
		s.out <- s.pend
		s.pend, s.blocks, s.arena = nil, nil, nil
	}
}

// giveBack tells the line source what becomes of batch, one it sent and
// the pump took apart: its records are acknowledged one by one, as the
// records made of them are. When none was passed on as it is (byRef), no
// record points into the batch any more (unwrapped texts were copied, and
// held lines keep no text), so the line source may fill it again at once.
func (s *Source) giveBack(batch []record.Record, byRef bool) {
	if !byRef {
		if r, ok := s.in.(interface{ Reusable([]record.Record) }); ok {
			r.Reusable(batch)
			return
		}
	}
	if t, ok := s.in.(interface{ TakenApart([]record.Record) }); ok {
		t.TakenApart(batch)
	}
}

// handle unwraps and frames one line of a batch taken apart. It reports
// whether the line was passed on as it is (its record still points into
// the batch).
func (s *Source) handle(cfg SourceConfig, lanes map[laneKey]*lane, rec record.Record, now time.Time) (byRef bool) {
	format, ok := cfg.Formats[rec.Source]
	if !ok || rec.Lines > 1 || s.isPlain(format, rec.Stream) {
		s.pend = append(s.pend, rec)
		return true
	}
	line, ok := unwrap(format, rec.Text, &s.unwrap)
	if format == Auto {
		s.notePlain(rec.Stream, ok)
	}
	if !ok {
		s.pend = append(s.pend, rec) // not a container line (auto), or a broken one: read as it is
		return true
	}
	k := laneKey{rec.Stream, line.Stream}
	l := s.lastLane
	if l == nil || s.lastKey != k {
		l = lanes[k]
	}
	if l == nil {
		mode, ok := cfg.Multiline[rec.Source]
		if !ok {
			mode = record.Auto
		}
		l = &lane{source: rec.Source, path: rec.Path, stream: rec.Stream,
			fr: record.NewFramer(rec.Source, rec.Path, mode, cfg.MaxBytes, 0)}
		lanes[k] = l
	}
	s.lastKey, s.lastLane = k, l // the next line is most often of the same lane
	l.last = now
	l.pieces++
	// The content of a CRI line is the end of the file line's bytes: clean
	// when they were (record.Line.Clean), and so is a line of clean pieces.
	clean := rec.Clean && line.Inner && (l.pieces == 1 || l.clean)
	text := line.Text
	if line.Partial || l.pieces > 1 {
		l.partial = append(l.partial, line.Text...)
		text = l.partial
	}
	// The held line keeps no text: its text is in partial or the framer
	// now, and the batch it came in may be filled again. The line source
	// takes back what the line spans when it is acknowledged (the tailer
	// charges its byte budget by file span, not by text).
	rec.Text = nil
	l.lines = append(l.lines, held{rec, line.Time})
	cut := false
	if len(text) > cfg.MaxBytes {
		text, cut = text[:cfg.MaxBytes], true
		if len(l.partial) > 0 {
			l.partial = text
		}
	}
	if line.Partial && !cut {
		l.clean = clean
		return false
	}
	first := l.lines[len(l.lines)-l.pieces].rec
	l.pieces = 0
	// A whole line of one piece goes to the framer as it is in the batch
	// (the framer copies what it holds), not through partial.
	l.fr.Push(record.Line{Text: text, Offset: first.Offset, End: rec.End, Cut: cut || rec.Cut, Clean: clean && !cut}, l.emit(s))
	l.partial = l.partial[:0]
	s.settle(l)
	return false
}

// emit passes a framed record on, remembering the file lines it spans.
func (l *lane) emit(s *Source) func(*record.Record) {
	return func(r *record.Record) {
		n := 0
		for n < len(l.lines) && l.lines[n].rec.End <= r.End {
			n++
		}
		out := *r
		out.Text = s.keep(r.Text)
		out.Stream = l.stream
		if n > 0 {
			out.Time = l.lines[0].t
		}
		if n == 1 && l.lines[0].rec.Offset == out.Offset && l.lines[0].rec.End == out.End {
			// One whole file line: acknowledging the record is
			// acknowledging the line (the line source gives back what a
			// record spans, whatever its text), so nothing is
			// remembered for Ack.
			l.lines = append(l.lines[:0], l.lines[1:]...)
			s.pend = append(s.pend, out)
			return
		}
		parts := make([]record.Record, n)
		for i := range n {
			parts[i] = l.lines[i].rec
		}
		l.lines = append(l.lines[:0], l.lines[n:]...)
		s.ackMu.Lock()
		if _, dup := s.parts[key{out.Stream, out.End}]; !dup {
			s.nparts.Add(1)
		}
		s.parts[key{out.Stream, out.End}] = parts
		s.ackMu.Unlock()
		s.pend = append(s.pend, out)
	}
}

// keep copies a record's text into the pump's arena, a block of
// arenaBytes at a time, never written where a record points until the
// batch it went out in is acknowledged whole (record.Reuse): one allocation
// for many records' texts, none once blocks come back.
func (s *Source) keep(text []byte) []byte {
	if len(text) > arenaBytes/4 {
		return append([]byte(nil), text...)
	}
	if cap(s.arena)-len(s.arena) < len(text) {
		if s.arena = s.reuse.Block(); s.arena == nil {
			s.arena = make([]byte, 0, arenaBytes)
		}
		s.blocks = append(s.blocks, s.arena)
	}
	start := len(s.arena)
	s.arena = append(s.arena, text...)
	return s.arena[start:len(s.arena):len(s.arena)]
}

const (
	// arenaBytes is the size of the blocks the texts of joined and
	// unwrapped records are copied to; batchRecords the capacity of a
	// batch the pump makes.
	arenaBytes   = 32 << 10
	batchRecords = 256
	// keepFree and maxOut bound the batches of the pump's own kept free
	// and remembered until they come back (record.Reuse).
	keepFree = 16
	maxOut   = 256
)

// settle acknowledges the file lines that no record will carry (blank
// lines the framer drops): those before the held record, if any, and
// before the partial line's pieces.
func (s *Source) settle(l *lane) {
	from := l.fr.PendingOffset()
	n := 0
	for n < len(l.lines)-l.pieces && (from < 0 || l.lines[n].rec.Offset < from) {
		n++
	}
	for _, h := range l.lines[:n] {
		s.in.Ack(h.rec)
	}
	l.lines = append(l.lines[:0], l.lines[n:]...)
}

// flush passes on the record the lane's framer holds.
func (s *Source) flush(l *lane) {
	l.fr.Flush(l.emit(s))
	s.settle(l)
}
