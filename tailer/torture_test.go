package tailer

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	tu "github.com/wedadiag/wedadiag/internal/testutil"
	"github.com/wedadiag/wedadiag/record"
)

var (
	long             = flag.Bool("long", false, "run the long tests: the 60 s torture and the 100-file RSS measurement")
	tortureDuration  = flag.Duration("torture.duration", 60*time.Second, "how long the torture writes")
	tortureRate      = flag.Int("torture.rate", 5000, "lines per second the torture writes")
	tortureRotations = flag.Int("torture.rotations", 10, "rotations of each kind (rename, copytruncate, truncate) during the torture")
	tortureRestarts  = flag.Int("torture.restarts", 0, "kill -9 restarts of the tailer during the torture (0: none; then lines must arrive exactly once)")
)

// torture is one run: a writer appends numbered lines to app.log at a
// steady rate and rotates it (rename+create, some compressed afterwards;
// copytruncate; truncate) while tailers follow it, optionally restarted
// without their final save (kill -9). It counts how often each line arrived.
type torture struct {
	t         *testing.T
	dir, log  string
	rate      int
	duration  time.Duration
	rotations int // of each kind
	restarts  int
	catchUp   time.Duration // how long a truncation waits for the reader
	cfg       Config

	mu     sync.Mutex
	seen   []uint8 // seen[n]: how many times line n arrived (saturating)
	extra  int     // records that are not torture lines
	distin atomic.Int64
	logs   tu.SyncBuffer

	written atomic.Int64
	rotated map[string]int
}

type tortureResult struct {
	written, lost, duplicated int
	lostSample                []int
	rotations                 map[string]int
	elapsed                   time.Duration
}

func newTorture(t *testing.T, rate int, d time.Duration, rotations, restarts int) *torture {
	dir := t.TempDir()
	tt := &torture{t: t, dir: dir, log: filepath.Join(dir, "app.log"), rate: rate,
		duration: d, rotations: rotations, restarts: restarts, rotated: map[string]int{},
		catchUp: 30 * time.Second}
	if !*long {
		tt.catchUp = 5 * time.Second
	}
	tt.cfg = Config{
		Sources:      []Source{{Name: "app", Paths: []string{tt.log}, Multiline: record.None}},
		StateDir:     filepath.Join(dir, "state"),
		PollInterval: 50 * time.Millisecond,
		IdleFlush:    200 * time.Millisecond,
		SaveInterval: 200 * time.Millisecond,
		ReleaseAfter: time.Second,
		Buffer:       256,
	}
	tt.cfg.skipFinalSave = restarts > 0
	tt.seen = make([]uint8, rate*int(d/time.Second+2)+1000)
	return tt
}

// lineNumber parses "t-00000042 ..." records.
func lineNumber(text []byte) (int, bool) {
	rest, ok := bytes.CutPrefix(text, []byte("t-"))
	if !ok {
		return 0, false
	}
	if i := bytes.IndexByte(rest, ' '); i > 0 {
		rest = rest[:i]
	}
	n, err := strconv.Atoi(string(rest))
	return n, err == nil
}

func (tt *torture) record(rec record.Record) {
	n, ok := lineNumber(rec.Text)
	tt.mu.Lock()
	defer tt.mu.Unlock()
	if !ok || n <= 0 || n >= len(tt.seen) {
		tt.extra++
		return
	}
	if tt.seen[n] == 0 {
		tt.distin.Add(1)
	}
	if tt.seen[n] < 255 {
		tt.seen[n]++
	}
}

