package kafka

import (
	"context"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// commit commits the acknowledged prefix of ps (nil: every live
// partition) where it moved since the last commit.
func (s *Source) commit(ctx context.Context, ps []*partition) {
	if s.crash.Load() {
		return
	}
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	s.mu.RLock()
	cl := s.cl
	if ps == nil {
		for _, p := range s.live {
			ps = append(ps, p)
		}
	} else {
		// Keep only those still live: a tracker retired meanwhile must
		// not commit.
		kept := ps[:0:0]
		for _, p := range ps {
			if s.byID[p.id] == p {
				kept = append(kept, p)
			}
		}
		ps = kept
	}
	s.mu.RUnlock()
	if cl == nil {
		return
	}
	offsets := map[string]map[int32]kgo.EpochOffset{}
	sent := map[*partition]int64{}
	for _, p := range ps {
		off, epoch, ok := p.toCommit()
		if !ok {
			continue
		}
		if offsets[p.topic] == nil {
			offsets[p.topic] = map[int32]kgo.EpochOffset{}
		}
		offsets[p.topic][p.part] = kgo.EpochOffset{Epoch: epoch, Offset: off}
		sent[p] = off
	}
	if len(offsets) == 0 {
		return
	}
	var cerr error
	failed := map[topicPart]bool{}
	cl.CommitOffsetsSync(ctx, offsets, func(_ *kgo.Client, _ *kmsg.OffsetCommitRequest, resp *kmsg.OffsetCommitResponse, err error) {
		if err != nil {
			cerr = err
			return
		}
		for _, t := range resp.Topics {
			for _, p := range t.Partitions {
				if e := kerrFor(p.ErrorCode); e != nil {
					cerr = e
					failed[topicPart{t.Topic, p.Partition}] = true
				}
			}
		}
	})
	if cerr != nil && ctx.Err() != nil {
		return // stopping: the final commit follows
	}
	if cerr != nil {
		s.sm.commitFail.Inc()
		s.fail("commit", cerr)
	} else {
		s.sm.commitOK.Inc()
	}
	if cerr != nil && len(failed) == 0 {
		return
	}
	for p, off := range sent {
		if !failed[topicPart{p.topic, p.part}] {
			p.markSent(off)
		}
	}
}

func (s *Source) commitLoop(ctx context.Context) {
	t := time.NewTicker(s.cfg.CommitInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.commit(ctx, nil)
		}
	}
}

func kerrFor(code int16) error { return kerr.ErrorForCode(code) }
