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
	"sync/atomic"
	"time"

	"github.com/wedadiag/wedadiag/record"
)

// Scanner reads log streams once, start to end, and runs their records
// through a Pipeline: the engine of `wedadiag scan`. Scan: one goroutine
// reads and frames; Workers goroutines run records through the pipeline in
// batches. ScanFile, for a large regular file: Workers goroutines each
// read, frame and match byte ranges of it. What the sinks are told does not depend on how the work was
// shared: each record carries its order (Outcome.Seq), and an Aggregator
// without a window keeps the earliest samples. A Scanner is not safe for
// concurrent use.
type Scanner struct {
	Multiline record.Mode
	// MaxLineBytes cuts longer lines (default record.DefaultMaxBytes).
	MaxLineBytes int
	// Workers is how many goroutines match records (default GOMAXPROCS).
	Workers int
	// Chunks is how many byte ranges ScanFile splits a large file into
	// (default 32 × Workers, none under a MiB; 1 reads every file with one
	// goroutine).
	Chunks int
	// Progress, when set, is called with the bytes read so far of the
	// current stream, a few times per second at most.
	Progress func(read int64)

	Lines, Records int64
	// Bad counts records per bad-input reason.
	Bad map[string]int64

	pipe *Pipeline
	// Buffers kept from one stream to the next (a scan of many files):
	// the readers of Scan (plain, and the gzip stream's), the batches
	// framed records travel in, a reader per ScanFile worker.
	br, zbr      *bufio.Reader
	batches      []*batch
	rangeReaders []*bufio.Reader
	// seq orders records across streams: Scan numbers them, ScanFile uses
	// their offsets; either way it then moves past the stream.
	seq        int64
	minChunked int64 // tests: ChunkMin
	// prescanned counts the records ScanFile matched with their share of
	// a block's hits (prescan), for the tests.
	prescanned atomic.Int64
}

// NewScanner returns a Scanner that runs records through p.
func NewScanner(p *Pipeline) *Scanner {
	return &Scanner{pipe: p, Bad: map[string]int64{}}
}

// NewScanPipeline returns the pipeline of a scan: prog's rules, resolved
// with res, occurrences without a record time left without one, and the
// sinks given.
func NewScanPipeline(prog *Program, res *Resolver, sinks ...Sink) *Pipeline {
	return New(Config{Program: func() *Program { return prog }, Resolver: res, Sinks: sinks})
}

// A batch carries framed records of one stream to a worker: their texts
// in one buffer, the rest in records without pointers (no write barrier
// to store, nothing for the collector to scan).
type batch struct {
	source, path string
	text         []byte
	recs         []batchRec
}

type batchRec struct {
	offset, end      int64 // record.Record's Offset and End
	seq              int64
	textStart, lines int // of its text in batch.text; its Lines
	textEnd          int
	cut, clean       bool
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
	check := newCleanReader(r, 0)
	s.br = resetReader(s.br, check)
	br := s.br
	defer br.Reset(nil) // keep no hold on r
	if head, _ := br.Peek(2); bytes.Equal(head, gzipMagic) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		defer zr.Close()
		check.passThrough = true // its bytes are compressed: the lines are checked below
		check = newCleanReader(zr, 0)
		s.zbr = resetReader(s.zbr, check)
		br = s.zbr
		defer br.Reset(nil)
	}
	maxLine := s.maxLine()
	workers := s.workers()
	work := make(chan *batch, workers)
	free := make(chan *batch, 2*workers+1)
	for i := 0; i < cap(free); i++ {
		b := &batch{}
		if n := len(s.batches); n > 0 {
			b, s.batches = s.batches[n-1], s.batches[:n-1]
		}
		free <- b
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
		if len(cur.recs) == 0 {
			cur.source, cur.path = source, path
		}
		start := len(cur.text)
		cur.text = append(cur.text, rec.Text...)
		cur.recs = append(cur.recs, batchRec{offset: rec.Offset, end: rec.End, seq: s.seq,
			textStart: start, textEnd: len(cur.text), lines: rec.Lines, cut: rec.Cut, clean: rec.Clean})
		s.seq++
		if len(cur.recs) >= batchRecords || len(cur.text) >= batchBytes {
			send()
		}
	}
	lr := lineReader{br: br, max: maxLine, run: MaxLineRun, check: check}
	var lastTick time.Time
	var readErr error
	for {
		start := lr.off
		line, cut, err := lr.next()
		if lr.off > start {
			s.Lines++
			fr.Push(record.Line{Text: line, Offset: start, End: lr.off, Cut: cut, Clean: lr.clean(start)}, emit)
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
	// Every batch is back: the one in hand and those in free.
	s.batches = append(s.batches, cur)
	for len(free) > 0 {
		s.batches = append(s.batches, <-free)
	}
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

func newReader(r io.Reader) *bufio.Reader { return bufio.NewReaderSize(r, readBytes) }

// readBytes is the size of the buffer a stream is read through.
const readBytes = 256 << 10

// resetReader returns br reading from r, or a new reader when br is nil.
func resetReader(br *bufio.Reader, r io.Reader) *bufio.Reader {
	if br == nil {
		return newReader(r)
	}
	br.Reset(r)
	return br
}

func defaultWorkers() int { return runtime.GOMAXPROCS(0) }

// work runs the records of batches through the pipeline until work is
// closed.
func (s *Scanner) work(work <-chan *batch, free chan<- *batch, bad map[string]int64) {
	w := s.pipe.NewWorker()
	var recs []record.Record // HandleBatch's, valid during the call
	count := func(_ int, o *Outcome) {
		for _, reason := range o.Bad {
			bad[reason]++
		}
	}
	for b := range work {
		recs = recs[:0]
		for i := range b.recs {
			r := &b.recs[i]
			recs = append(recs, record.Record{Source: b.source, Path: b.path, Offset: r.offset, End: r.end,
				Text: b.text[r.textStart:r.textEnd], Lines: r.lines, Cut: r.cut, Clean: r.clean})
		}
		// A batch's records are numbered one after another.
		if len(b.recs) > 0 {
			w.HandleBatch(recs, b.recs[0].seq, count)
			w.Flush()
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
	// run bounds how far one line may run without a newline before the
	// stream is given up (ErrNoNewline); 0 is no bound.
	run int64
	// check, when set, checked the bytes as they were read (cleanReader).
	check *cleanReader
}

// clean reports whether the line read last, which started at start, is
// known clean (record.Line.Clean).
func (l *lineReader) clean(start int64) bool {
	return l.check != nil && l.check.clean(start, l.off)
}

// MaxLineRun is how far one line may run without a newline before a scan
// stops reading the stream: past it, the input is not a line-oriented log
// (/dev/zero, a binary file, a stream that never ends its line).
const MaxLineRun = 64 << 20

// ErrNoNewline is the error of a stream whose line ran past MaxLineRun.
var ErrNoNewline = errors.New("no newline")

// next returns the next line without its newline (valid until the next
// call), whether it was cut, and io.EOF after the last line.
func (l *lineReader) next() (line []byte, cut bool, err error) {
	l.long = l.long[:0]
	start := l.off
	for {
		chunk, err := l.br.ReadSlice('\n')
		l.off += int64(len(chunk))
		// ReadSlice returns bufio's sentinel itself, never wrapped: a
		// comparison, not errors.Is (two calls a line, 1 % of a scan).
		full := err == bufio.ErrBufferFull
		if full && l.run > 0 && l.off-start > l.run {
			return l.long, true, fmt.Errorf("%w in %d MiB from offset %d: not a line-oriented log; stopped reading it", ErrNoNewline, l.run>>20, start)
		}
		if full {
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
