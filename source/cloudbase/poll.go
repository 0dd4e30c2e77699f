package cloudbase

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/wedadiag/wedadiag/record"
)

// window is a query's time range, both ends in whole seconds.
type window struct{ from, to time.Time }

// cycle reads from scanned-overlap to now, in windows of at most s.window.
func (s *Source) cycle(ctx context.Context) {
	end := s.now().Truncate(time.Second)
	s.mu.Lock()
	from := s.scanned.Add(-s.cfg.Overlap).Truncate(time.Second)
	s.mu.Unlock()
	for from.Before(end) && ctx.Err() == nil {
		to := from.Add(s.window)
		if to.After(end) {
			to = end
		}
		if !s.readWindow(ctx, window{from, to}) {
			return
		}
		s.mu.Lock()
		if to.After(s.scanned) {
			s.scanned = to
		}
		s.mu.Unlock()
		from = to
		// A long catch-up keeps its memory bounded and its progress saved.
		s.prune()
		s.mu.Lock()
		due := s.now().Sub(s.lastSave) >= saveEvery
		s.mu.Unlock()
		if due {
			s.Save()
			s.updateLag()
		}
	}
	s.prune()
}

// saveEvery is how often a long poll cycle saves its progress.
const saveEvery = 5 * time.Second

// prune forgets acknowledged keys older than any query can reach again.
func (s *Source) prune() {
	s.mu.Lock()
	defer s.mu.Unlock()
	from := s.markLocked().Add(-s.cfg.Overlap).Add(-time.Second)
	for k, e := range s.seen {
		if e.acked && e.t.Before(from) {
			delete(s.seen, k)
		}
	}
}

// readWindow reads w completely, splitting it when one query's cursor
// cannot reach its end. It reports false when the cycle must stop (an
// error, or ctx done).
func (s *Source) readWindow(ctx context.Context, w window) bool {
	todo := []window{w}
	for len(todo) > 0 {
		cur := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		n, last, err := s.query(ctx, cur)
		if err != nil {
			return false
		}
		if n < cursorCap {
			if n < cursorCap/4 && s.window < s.cfg.MaxWindow {
				s.window = min(2*s.window, s.cfg.MaxWindow)
			}
			continue
		}
		// The cursor stopped at its cap: what is before last was all
		// read (results come in time order); read the rest in halves.
		s.m.splits.Inc()
		s.window = max(s.window/2, time.Second)
		rest := cur.from
		if last.After(rest) {
			rest = last.Truncate(time.Second)
		}
		span := cur.to.Sub(rest)
		if span <= time.Second {
			s.m.overflows.Inc()
			s.log.Warn("more than 10000 results in one second; the rest of it is not read",
				"from", rest, "to", cur.to)
			continue
		}
		mid := rest.Add(span / 2).Truncate(time.Second)
		if !mid.After(rest) {
			mid = rest.Add(time.Second)
		}
		todo = append(todo, window{mid, cur.to}, window{rest, mid})
	}
	return true
}

// query reads one window's pages and hands on the new records. It returns
// how many results the cursor gave and the latest event time among them.
func (s *Source) query(ctx context.Context, w window) (n int, last time.Time, err error) {
	cursor := ""
	for {
		res, err := s.call(ctx, w, cursor)
		if err != nil {
			return n, last, err
		}
		for i := range res.Results {
			n++
			t, ok := s.emit(ctx, &res.Results[i], w)
			if !ok {
				return n, last, ctx.Err()
			}
			if t.After(last) {
				last = t
			}
		}
		if res.ListOver || res.Context == "" || len(res.Results) == 0 || n >= cursorCap {
			return n, last, nil
		}
		cursor = res.Context
	}
}

