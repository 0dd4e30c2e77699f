package kafka

import (
	"context"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

func (s *Source) onAssigned(_ context.Context, _ *kgo.Client, assigned map[string][]int32) {
	n := 0
	s.mu.Lock()
	for t, parts := range assigned {
		for _, part := range parts {
			if _, ok := s.live[topicPart{t, part}]; !ok {
				s.addLocked(topicPart{t, part})
			}
			n++
		}
	}
	total := len(s.live)
	s.mu.Unlock()
	s.sm.assigned.Add(float64(n))
	s.sm.assignedNow.Set(float64(total))
	s.ready.Store(true)
	s.notify()
	s.log.Info("partitions assigned", "added", n, "assigned", total)
}

// onOffsetsFetched notes each newly assigned partition's committed offset,
// so that records deleted before we got to them are counted.
func (s *Source) onOffsetsFetched(_ context.Context, _ *kgo.Client, resp *kmsg.OffsetFetchResponse) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	set := func(topic string, part int32, off int64) {
		if p := s.live[topicPart{topic, part}]; p != nil {
			p.setCommitted(off)
		}
	}
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			set(t.Topic, p.Partition, p.Offset)
		}
	}
	for _, g := range resp.Groups {
		for _, t := range g.Topics {
			for _, p := range t.Partitions {
				set(t.Topic, p.Partition, p.Offset)
			}
		}
	}
	return nil
}

// onRevoked runs before the group gives the partitions to another member
// (and when the client leaves the group): it waits, at most RevokeWait, for
// the pipeline to acknowledge the records of those partitions, commits
// their acknowledged prefix, then forgets them.
func (s *Source) onRevoked(ctx context.Context, _ *kgo.Client, revoked map[string][]int32) {
	s.give(ctx, revoked, true)
}

// onLost forgets partitions the group took away without a chance to
// commit (session expired, fenced): their records are read again by the
// next owner.
func (s *Source) onLost(ctx context.Context, _ *kgo.Client, lost map[string][]int32) {
	s.ready.Store(false)
	s.give(ctx, lost, false)
}

func (s *Source) give(ctx context.Context, gone map[string][]int32, commit bool) {
	var ps []*partition
	s.mu.RLock()
	for t, parts := range gone {
		for _, part := range parts {
			if p := s.live[topicPart{t, part}]; p != nil {
				ps = append(ps, p)
			}
		}
	}
	s.mu.RUnlock()
	if len(ps) == 0 {
		return
	}
	crash := s.crash.Load()
	if commit && !crash {
		if !s.stopped.Load() {
			t := time.NewTimer(s.cfg.RevokeWait)
			s.waitAcked(func() bool {
				for _, p := range ps {
					if p.unackedCount() > 0 {
						return false
					}
				}
				return true
			}, t.C)
			t.Stop()
		}
		s.commit(ctx, ps)
	}
	s.commitMu.Lock() // no commit of these partitions is in flight after this
	s.mu.Lock()
	for _, p := range ps {
		s.retireLocked(p)
		s.sm.dropPartition(p.topic, p.part)
	}
	total := len(s.live)
	s.mu.Unlock()
	s.commitMu.Unlock()
	if commit {
		s.sm.revoked.Add(float64(len(ps)))
		s.log.Info("partitions revoked", "revoked", len(ps), "assigned", total)
	} else {
		s.sm.lost.Add(float64(len(ps)))
		s.log.Warn("partitions lost; their unacknowledged records will be read again by the next owner",
			"lost", len(ps), "assigned", total)
	}
	s.sm.assignedNow.Set(float64(total))
	s.notify()
}
