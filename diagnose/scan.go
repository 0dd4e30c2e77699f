package diagnose

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/wedadiag/wedadiag/internal/record"
	"github.com/wedadiag/wedadiag/rules"
)

// Scanner reads log streams once, start to end, and collects what they
// reveal: the engine of `wedadiag scan`. It is not safe for concurrent use.
type Scanner struct {
	Resolver  *Resolver
	Agg       *Aggregator
	Unknown   *Unknowns
	Multiline record.Mode
	// MaxLineBytes cuts longer lines (default record.DefaultMaxBytes).
	MaxLineBytes int
	// Progress, when set, is called with the bytes read so far of the
	// current stream, a few times per second at most.
	Progress func(read int64)

	Lines, Records int64
	// Bad counts records per bad-input reason.
	Bad map[string]int64

	matcher *rules.Matcher
	found   []Found
}

// NewScanner returns a Scanner matching with set and resolving with res.
func NewScanner(set *rules.Set, res *Resolver, agg *Aggregator) *Scanner {
	return &Scanner{
		Resolver: res, Agg: agg, Unknown: NewUnknowns(),
		matcher: set.NewMatcher(), Bad: map[string]int64{},
	}
}

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
	fr := record.NewFramer(source, path, s.Multiline, maxLine, 0)
	emit := func(rec *record.Record) { s.handle(rec) }
	lr := lineReader{br: br, max: maxLine}
	var lastTick time.Time
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
			fr.Flush(emit)
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	fr.Flush(emit)
	if s.Progress != nil {
		s.Progress(lr.off)
	}
	return nil
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
func (s *Scanner) handle(rec *record.Record) {
	s.Records++
	res := s.matcher.Match(rec)
	for _, reason := range res.Bad {
		s.Bad[reason]++
	}
	s.found = s.Resolver.ResolveAll(res.Matches, s.found[:0])
	if len(s.found) == 0 {
		// ErrorLike, not Suspect: a rule may have matched (a generic code
		// such as FailedOperation) and still resolved to no entry.
		if res.ErrorLike && res.Event != nil {
			s.Unknown.Add(res.Event.Raw)
		}
		return
	}
	for _, f := range s.found {
		ev := f.Match.Event
		s.Agg.Observe(Occurrence{
			Entry:  f.Entry,
			Source: rec.Source,
			Time:   ev.Time,
			Sample: ev.Raw,
			Labels: f.Match.Labels,
		})
	}
}
