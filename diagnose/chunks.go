package diagnose

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wedadiag/wedadiag/record"
)

// ChunkMin is the size from which ScanFile splits a file into ranges read
// in parallel; smaller files are read by one goroutine.
const ChunkMin = 8 << 20

// splitWindow is how much of the file around a nominal split point is read
// to find a record boundary when a small window (splitProbe) shows none:
// enough for DefaultMaxLines lines of 2 KiB.
const splitWindow = 2 << 20

// splitProbe is the window tried first: NextBoundary answers from what a
// window shows and takes what is before it as unknown, so a boundary found
// in a small window is one, and most logs show one within a few lines (a
// dated line after a whole one). Reading and walking 2 MiB at every split
// point was 5 % of a scan's CPU, all of it before the workers start.
const splitProbe = 64 << 10

// ScanFile reads the regular file f of size bytes to its end, as Scan does.
// A file of ChunkMin bytes or more (not gzip) is read by one worker as it
// is, without Scan's hand-over of records in batches; with Workers of 2 or
// more it is split at record boundaries (record.NextBoundary, found by the
// workers as they take the ranges: splitter) into ranges that the Workers
// goroutines each read, frame and match on their own; a file that shows no
// boundary is read by Scan. What
// the sinks are told is the same as from Scan: records carry their order
// (Seq grows with the offset in the file), so the earliest samples are kept
// whatever finished first. One difference: a range that ends early with
// ErrNoNewline stops only that range, where Scan stops the file.
func (s *Scanner) ScanFile(f *os.File, size int64, source, path string) error {
	workers := s.workers()
	var head [2]byte
	n, _ := f.ReadAt(head[:], 0)
	if size < s.chunkMin() || s.Chunks == 1 || bytes.Equal(head[:n], gzipMagic) {
		return s.Scan(f, source, path)
	}
	// One worker reads the whole file as one range: it frames and matches
	// as it reads, where Scan would copy every record into a batch for a
	// goroutine of its own.
	chunks := 1
	if workers >= 2 {
		if chunks = s.Chunks; chunks <= 0 {
			chunks = defaultChunks(workers, size)
		}
	}
	sp := newSplitter(s, f, size, chunks)
	if chunks > 1 {
		if _, to, err := sp.rangeOf(0); err == nil && to == size {
			// No boundary anywhere (one record of many MiB): one range
			// would leave all but one worker idle, where Scan hands the
			// records to them all.
			return s.Scan(f, source, path)
		}
	}
	type result struct {
		lines, records int64
		err            error
	}
	results := make([]result, chunks)
	bad := make([]map[string]int64, workers)
	next := atomic.Int64{}
	var read atomic.Int64
	base := s.seq
	for len(s.rangeReaders) < workers {
		s.rangeReaders = append(s.rangeReaders, newReader(nil))
	}
	var wg sync.WaitGroup
	for k := range workers {
		bad[k] = map[string]int64{}
		br := s.rangeReaders[k]
		wg.Go(func() {
			defer br.Reset(nil) // keep no hold on f
			w := s.pipe.NewWorker()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(results) {
					return
				}
				r := &results[i]
				from, to, err := sp.rangeOf(i)
				if err != nil {
					r.err = fmt.Errorf("%s: %w", path, err)
					continue
				}
				if from < to {
					r.lines, r.records, r.err = s.scanRange(f, from, to, source, path, base, w, br, bad[k], &read)
					w.Flush() // a WorkerSink's counts of the range
				}
			}
		})
	}
	if s.Progress != nil {
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		tick := time.NewTicker(250 * time.Millisecond)
		for wait := true; wait; {
			select {
			case <-tick.C:
				s.Progress(read.Load())
			case <-done:
				wait = false
			}
		}
		tick.Stop()
		s.Progress(read.Load())
	}
	wg.Wait()
	s.seq = base + size + 1
	var first error
	for _, r := range results {
		s.Lines += r.lines
		s.Records += r.records
		if r.err != nil && first == nil {
			first = r.err
		}
	}
	for _, m := range bad {
		for reason, n := range m {
			s.Bad[reason] += n
		}
	}
	return first
}

func (s *Scanner) chunkMin() int64 {
	if s.minChunked > 0 {
		return s.minChunked
	}
	return ChunkMin
}

// workers is how many goroutines match records.
func (s *Scanner) workers() int {
	if s.Workers > 0 {
		return s.Workers
	}
	return defaultWorkers()
}

// defaultChunks is how many ranges a file of size bytes is split into
// for workers: many (a worker that the machine slows down holds the rest
// back by one small range at most), but none under a MiB.
func defaultChunks(workers int, size int64) int {
	return int(max(min(32*int64(workers), size>>20), int64(workers)))
}

// A splitter splits a file into ranges at record boundaries: near each of
// chunks-1 even points, the first boundary after it. The workers find the
// boundaries as they take the ranges, in parallel, each boundary once; a
// boundary is found in a window around its point (find) and kept only when
// it comes before the next point, so the boundaries kept rise whichever
// were found first. A range whose start was not kept is empty: the range
// before it runs on to the next kept boundary.
type splitter struct {
	s      *Scanner
	f      *os.File
	size   int64
	chunks int
	once   []sync.Once
	bound  []int64 // by point: the boundary kept, or -1
	err    []error
}

func newSplitter(s *Scanner, f *os.File, size int64, chunks int) *splitter {
	return &splitter{s: s, f: f, size: size, chunks: chunks,
		once: make([]sync.Once, chunks+1), bound: make([]int64, chunks+1), err: make([]error, chunks+1)}
}

