package tailer

import (
	"os"
	"sort"
	"sync"

	"github.com/wedadiag/wedadiag/record"
)

// A stream is one reading of one file from a start offset: a followed file
// has one stream per generation (a truncation starts a new one), and a rest
// read from a rotated or compressed copy has its own. Records carry the
// stream's id in Record.Stream; Ack finds the stream by it.
//
// The stream tracks the records in flight in the order they were emitted,
// so that the offset it persists is the End of the longest acknowledged
// prefix: acknowledgements may arrive out of order (several pipeline
// workers) and a record acknowledged early never lets the position skip one
// that is still being processed.
type stream struct {
	id     uint64
	source string
	// file is used only to fstat the file for bytes_behind; nil for a
	// compressed rest. It is set once and closed by the file's owner.
	file *os.File

	mu sync.Mutex
	// identity and fingerprint of the file, as persisted.
	path  string
	dev   uint64
	ino   uint64
	fp    string
	fpLen int
	// committed is the offset up to which everything was processed.
	committed int64
	// pending are the Ends of records (and of spans that produced no record)
	// not yet committed, in emission order; start indexes the first.
	pending []pendingEnd
	start   int
	// lastEnd is the End of the last pushed span: the read side's progress.
	lastEnd int64
	// done: no more records will be pushed (a newer generation, or the file
	// was released). A done stream with nothing pending is forgotten.
	done bool
	// persist: the stream's position is worth saving (false for standard
	// input).
	persist bool
	// progressed, if set, is told how far each commit advanced (bytes,
	// spans): the Tailer saves early when enough was processed. Called with
	// mu held; it must be cheap and take no lock.
	progressed func(bytes int64, spans int)
}

type pendingEnd struct {
	end   int64
	acked bool
}

// push records that a record ending at end is about to be emitted, or, with
// acked, that everything up to end produced no record to wait for.
func (s *stream) push(end int64, acked bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if end <= s.lastEnd {
		return
	}
	s.lastEnd = end
	if acked && s.start == len(s.pending) {
		s.commit(end, 0)
		s.pending, s.start = s.pending[:0], 0
		return
	}
	s.pending = append(s.pending, pendingEnd{end: end, acked: acked})
	s.advance()
}

// pushRun is push of the Ends of recs (records about to be emitted, in
// order) in one hold of the lock. Nothing can be committed by it: an
// acknowledged prefix is committed when acknowledged.
func (s *stream) pushRun(recs []record.Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range recs {
		if end := recs[i].End; end > s.lastEnd {
			s.lastEnd = end
			s.pending = append(s.pending, pendingEnd{end: end})
		}
	}
}

// unpush withdraws the last record pushed, which could not be emitted.
func (s *stream) unpush(end int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.pending)
	if n > s.start && s.pending[n-1].end == end && !s.pending[n-1].acked {
		s.pending = s.pending[:n-1]
		s.lastEnd = s.committed
		if n-1 > s.start {
			s.lastEnd = s.pending[n-2].end
		}
	}
}

// ack marks the record ending at end as processed.
func (s *stream) ack(end int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pending[s.start:]
	i := sort.Search(len(p), func(i int) bool { return p[i].end >= end })
	if i == len(p) || p[i].end != end {
		return // unknown or already committed
	}
	p[i].acked = true
	s.advance()
}

// ackAll is ack of the Ends of recs, in one hold of the lock and one
// advance.
func (s *stream) ackAll(recs []record.Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pending[s.start:]
	// The records of a batch come in the order of their Ends, as the
	// pending ones are: each is searched for from where the one before
	// was found, and is most often the next pending one.
	lo, prev := 0, int64(-1)
	for i := range recs {
		end := recs[i].End
		if end < prev {
			lo = 0
		}
		prev = end
		if lo < len(p) && p[lo].end == end {
			p[lo].acked = true
			lo++
			continue
		}
		j := lo + sort.Search(len(p)-lo, func(i int) bool { return p[lo+i].end >= end })
		if j < len(p) && p[j].end == end {
			p[j].acked = true
			j++
		}
		lo = j
	}
	s.advance()
}

// advance commits the acknowledged prefix. Called with mu held.
func (s *stream) advance() {
	n := 0
	for i := s.start; i < len(s.pending) && s.pending[i].acked; i++ {
		n++
	}
	if n > 0 {
		s.start += n
		s.commit(s.pending[s.start-1].end, n)
	}
	if s.start == len(s.pending) {
		s.pending, s.start = s.pending[:0], 0
	} else if s.start > 1024 && s.start*2 > len(s.pending) {
		n := copy(s.pending, s.pending[s.start:])
		s.pending, s.start = s.pending[:n], 0
	}
}

// commit moves the committed offset to end. Called with mu held.
func (s *stream) commit(end int64, spans int) {
	if s.progressed != nil && end > s.committed {
		s.progressed(end-s.committed, spans)
	}
	s.committed = end
}

// setIdentity updates what is persisted about the file.
func (s *stream) setIdentity(path string, fp string, fpLen int) {
	s.mu.Lock()
	s.path, s.fp, s.fpLen = path, fp, fpLen
	s.mu.Unlock()
}

func (s *stream) setPersist(p bool) {
	s.mu.Lock()
	s.persist = p
	s.mu.Unlock()
}

func (s *stream) finish() {
	s.mu.Lock()
	s.done = true
	s.mu.Unlock()
}

// snapshot returns the stream's persisted entry, whether it is finished
// (done and fully acknowledged), and the bytes pushed but not acknowledged.
func (s *stream) snapshot() (e posEntry, persist, finished bool, inflight int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e = posEntry{Source: s.source, Path: s.path, Dev: s.dev, Ino: s.ino,
		FP: s.fp, FPLen: s.fpLen, Offset: s.committed}
	return e, s.persist, s.done && s.start == len(s.pending), s.lastEnd - s.committed
}

func (s *stream) committedOffset() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.committed
}
