package kafka

import (
	"context"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
)

func (s *Source) lagLoop(ctx context.Context, adm *kadm.Client) {
	t := time.NewTicker(s.cfg.LagInterval)
	defer t.Stop()
	for {
		if !s.ready.Load() {
			// Until the group assigns partitions, check the brokers
			// answer, so that a wrong address or password is counted and
			// shown, not only retried inside the client.
			pctx, cancel := context.WithTimeout(ctx, s.cfg.LagInterval)
			if err := s.clientOf().Ping(pctx); err != nil && ctx.Err() == nil {
				s.fail("connect", err)
			}
			cancel()
		}
		s.listEnds(ctx, adm)
		s.updateLag()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// listEnds asks the brokers for the end offsets of the assigned
// partitions, so lag grows while fetching is held back by a slow pipeline.
func (s *Source) listEnds(ctx context.Context, adm *kadm.Client) {
	s.mu.RLock()
	n := len(s.live)
	s.mu.RUnlock()
	if n == 0 {
		return
	}
	lctx, cancel := context.WithTimeout(ctx, s.cfg.LagInterval)
	defer cancel()
	ends, err := adm.ListEndOffsets(lctx, s.cfg.Topics...)
	if err != nil {
		if ctx.Err() == nil {
			s.fail("list end offsets", err)
		}
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	ends.Each(func(o kadm.ListedOffset) {
		if o.Err != nil {
			return
		}
		if p := s.live[topicPart{o.Topic, o.Partition}]; p != nil {
			p.seenHWM(o.Offset)
		}
	})
}

// updateLag sets the lag gauges from the trackers.
func (s *Source) updateLag() {
	var total int64
	var oldest time.Time
	s.mu.RLock()
	for _, p := range s.live {
		lag, o, _ := p.state()
		total += lag
		s.sm.partLag(p.topic, p.part).Set(float64(lag))
		if !o.IsZero() && (oldest.IsZero() || o.Before(oldest)) {
			oldest = o
		}
	}
	s.mu.RUnlock()
	s.sm.common.Lag.Set(float64(total))
	age := 0.0
	if !oldest.IsZero() {
		age = max(time.Since(oldest).Seconds(), 0)
	}
	s.sm.oldestAge.Set(age)
}
