package tailer

import "time"

const (
	// eventGap and maxEventGap space the rounds that inotify events ask
	// for (and the directory watcher's deliveries): the first write after
	// a quiet spell is read at once, the writes of the next eventGap
	// together in one round; while writes keep coming, the gap doubles up
	// to maxEventGap, and it falls back to eventGap once a gap passes
	// twice over without an event. A file written every millisecond is
	// then read 10 times a second, not 1000. Each wake-up of an idle
	// process costs far more than the reading (scripts/loadtest at 10,000
	// lines/s, docs/speed.md), and a record counted 100 ms later changes
	// nothing for an alert.
	eventGap    = 25 * time.Millisecond
	maxEventGap = 100 * time.Millisecond
)

// gapper is the adaptive gap between event-driven rounds.
type gapper struct{ cur time.Duration }

// next returns the gap to keep now that an event came, since after the
// previous round: eventGap after a quiet spell, else twice the last one,
// up to maxEventGap.
func (g *gapper) next(since time.Duration) time.Duration {
	if g.cur == 0 || since >= 2*g.cur {
		g.cur = eventGap
	} else {
		g.cur = min(2*g.cur, maxEventGap)
	}
	return g.cur
}

// eventsFlow reports whether event rounds come often enough for a poll to
// ride on the next one: a round events asked for started less than two
// gaps ago. A poll then costs no wake-up of its own (each one is a burst of
// system calls and of the Go runtime's own work), and every file is still
// checked at least every PollInterval plus a gap, or 2 PollIntervals when
// the events stop. Only with the production poll clock: the tests' polls
// are whole rounds.
func (r *runner) eventsFlow() bool {
	_, timed := r.t.cfg.waker.(timedWaker)
	return timed && time.Since(r.lastEvent) < 2*maxEventGap
}

// nextFlush returns how long until the first file holding a record or a
// partial line has been quiet for IdleFlush, and false when none holds one.
func (r *runner) nextFlush(now time.Time) (time.Duration, bool) {
	var next time.Duration
	found := false
	for _, f := range r.files {
		if f.shadowOf != nil || !f.fr.Pending() && !f.sp.Holding() {
			continue
		}
		d := max(f.lastData.Add(r.t.cfg.IdleFlush).Sub(now), time.Millisecond)
		if !found || d < next {
			next, found = d, true
		}
	}
	return next, found
}
