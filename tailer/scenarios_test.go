package tailer

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tu "github.com/wedadiag/wedadiag/internal/testutil"
)

// The torture scenarios of issue 12, each with kill -9 restarts (no final
// save): lines carry ids, and what arrived is counted per id, so a
// duplicate cannot hide a loss. Without -short the CI runs a short version
// of each; -long (scripts/torture) a longer one. Every scenario must lose
// nothing; duplicates are reported (a kill -9 re-reads what was processed
// after the last save).
//
//	go test ./tailer -run '^TestTortureScenarios$' -v [-long]
func TestTortureScenarios(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	rate, cycles, killEvery, killFor := 2000, 3, time.Second, 4*time.Second
	if tu.RaceEnabled {
		rate = 1000
	}
	if *long {
		rate, cycles, killEvery, killFor = *tortureRate, 10, 5*time.Second, *tortureDuration
	}
	var mu sync.Mutex
	var summary []string
	report := func(t *testing.T, tt *torture, name string, restarts int) {
		w := int(tt.written.Load())
		tt.waitRead(w, 30*time.Second, "at the end")
		lost, dupLines, reads := tt.tally(w)
		line := fmt.Sprintf("%-32s written %7d  lost %d  duplicated %6d lines (%6d extra reads)  restarts %d",
			name, w, lost, dupLines, reads, restarts)
		t.Log(line)
		mu.Lock()
		summary = append(summary, line)
		mu.Unlock()
		if lost > 0 {
			t.Errorf("%d lines lost", lost)
		}
	}
	t.Run("double rotation while down", func(t *testing.T) {
		tt := newScenario(t, rate)
		rt := tt.startTailer()
		for c := range cycles {
			tt.appendLines(rate / 2)
			rt.kill()
			// Down: two rotations (every other cycle compressed, as
			// logrotate's compress + delaycompress does), lines between.
			for range 2 {
				tt.shiftRotate(c%2 == 1)
				tt.appendLines(rate / 4)
			}
			rt = tt.startTailer()
		}
		tt.appendLines(rate / 4)
		report(t, tt, "double rotation while down", cycles)
		rt.kill()
	})
	t.Run("corrupt positions", func(t *testing.T) {
		tt := newScenario(t, rate)
		rt := tt.startTailer()
		for c := range cycles {
			tt.appendLines(rate / 2)
			rt.kill()
			tt.appendLines(rate / 4)
			pos := filepath.Join(tt.cfg.StateDir, PositionsFile)
			data, _ := os.ReadFile(pos)
			cut := []int{0, len(data) / 2, len(data) - 3}[c%3]
			if err := os.WriteFile(pos, data[:max(cut, 0)], 0o644); err != nil {
				t.Fatal(err)
			}
			rt = tt.startTailer()
		}
		tt.appendLines(rate / 4)
		report(t, tt, "corrupt positions", cycles)
		rt.kill()
	})
	for _, early := range []bool{false, true} {
		name := fmt.Sprintf("kill -9 every %v", killEvery)
		if early {
			name += ", early saves"
		} else {
			name += ", timer saves only"
		}
		t.Run(name, func(t *testing.T) {
			tt := newScenario(t, rate)
			// The daemon's default save interval: early saves are what
			// keeps re-reads small.
			tt.cfg.SaveInterval = DefaultSaveInterval
			if !early {
				tt.cfg.SaveAfterRecords, tt.cfg.SaveAfterBytes = -1, -1
			}
			rt := tt.startTailer()
			stop := make(chan struct{})
			var wg sync.WaitGroup
			wg.Go(func() {
				rot := time.NewTicker(killEvery * 3 / 2)
				defer rot.Stop()
				for {
					select {
					case <-stop:
						return
					case <-rot.C:
						tt.shiftRotate(false)
					default:
					}
					tt.appendLines(rate / 20)
				}
			})
			restarts := 0
			for end := time.Now().Add(killFor); time.Now().Before(end); {
				// The kill schedule (not waiting for work): on average every
				// killEvery, at any point of the save timer's period.
				time.Sleep(killEvery/2 + rand.N(killEvery))
				rt.kill()
				restarts++
				rt = tt.startTailer()
			}
			close(stop)
			wg.Wait()
			report(t, tt, name, restarts)
			rt.kill()
		})
	}
	t.Logf("summary:\n%s", strings.Join(summary, "\n"))
}

func newScenario(t *testing.T, rate int) *torture {
	tt := newTorture(t, rate, 0, 0, 1)
	tt.seen = make([]uint8, 1<<20)
	return tt
}

// runningTailer is one tailer process of a scenario.
type runningTailer struct{ stop, done chan struct{} }

func (tt *torture) startTailer() *runningTailer {
	rt := &runningTailer{stop: make(chan struct{}), done: make(chan struct{})}
	ready := make(chan struct{})
	go func() { tt.follow(rt.stop, ready); close(rt.done) }()
	<-ready
	return rt
}

// kill stops it without its final save.
func (rt *runningTailer) kill() {
	close(rt.stop)
	<-rt.done
}

// appendLines appends n numbered lines to the log at the scenario's rate,
// opening it by name (an app that reopened after a rotation).
func (tt *torture) appendLines(n int) {
	f, err := os.OpenFile(tt.log, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		tt.t.Fatal(err)
	}
	defer f.Close()
	pad := strings.Repeat("x", 60)
	begin := time.Now()
	var buf []byte
	for i := 0; i < n; {
		due := min(n, int(float64(tt.rate)*time.Since(begin).Seconds())+1)
		buf = buf[:0]
		for ; i < due; i++ {
			id := tt.written.Add(1)
			buf = fmt.Appendf(buf, "t-%08d %s\n", id, pad)
		}
		if _, err := f.Write(buf); err != nil {
			tt.t.Fatal(err)
		}
		time.Sleep(time.Millisecond) // pacing the writer
	}
}

// shiftRotate rotates the log as logrotate's create with numbered names
// does: app.log.N → .N+1 (keeping 9), app.log → app.log.1, a new app.log;
// with compress, app.log.2 is gzipped (delaycompress).
func (tt *torture) shiftRotate(compress bool) {
	t := tt.t
	name := func(i int, gz bool) string {
		s := fmt.Sprintf("%s.%d", tt.log, i)
		if gz {
			s += ".gz"
		}
		return s
	}
	os.Remove(name(9, false))
	os.Remove(name(9, true))
	for i := 8; i >= 1; i-- {
		for _, gz := range []bool{false, true} {
			if _, err := os.Stat(name(i, gz)); err == nil {
				if err := os.Rename(name(i, gz), name(i+1, gz)); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if err := os.Rename(tt.log, name(1, false)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tt.log, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(name(2, false)); compress && err == nil {
		gzipFile(t, name(2, false))
	}
}

// tally counts lines 1..n never seen, seen more than once, and the reads
// beyond the first.
func (tt *torture) tally(n int) (lost, dupLines, extraReads int) {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	for i := 1; i <= n; i++ {
		switch c := int(tt.seen[i]); {
		case c == 0:
			lost++
		case c > 1:
			dupLines++
			extraReads += c - 1
		}
	}
	return lost, dupLines, extraReads
}
