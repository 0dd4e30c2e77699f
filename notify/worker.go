package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// worker delivers one receiver's queue. A slow or dead receiver holds up
// only its own worker; nothing upstream waits for it.
type worker struct {
	rc     Receiver // with defaults
	integ  integration
	q      *queue
	limit  *rateLimit // nil: no cap
	log    *slog.Logger
	redact *redactor

	sent, failed, dropped prometheus.Counter

	// resync returns a message with every firing alert, or nil when none
	// fires. nil for Alertmanager, which gets them every resend_interval.
	resync func() *message
	// lost is set when a message for this receiver was dropped or given
	// up: the next success is followed by a resync, and while idle the
	// worker tries a resync every max_backoff.
	lost atomic.Bool
	// lastErr is the text of the last failed attempt: a failure is logged
	// when it differs from the previous one.
	lastErr string

	// status is what Notifier.Status reports of deliveries.
	statusMu sync.Mutex
	status   ReceiverStatus
}

// ReceiverStatus is what a receiver's worker has done lately, for the
// status page.
type ReceiverStatus struct {
	Name, Type string
	// Queue is how many messages wait for delivery.
	Queue int
	// LastError is the last delivery failure (redacted), kept until a
	// later delivery succeeds; LastErrorAt when it happened.
	LastError   string
	LastErrorAt time.Time
	// LastSentAt is when a message was last delivered.
	LastSentAt time.Time
	// Sent and Failed count messages since the notifier started.
	Sent, Failed int64
}

// noteResult records the outcome of a delivery for Status.
func (w *worker) noteResult(err error) {
	w.statusMu.Lock()
	defer w.statusMu.Unlock()
	if err != nil {
		w.status.LastError, w.status.LastErrorAt = err.Error(), time.Now()
		w.status.Failed++
		return
	}
	w.status.LastError, w.status.LastErrorAt = "", time.Time{}
	w.status.LastSentAt = time.Now()
	w.status.Sent++
}

// snapshot returns the worker's status now.
func (w *worker) snapshot() ReceiverStatus {
	w.statusMu.Lock()
	s := w.status
	w.statusMu.Unlock()
	s.Name, s.Type = w.rc.Name, w.rc.Type
	if w.q != nil {
		s.Queue = w.q.len()
	}
	return s
}

func (w *worker) String() string { return w.rc.Type + "/" + w.rc.Name }

// run delivers until the queue is closed and empty, or ctx is done; what
// is left then is counted dropped.
func (w *worker) run(ctx context.Context) {
	defer func() {
		if n := len(w.q.popAll()); n > 0 {
			w.dropped.Add(float64(n))
			w.lost.Store(true)
			w.log.Warn("dropped queued alert messages at shutdown", "messages", n)
		}
	}()
	for ctx.Err() == nil {
		msgs := w.q.popAll()
		if len(msgs) == 0 {
			if w.q.isClosed() {
				return
			}
			var retry <-chan time.Time
			var t *time.Timer
			if w.lost.Load() && w.resync != nil {
				t = time.NewTimer(w.rc.MaxBackoff)
				retry = t.C
			}
			var m *message
			select {
			case <-ctx.Done():
			case <-w.q.ready:
			case <-retry:
				if m = w.resync(); m == nil {
					w.lost.Store(false)
				}
			}
			if t != nil {
				t.Stop()
			}
			if m == nil {
				continue
			}
			msgs = []*message{m}
		}
		m := merge(msgs)
		if w.limit != nil && w.limit.delay() > 0 {
			// Rate limited: wait, then send what queued meanwhile along.
			if w.limit.wait(ctx) != nil {
				w.dropped.Inc()
				w.lost.Store(true)
				return
			}
			if more := w.q.popAll(); len(more) > 0 {
				m = merge(append([]*message{m}, more...))
			}
		}
		wasLost := w.lost.Swap(false)
		if err := w.deliver(ctx, m); err != nil {
			// Retryable failures mean it missed the message; a refused
			// resync would only be refused again.
			if errors.Is(err, errGaveUp) || wasLost && m.kind != kindResync {
				w.lost.Store(true)
			}
			continue
		}
		// It answers again after losing messages: tell it everything that
		// still fires.
		if (w.lost.Swap(false) || wasLost && m.kind != kindResync) && w.resync != nil && !w.q.isClosed() {
			if r := w.resync(); r != nil {
				w.q.push(r)
			}
		}
	}
}