// call sends one request, waiting for the rate limiter, and retries
// throttling, server and network errors with jittered exponential backoff.
func (s *Source) call(ctx context.Context, w window, cursor string) (*logResults, error) {
	for attempt := 0; ; attempt++ {
		if err := s.limiter.Wait(ctx); err != nil {
			return nil, err
		}
		res, err := s.api.search(ctx, w.from, w.to, cursor)
		if err == nil {
			s.m.requests["ok"].Inc()
			s.ready.Store(true)
			s.recovered()
			return res, nil
		}
		var ae *apiError
		if !errors.As(err, &ae) {
			return nil, err // ctx done
		}
		s.m.requests[kindResult[ae.kind]].Inc()
		s.m.shared.Errors.Inc()
		if ae.kind == kindThrottled {
			s.m.throttled.Inc()
		}
		if ae.kind == kindClient {
			s.ready.Store(false) // a refused key or a bad env_id: not reading until it is fixed
		}
		if !ae.retryable() || attempt+1 >= s.maxAttempts {
			s.logErr("SearchClsLog failed; retrying at the next poll", err)
			return nil, err
		}
		if ae.kind != kindThrottled {
			s.logErr("SearchClsLog failed; retrying", err)
		}
		d := s.backoff(attempt)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// backoff is full jitter over an exponential ceiling.
func (s *Source) backoff(attempt int) time.Duration {
	ceil := s.backoffBase << min(attempt, 20)
	if ceil > s.backoffMax || ceil <= 0 {
		ceil = s.backoffMax
	}
	return time.Duration(rand.Int64N(int64(ceil)) + 1)
}

// logErr logs err when it differs from the last one logged.
func (s *Source) logErr(msg string, err error) {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	text := err.Error()
	if text == s.lastErr {
		return
	}
	s.lastErr = text
	var ae *apiError
	if errors.As(err, &ae) && ae.kind == kindClient {
		s.log.Error(msg, "err", err)
		return
	}
	s.log.Warn(msg, "err", err)
}

func (s *Source) recovered() {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	if s.lastErr != "" {
		s.lastErr = ""
		s.log.Info("SearchClsLog succeeds again")
	}
}

// emit hands on one result unless it was handed on before. It returns the
// result's event time and false when ctx ended first.
func (s *Source) emit(ctx context.Context, o *logObject, w window) (time.Time, bool) {
	t, ok := parseEventTime(string(o.Timestamp), s.loc)
	bt := w.to // bookkeeping time: within the window whatever the Timestamp says
	if ok {
		bt = t
		if bt.Before(w.from) {
			bt = w.from
		} else if bt.After(w.to.Add(time.Second)) {
			bt = w.to
		}
		if (t.Before(w.from.Add(-time.Minute)) || t.After(w.to.Add(time.Minute))) && !s.zoneWarns.Swap(true) {
			s.log.Warn("a result's time is outside the queried window; is time_zone right?",
				"time_zone", s.cfg.TimeZone, "timestamp", string(o.Timestamp),
				"window_from", w.from.In(s.loc).Format(apiTimeLayout), "window_to", w.to.In(s.loc).Format(apiTimeLayout))
		}
	} else {
		s.m.shared.Errors.Inc()
	}
	key := recordKey(o)
	s.mu.Lock()
	if _, dup := s.seen[key]; dup {
		s.mu.Unlock()
		s.m.duplicates.Inc()
		return bt, true
	}
	e := &entry{key: key, t: bt}
	s.seen[key] = e
	seq := s.nextSeq
	s.nextSeq++
	s.inflight = append(s.inflight, e)
	s.mu.Unlock()

	topic := o.TopicName
	if topic == "" {
		topic = o.TopicID
	}
	rec := record.Record{
		Source: s.cfg.Name,
		Path:   "cloudbase/" + s.cfg.EnvID + "/" + topic,
		Offset: seq,
		End:    seq + 1,
		Text:   []byte(o.Content),
		Lines:  strings.Count(o.Content, "\n") + 1,
		Stream: stream,
		Time:   t,
	}
	select {
	case s.records <- rec:
		s.m.shared.Records.Inc()
		return bt, true
	case <-ctx.Done():
		return bt, false
	}
}

// recordKey identifies a result across queries: its PkgLogId with what
// else the result carries (a PkgLogId is only unique within its upload
// package), or without it the whole result.
func recordKey(o *logObject) uint64 {
	h := uint64(fnvOffset)
	for _, f := range [...]string{o.TopicID, string(o.PkgLogID), string(o.Timestamp), o.Source, o.FileName, o.Content} {
		h = fnvAdd(h, f)
		h *= fnvPrime // field separator: FNV-1a of a zero byte (h ^ 0 is h)
	}
	return h
}

// FNV-1a, 64 bits: stable across runs, so keys can be persisted.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvAdd(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func fnv64(s string) uint64 { return fnvAdd(fnvOffset, s) }
