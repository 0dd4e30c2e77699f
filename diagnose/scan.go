package diagnose

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/wedadiag/wedadiag/internal/record"
	"github.com/wedadiag/wedadiag/rules"
)

// Scanner reads log streams once, start to end, and collects what they
// reveal: the engine of `wedadiag scan`. One goroutine reads and frames;
// Workers goroutines match records in batches. What it reports does not
// depend on how the work was shared: samples are the earliest records. A
// Scanner is not safe for concurrent use.
type Scanner struct {
	Resolver  *Resolver
	Agg       *Aggregator
	Unknown   *Unknowns
	Multiline record.Mode
	// Format is the input format the streams declare (rules.InputAuto,
	// InputJSON, …); "" recognises each record's.
	Format string
	// MaxLineBytes cuts longer lines (default record.DefaultMaxBytes).
	MaxLineBytes int
	// Workers is how many goroutines match records (default GOMAXPROCS).
	Workers int
	// Progress, when set, is called with the bytes read so far of the
	// current stream, a few times per second at most.
	Progress func(read int64)
	// OnRecord, when set, is called for every record that yields at least
	// one diagnosis, with what it yielded (valid only during the call). It
	// runs on the worker goroutines, concurrently: the accuracy harness
	// (`scan-records`) uses it to attribute diagnoses to records.
	OnRecord func(rec *record.Record, found []Found)

	Lines, Records int64
	// Bad counts records per bad-input reason.
	Bad map[string]int64

	set *rules.Set
	seq int64 // records handed out, across streams
}

// NewScanner returns a Scanner matching with set and resolving with res.
func NewScanner(set *rules.Set, res *Resolver, agg *Aggregator) *Scanner {
	return &Scanner{
		Resolver: res, Agg: agg, Unknown: NewUnknowns(),
		set: set, Bad: map[string]int64{},
	}
}

// A batch carries framed records to a worker: their texts in one buffer.
type batch struct {
	text []byte
	recs []batchRec
}

type batchRec struct {
	rec        record.Record // Text unset
	start, end int           // of its text in batch.text
	seq        int64
}

const (
	batchRecords = 512
	batchBytes   = 256 << 10
)

// gzipMagic starts every gzip stream.
var gzipMagic = []byte{0x1f, 0x8b}

// Scan reads one stream to its end. A gzip stream is decompressed
// transparently. source names the stream in diagnoses; path in records.
func (s *Scanner) Scan(r io.Reader, source, path string) error {
	br := bufio.NewReaderSize(r, 256<<10)
	if head, _ := br.Peek(2); bytes.Equal(head, gzipMagic) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 256<<10)
	}
	maxLine := s.MaxLineBytes
	if maxLine <= 0 {
		maxLine = record.DefaultMaxBytes
	}
	workers := s.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	work := make(chan *batch, workers)
	free := make(chan *batch, 2*workers+1)
	for i := 0; i < cap(free); i++ {
		free <- &batch{}
	}
	bad := make([]map[string]int64, workers)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		bad[i] = map[string]int64{}
		wg.Go(func() { s.work(work, free, bad[i]) })
	}
	cur := <-free
	send := func() {
		if len(cur.recs) > 0 {
			work <- cur
			cur = <-free
		}
	}
	fr := record.NewFramer(source, path, s.Multiline, maxLine, 0)
	emit := func(rec *record.Record) {
		s.Records++
		start := len(cur.text)
		cur.text = append(cur.text, rec.Text...)
		br := batchRec{rec: *rec, start: start, end: len(cur.text), seq: s.seq}
		br.rec.Text = nil
		s.seq++
		cur.recs = append(cur.recs, br)
		if len(cur.recs) >= batchRecords || len(cur.text) >= batchBytes {
			send()
		}
	}
	lr := lineReader{br: br, max: maxLine}
	var lastTick time.Time
	var readErr error
	for {
		start := lr.off
		line, cut, err := lr.next()
		if lr.off > start {
			s.Lines++
			fr.Push(record.Line{Text: line, Offset: start, End: lr.off, Cut: cut}, emit)
		}
		if s.Progress != nil && time.Since(lastTick) > 250*time.Millisecond {
			lastTick = time.Now()
			s.Progress(lr.off)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			readErr = fmt.Errorf("%s: %w", path, err)
			break
		}
	}
	fr.Flush(emit)
	send()
	close(work)
	wg.Wait()
	for _, m := range bad {
		for reason, n := range m {
			s.Bad[reason] += n
		}
	}
	if s.Progress != nil {
		s.Progress(lr.off)
	}
	return readErr
}

// work matches the records of batches until work is closed.
func (s *Scanner) work(work <-chan *batch, free chan<- *batch, bad map[string]int64) {
	m := s.set.NewMatcher()
	var found []Found
	for b := range work {
		for i := range b.recs {
			r := &b.recs[i]
			r.rec.Text = b.text[r.start:r.end]
			found = s.handle(m, &r.rec, r.seq, bad, found)
		}
		b.text, b.recs = b.text[:0], b.recs[:0]
		free <- b
	}
}

// lineReader reads lines without copying them when they fit its buffer,
// and cuts lines longer than max without holding them whole.
type lineReader struct {
	br   *bufio.Reader
	max  int
	off  int64
	long []byte
}

// next returns the next line without its newline (valid until the next
// call), whether it was cut, and io.EOF after the last line.
func (l *lineReader) next() (line []byte, cut bool, err error) {
	l.long = l.long[:0]
	for {
		chunk, err := l.br.ReadSlice('\n')
		l.off += int64(len(chunk))
		if errors.Is(err, bufio.ErrBufferFull) {
			room := l.max - len(l.long)
			if len(chunk) > room {
				cut = true
			}
			if room > 0 {
				l.long = append(l.long, chunk[:min(len(chunk), room)]...)
			}
			continue
		}
		if n := len(chunk); n > 0 && chunk[n-1] == '\n' {
			chunk = chunk[:n-1]
		}
		room := l.max - len(l.long)
		if len(chunk) > room {
			cut = true
			chunk = chunk[:max(room, 0)]
		}
		if len(l.long) == 0 {
			return chunk, cut, err
		}
		l.long = append(l.long, chunk...)
		return l.long, cut, err
	}
}

// handle matches one record and records what it reveals.
func (s *Scanner) handle(m *rules.Matcher, rec *record.Record, seq int64, bad map[string]int64, found []Found) []Found {
	res := m.MatchFormat(rec, s.Format)
	for _, reason := range res.Bad {
		bad[reason]++
	}
	found = s.Resolver.ResolveAll(res.Matches, found[:0])
	if len(found) == 0 {
		// ErrorLike, not Suspect: a rule may have matched (a generic code
		// such as FailedOperation) and still resolved to no entry.
		if res.ErrorLike && res.Event != nil {
			s.Unknown.add(res.Event.Raw, seq)
		}
		return found
	}
	if s.OnRecord != nil {
		s.OnRecord(rec, found)
	}
	for _, f := range found {
		ev := f.Match.Event
		s.Agg.Observe(Occurrence{
			Entry:  f.Entry,
			Source: rec.Source,
			Time:   ev.Time,
			Sample: ev.Raw,
			Labels: f.Match.Labels,
			Seq:    seq,
		})
	}
	return found
}
