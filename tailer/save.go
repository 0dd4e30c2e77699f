package tailer

import (
	"context"
	"fmt"
	"os"
	"time"
)

// probeStateDir makes dir and checks that a file can be written in it.
func probeStateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	probe, err := os.CreateTemp(dir, ".probe*")
	if err != nil {
		return err
	}
	_, err = probe.Write([]byte("probe\n"))
	if cerr := probe.Close(); err == nil {
		err = cerr
	}
	os.Remove(probe.Name())
	return err
}

// maxEarlySaves is the shortest time between two early saves.
const maxEarlySaves = time.Second

type handle struct {
	r      *runner
	cancel context.CancelFunc
	done   chan struct{}
}

// progressed counts what was processed since the last save and asks for a
// save once it passes SaveAfterRecords or SaveAfterBytes.
func (t *Tailer) progressed(bytes int64, spans int) {
	recs := t.unsavedRecs.Add(int64(spans))
	b := t.unsavedBytes.Add(bytes)
	if t.cfg.SaveAfterRecords > 0 && recs >= int64(t.cfg.SaveAfterRecords) ||
		t.cfg.SaveAfterBytes > 0 && b >= t.cfg.SaveAfterBytes {
		t.requestSave()
	}
}

func (t *Tailer) requestSave() {
	select {
	case t.saveNow <- struct{}{}:
	default:
	}
}

func (t *Tailer) saveLoop(ctx context.Context) {
	tick := time.NewTicker(t.cfg.SaveInterval)
	defer tick.Stop()
	// Early saves (progress, readiness) are at least minGap apart: each
	// is a write, two renames and two fsyncs, and a kill -9 re-reads at
	// most a second of lines more for it.
	minGap := min(t.cfg.SaveInterval/5, maxEarlySaves)
	var last time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-t.saveNow:
			if wait := minGap - time.Since(last); wait > 0 {
				timer := time.NewTimer(wait)
				select {
				case <-ctx.Done():
					timer.Stop()
					return
				case <-timer.C:
				}
			}
		}
		last = time.Now()
		t.save()
	}
}

// save writes the positions of every stream that is not finished, plus the
// positions not handed to a runner yet and those carried for sources not
// configured now. Finished streams (released and fully acknowledged) are
// forgotten here.
func (t *Tailer) save() error {
	if t.cfg.StateDir == "" {
		t.pruneStreams()
		return nil
	}
	t.saveMu.Lock()
	defer t.saveMu.Unlock()
	t.unsavedRecs.Store(0)
	t.unsavedBytes.Store(0)
	now := time.Now().Unix()
	files := t.pruneStreams()
	for i := range files {
		files[i].Updated = now
	}
	pf := posFile{Version: positionsVersion, Sources: map[string]posSource{}}
	t.mu.Lock()
	cutoff := time.Now().Add(-carryFor).Unix()
	configured := map[string]bool{}
	for _, s := range t.sources {
		configured[s.Name] = true
	}
	for name, ps := range t.known {
		if configured[name] || ps.Updated >= cutoff {
			pf.Sources[name] = ps
		}
	}
	for _, es := range t.saved {
		files = append(files, es...)
	}
	for _, e := range t.carried {
		if e.Updated >= cutoff {
			files = append(files, e)
		}
	}
	t.mu.Unlock()
	pf.Files = files
	err := savePositions(t.cfg.StateDir, pf)
	if err != nil {
		t.m.saveErrors.Inc()
		t.m.stateWritable.Set(0)
		if msg := err.Error(); msg != t.lastSaveErr {
			t.lastSaveErr = msg
			t.log.Warn("cannot save positions", "err", err)
		}
		return fmt.Errorf("tailer: save positions: %w", err)
	}
	if t.lastSaveErr != "" {
		t.lastSaveErr = ""
		t.log.Info("positions saved again")
	}
	t.m.lastSave.SetToCurrentTime()
	t.m.stateWritable.Set(1)
	return nil
}

// pruneStreams forgets finished streams and returns the entries to persist.
func (t *Tailer) pruneStreams() []posEntry {
	var files []posEntry
	var gone []uint64
	t.streamsMu.RLock()
	for id, s := range t.streams {
		e, persist, finished, _ := s.snapshot()
		if finished {
			gone = append(gone, id)
			continue
		}
		if persist {
			files = append(files, e)
		}
	}
	t.streamsMu.RUnlock()
	if len(gone) > 0 {
		t.streamsMu.Lock()
		for _, id := range gone {
			delete(t.streams, id)
		}
		t.streamsMu.Unlock()
	}
	return files
}

// lagLoop keeps wedadiag_bytes_behind up to date, also while a source is
// blocked on a full Records channel.
func (t *Tailer) lagLoop(ctx context.Context) {
	// An fstat per followed file: once a second is fresh enough for a
	// gauge scraped every 15 s or so.
	tick := time.NewTicker(max(t.cfg.PollInterval, time.Second))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		t.updateLag()
	}
}

func (t *Tailer) updateLag() {
	per := map[string]int64{}
	t.streamsMu.RLock()
	for _, s := range t.streams {
		s.mu.Lock()
		committed, lastEnd, done, persist := s.committed, s.lastEnd, s.done, s.persist
		s.mu.Unlock()
		if !persist {
			continue
		}
		behind := lastEnd - committed
		if !done && s.file != nil {
			if fi, err := s.file.Stat(); err == nil && fi.Size()-committed > behind {
				behind = fi.Size() - committed
			}
		}
		per[s.source] += max(behind, 0)
	}
	t.streamsMu.RUnlock()
	t.mu.Lock()
	for name, sm := range t.sm {
		sm.behind.Set(float64(per[name]))
	}
	t.mu.Unlock()
}