// follow runs one tailer until stop is closed, consuming and acknowledging.
func (tt *torture) follow(stop <-chan struct{}, ready chan<- struct{}) {
	level := slog.LevelInfo
	if os.Getenv("TORTURE_DEBUG") != "" {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(&tt.logs, &slog.HandlerOptions{Level: level}))
	tl, err := New(tt.cfg, log, NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		tt.t.Error(err)
		close(ready)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	go func() { runErr <- tl.Run(ctx) }()
	consumed := make(chan struct{})
	go func() {
		defer close(consumed)
		for rec := range tl.Records() {
			tt.record(rec)
			tl.Ack(rec)
		}
	}()
	tu.Eventually(tt.t, 10*time.Second, tl.Ready, "tailer not ready")
	close(ready)
	<-stop
	cancel()
	if err := <-runErr; err != nil {
		tt.t.Error(err)
	}
	<-consumed
	if err := tl.SavePositions(); err != nil {
		tt.t.Error(err)
	}
}

func (tt *torture) run() tortureResult {
	t := tt.t
	if err := os.WriteFile(tt.log, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// The first tailer starts before any line is written: a first start
	// begins at the end.
	stop := make(chan struct{})
	ready := make(chan struct{})
	done := make(chan struct{})
	go func() { tt.follow(stop, ready); close(done) }()
	<-ready

	var kinds []string
	for range tt.rotations {
		kinds = append(kinds, KindRename, KindCopyTruncate, KindTruncate)
	}
	rand.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
	restartAt := map[int]bool{}
	for i := 1; i <= tt.restarts; i++ {
		restartAt[i*len(kinds)/(tt.restarts+1)] = true
	}

	w, err := os.OpenFile(tt.log, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	pad := strings.Repeat("x", 80)
	total := int(float64(tt.rate) * tt.duration.Seconds())
	every := total / (len(kinds) + 1)
	begin := time.Now()
	var line []byte
	n := 0
	next := 0 // next rotation index
	rotN := 0
	gzs := sync.WaitGroup{}
	for n < total {
		// Write up to where the rate says we should be.
		due := min(total, int(float64(tt.rate)*time.Since(begin).Seconds())+1)
		for n < due {
			n++
			line = fmt.Appendf(line[:0], "t-%08d %s level=info msg=\"request done\"\n", n, pad)
			if _, err := w.Write(line); err != nil {
				t.Fatal(err)
			}
			tt.written.Store(int64(n))
			if next < len(kinds) && n == (next+1)*every {
				kind := kinds[next]
				if restartAt[next] {
					close(stop)
					<-done
					stop, ready, done = make(chan struct{}), make(chan struct{}), make(chan struct{})
					go func() { tt.follow(stop, ready); close(done) }()
					<-ready
				}
				next++
				rotN++
				w = tt.rotate(kind, w, rotN, &gzs)
			}
		}
		time.Sleep(200 * time.Microsecond) // pacing the writer, not waiting for work
	}
	w.Close()
	writeTime := time.Since(begin)
	tt.waitRead(total, 60*time.Second, "at the end")
	close(stop)
	<-done
	gzs.Wait()

	res := tortureResult{written: total, rotations: tt.rotated, elapsed: writeTime}
	tt.mu.Lock()
	defer tt.mu.Unlock()
	for i := 1; i <= total; i++ {
		switch c := tt.seen[i]; {
		case c == 0:
			res.lost++
			if len(res.lostSample) < 20 {
				res.lostSample = append(res.lostSample, i)
			}
		case c > 1:
			res.duplicated++
		}
	}
	return res
}

// waitRead waits until lines 1..n have all arrived; on timeout it reports
// the missing ones and the tailers' logs.
func (tt *torture) waitRead(n int, timeout time.Duration, when string) {
	deadline := time.Now().Add(timeout * tu.TimeoutScale)
	for tt.distin.Load() < int64(n) {
		if time.Now().After(deadline) {
			tt.mu.Lock()
			var missing []int
			for i := 1; i <= n && len(missing) < 20; i++ {
				if tt.seen[i] == 0 {
					missing = append(missing, i)
				}
			}
			tt.mu.Unlock()
			tt.t.Fatalf("%s: read %d of %d lines; missing e.g. %v\nlog:\n%s", when, tt.distin.Load(), n, missing, tt.logs.String())
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// rotate performs one rotation of kind and returns the descriptor the
// writer goes on with.
func (tt *torture) rotate(kind string, w *os.File, n int, gzs *sync.WaitGroup) *os.File {
	t := tt.t
	tt.rotated[kind]++
	switch kind {
	case KindRename:
		// logrotate "create": rename, create; the app writes a few more
		// lines to the old descriptor until it reopens.
		old := fmt.Sprintf("%s.%d", tt.log, n)
		if err := os.Rename(tt.log, old); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(tt.log, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		nw, err := os.OpenFile(tt.log, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		w.Close()
		if tt.rotated[kind]%2 == 0 {
			// compress the rotated file, as logrotate's compress does
			gzs.Go(func() { gzipFile(t, old) })
		}
		return nw
	case KindCopyTruncate:
		copyFile(t, tt.log, fmt.Sprintf("%s.%d", tt.log, n))
		if err := w.Truncate(0); err != nil {
			t.Fatal(err)
		}
		return w
	case KindTruncate:
		// A truncation without a copy loses what was not read yet, by
		// nature: the app truncates its own log once the reader caught up.
		tt.waitRead(int(tt.written.Load()), tt.catchUp, "before a truncation")
		if err := w.Truncate(0); err != nil {
			t.Fatal(err)
		}
		return w
	}
	t.Fatalf("unknown rotation %q", kind)
	return nil
}

func (tt *torture) report(res tortureResult) {
	t := tt.t
	t.Logf("written %d lines in %v (%.0f lines/s), rotations %v, restarts (kill -9) %d: lost %d, duplicated %d",
		res.written, res.elapsed.Round(time.Millisecond), float64(res.written)/res.elapsed.Seconds(),
		res.rotations, tt.restarts, res.lost, res.duplicated)
	if res.lost > 0 {
		t.Errorf("%d lines lost, e.g. %v\nlog:\n%s", res.lost, res.lostSample, tt.logs.String())
	}
	if tt.restarts == 0 && res.duplicated > 0 {
		t.Errorf("%d lines read twice without a crash\nlog:\n%s", res.duplicated, grepLines(tt.logs.String(), "generation", "rotation"))
	}
	if tt.extra > 0 {
		t.Errorf("%d records that are not whole lines (split or mangled)", tt.extra)
	}
}

// TestRotationStress is the CI-sized torture: a steady writer, every kind
// of rotation several times; every line exactly once.
func TestRotationStress(t *testing.T) {
	rate := 2000
	if tu.RaceEnabled {
		rate = 1000
	}
	tt := newTorture(t, rate, 4*time.Second, 3, 0)
	tt.report(tt.run())
}

// TestRotationStressKill9 adds restarts without the final save: every line
// at least once.
func TestRotationStressKill9(t *testing.T) {
	rate := 2000
	if tu.RaceEnabled {
		rate = 1000
	}
	tt := newTorture(t, rate, 4*time.Second, 3, 3)
	tt.report(tt.run())
}

// TestTorture is the acceptance run (-long): ≥ 5,000 lines/s for 60 s, 10
// rotations of each kind; lost 0, duplicated 0. scripts/torture runs it.
func TestTorture(t *testing.T) {
	if !*long {
		t.Skip("long test: go test ./tailer -run TestTorture -long -v")
	}
	tt := newTorture(t, *tortureRate, *tortureDuration, *tortureRotations, *tortureRestarts)
	tt.report(tt.run())
}

func grepLines(s string, words ...string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		for _, w := range words {
			if strings.Contains(l, w) {
				out = append(out, l)
				break
			}
		}
	}
	return strings.Join(out, "\n")
}
