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