func (sp *splitter) point(i int) int64 { return sp.size * int64(i) / int64(sp.chunks) }

// boundary returns the boundary kept for point i (0 and chunks: the
// file's start and end), or -1.
func (sp *splitter) boundary(i int) (int64, error) {
	if i <= 0 {
		return 0, nil
	}
	if i >= sp.chunks {
		return sp.size, nil
	}
	sp.once[i].Do(func() { sp.bound[i], sp.err[i] = sp.find(i) })
	return sp.bound[i], sp.err[i]
}

// probes are the windows find reads, kept from one boundary to the next.
var probes = sync.Pool{New: func() any { return new([]byte) }}

func (sp *splitter) find(i int) (int64, error) {
	at, next := sp.point(i), sp.point(i+1)
	bp := probes.Get().(*[]byte)
	defer probes.Put(bp)
	// The windows tried: the probe; then, before the point, room for
	// DefaultMaxLines lines as long as the probe's (a log of JSON lines
	// shows a boundary only past that many lines that open no group),
	// which is far less than splitWindow for most logs; then splitWindow
	// on both sides.
	windows := [...][2]int64{{splitProbe, splitProbe}, {0, splitProbe}, {splitWindow, splitWindow}}
	probe := 0 // the bytes the probe read
	for k, w := range windows {
		before, after := w[0], w[1]
		if k == 1 {
			before = linesRoom((*bp)[:probe])
		}
		if need := int(before + after); len(*bp) < need {
			*bp = make([]byte, need)
		}
		lo := max(at-before, 0)
		n, err := sp.f.ReadAt((*bp)[:at-lo+after], lo)
		if err != nil && err != io.EOF {
			return -1, err
		}
		if k == 0 {
			probe = n
		}
		b := record.NextBoundary((*bp)[:n], int(at-lo), lo == 0, sp.s.Multiline, sp.s.maxLine())
		if b < 0 {
			continue
		}
		if off := lo + int64(b); off > 0 && off < next && off < sp.size {
			return off, nil
		}
		return -1, nil
	}
	return -1, nil
}

// linesRoom returns how many bytes before a point hold DefaultMaxLines
// lines, with a quarter to spare, as long as the lines of probe (the probe
// window just read) are: at least splitProbe, at most splitWindow.
func linesRoom(probe []byte) int64 {
	n := bytes.Count(probe, []byte{'\n'})
	if n == 0 {
		return splitWindow
	}
	room := int64(len(probe)) / int64(n) * record.DefaultMaxLines * 5 / 4
	return min(max(room, splitProbe), splitWindow)
}

// rangeOf returns the bytes [from, to) of range i: empty when its start
// was not kept.
func (sp *splitter) rangeOf(i int) (from, to int64, err error) {
	if from, err = sp.boundary(i); err != nil || from < 0 {
		return 0, 0, err
	}
	for j := i + 1; ; j++ {
		if to, err = sp.boundary(j); err != nil || to >= 0 {
			return from, to, err
		}
	}
}

// splitPoints returns the offsets [0, …, size] at which f is split into
// chunks ranges, the empty ones left out.
func (s *Scanner) splitPoints(f *os.File, size int64, chunks int) ([]int64, error) {
	sp := newSplitter(s, f, size, chunks)
	bounds := []int64{0}
	for i := 1; i <= chunks; i++ {
		b, err := sp.boundary(i)
		if err != nil {
			return nil, err
		}
		if b >= 0 {
			bounds = append(bounds, b)
		}
	}
	return bounds, nil
}

func (s *Scanner) maxLine() int {
	if s.MaxLineBytes > 0 {
		return s.MaxLineBytes
	}
	return record.DefaultMaxBytes
}

// scanRange reads, frames and matches the bytes [from, to) of f, which
// start and end at record boundaries, through br. A record's order is
// base plus its offset.
func (s *Scanner) scanRange(f *os.File, from, to int64, source, path string, base int64, w *Worker, br *bufio.Reader, bad map[string]int64, read *atomic.Int64) (lines, records int64, err error) {
	check := newCleanReader(io.NewSectionReader(f, from, to-from), from)
	br.Reset(check)
	lr := lineReader{br: br, max: s.maxLine(), run: MaxLineRun, off: from, check: check}
	fr := record.NewFramer(source, path, s.Multiline, s.maxLine(), 0)
	pre, prescanned := &w.pre, int64(0)
	pre.w, pre.from, pre.to, pre.off = w, 0, 0, false
	emit := func(rec *record.Record) {
		records++
		var o *Outcome
		if hits, at, ok := pre.take(rec); ok {
			prescanned++
			o = w.HandleHits(rec, base+rec.Offset, hits, at)
		} else {
			o = w.Handle(rec, base+rec.Offset)
		}
		for _, reason := range o.Bad {
			bad[reason]++
		}
	}
	last := from
	for {
		pre.fill(br, lr.off)
		start := lr.off
		line, cut, rerr := lr.next()
		if lr.off > start {
			lines++
			fr.Push(record.Line{Text: line, Offset: start, End: lr.off, Cut: cut, Clean: lr.clean(start)}, emit)
		}
		if lr.off-last >= 1<<20 {
			read.Add(lr.off - last)
			last = lr.off
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			err = fmt.Errorf("%s: %w", path, rerr)
			break
		}
	}
	fr.Flush(emit)
	read.Add(lr.off - last)
	s.prescanned.Add(prescanned)
	return lines, records, err
}