// errGaveUp marks a delivery abandoned while its failures were retryable:
// the receiver missed it and may want a resync.
var errGaveUp = errors.New("gave up")

// deliver sends a message, each part with retries, counting it sent or
// failed.
func (w *worker) deliver(ctx context.Context, m *message) error {
	parts, err := w.integ.payloads(m)
	if err != nil {
		w.failed.Inc()
		err = fmt.Errorf("receiver %q: render: %w", w.rc.Name, err)
		w.log.Error("cannot render alert message", "err", err)
		w.noteResult(err)
		return err
	}
	for _, p := range parts {
		if err := w.attempts(ctx, p); err != nil {
			w.failed.Inc()
			w.noteResult(err)
			return err
		}
		w.sent.Inc()
		w.noteResult(nil)
	}
	return nil
}

// attempts posts one payload until it succeeds, fails for good, or
// give_up_after passes, backing off exponentially with jitter between
// attempts. Each attempt has the receiver's timeout.
func (w *worker) attempts(ctx context.Context, p payload) error {
	// Durations are measured on the time package's clock, the one timers
	// run on (and the fake one inside a synctest bubble).
	start := time.Now()
	for n := 1; ; n++ {
		if w.limit != nil {
			if err := w.limit.take(ctx); err != nil {
				return fmt.Errorf("receiver %q: %w: %w", w.rc.Name, errGaveUp, err)
			}
		}
		actx, cancel := context.WithTimeout(ctx, w.rc.Timeout)
		retry, raw := w.integ.post(actx, p)
		cancel()
		if raw == nil {
			if w.lastErr != "" {
				w.log.Info("receiver delivers again", "attempts", n)
				w.lastErr = ""
			}
			return nil
		}
		var hint time.Duration
		var se *statusError
		if errors.As(raw, &se) {
			hint = se.retryAfter
		}
		err := w.redact.error(raw)
		if !retry {
			if msg := err.Error(); msg != w.lastErr {
				w.lastErr = msg
				w.log.Error("alert message refused; not retrying", "attempts", n, "err", err)
			}
			return fmt.Errorf("receiver %q: attempt %d: %w", w.rc.Name, n, err)
		}
		if ctx.Err() != nil {
			return fmt.Errorf("receiver %q: %w after %d attempts: %w", w.rc.Name, errGaveUp, n, err)
		}
		wait := max(backoff(w.rc.MinBackoff, w.rc.MaxBackoff, n), hint)
		if time.Since(start)+wait > w.rc.GiveUpAfter {
			w.lastErr = err.Error()
			w.log.Error("alert message not delivered; giving up", "attempts", n, "give_up_after", w.rc.GiveUpAfter, "err", err)
			return fmt.Errorf("receiver %q: %w after %d attempts: %w", w.rc.Name, errGaveUp, n, err)
		}
		if msg := err.Error(); msg != w.lastErr {
			w.lastErr = msg
			w.log.Warn("alert delivery failed; retrying", "attempt", n, "retry_in", wait, "err", err)
		}
		if sleep(ctx, wait) != nil {
			return fmt.Errorf("receiver %q: %w after %d attempts: %w", w.rc.Name, errGaveUp, n, err)
		}
	}
}

// backoff is the wait before attempt n+1: min·2^(n-1) capped at max, of
// which a random half ("equal jitter") so that receivers recovering
// together are not hit at once.
func backoff(lo, hi time.Duration, n int) time.Duration {
	d := lo
	for i := 1; i < n && d < hi; i++ {
		d *= 2
	}
	d = min(d, hi)
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2+1)
}

// sendNow delivers m at once, outside the queue and the rate limit:
// `wedadiag alert test`. It works on a copy of the worker so that it may
// run beside Run.
func (w *worker) sendNow(ctx context.Context, m *message) error {
	c := &worker{rc: w.rc, integ: w.integ, log: w.log, redact: w.redact, sent: w.sent, failed: w.failed, dropped: w.dropped}
	return c.deliver(ctx, m)
}
