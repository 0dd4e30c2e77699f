package main

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// phase is the CPU of the daemon and of this program over a time span.
type phase struct {
	pid, selfPid int
	a, b         procSample
	selfA, selfB procSample
}

func phaseStart(pid, self int) *phase {
	return &phase{pid: pid, selfPid: self, a: sampleProc(pid), selfA: sampleProc(self)}
}

func (p *phase) end() { p.b, p.selfB = sampleProc(p.pid), sampleProc(p.selfPid) }

func cpuPercent(a, b procSample, clk float64) float64 {
	return float64(b.ticks-a.ticks) / clk / b.at.Sub(a.at).Seconds() * 100
}

func (p *phase) daemon(clk float64) float64 { return cpuPercent(p.a, p.b, clk) }
func (p *phase) self(clk float64) float64   { return cpuPercent(p.selfA, p.selfB, clk) }

// perSecond describes the daemon's CPU per second of samples in a phase.
func perSecond(samples []procSample, p *phase, clk float64) string {
	in := []procSample{p.a}
	for _, s := range samples {
		if s.at.After(p.a.at) && s.at.Before(p.b.at) {
			in = append(in, s)
		}
	}
	in = append(in, p.b)
	v := perSecondCPU(in, clk)
	if len(v) == 0 {
		return ""
	}
	slices.Sort(v)
	return fmt.Sprintf(" (per second p50 %.1f%%, max %.1f%%)", quantile(v, 0.5), v[len(v)-1])
}

// poller reads /metrics every interval until stopped.
type poller struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
	stats  *pollStats
}

func startPoller(ctx context.Context, addr string, every time.Duration, ids []string, lat *latencies) *poller {
	ctx, cancel := context.WithCancel(ctx)
	p := &poller{cancel: cancel, stats: &pollStats{}}
	p.wg.Go(func() { poll(ctx, addr, every, ids, lat, p.stats) })
	return p
}

func (p *poller) stop() {
	p.cancel()
	p.wg.Wait()
}

type writerStats struct{ lines, bytes, errors int64 }

// write appends lines to f at rate lines/s from t0 until ctx is done: every
// tick what is due, in one write(2), as a buffered logger does. Each error
// line's write time goes to lat.
func write(ctx context.Context, f *os.File, file int, rate float64, errorEvery int, tick time.Duration, t0 time.Time, lat *latencies) writerStats {
	var st writerStats
	buf := make([]byte, 0, 64<<10)
	t := time.NewTicker(tick)
	defer t.Stop()
	var nErr int
	for {
		select {
		case <-ctx.Done():
			return st
		case <-t.C:
		}
		due := int64(rate*time.Since(t0).Seconds()) - st.lines
		if due <= 0 {
			continue
		}
		buf = buf[:0]
		now := time.Now()
		ts := now.Format("2006-01-02T15:04:05.000Z07:00")
		errsHere := 0
		for k := int64(0); k < due; k++ {
			n := st.lines + k
			var line string
			if n%int64(errorEvery) == int64(errorEvery/2) {
				line = strings.Replace(errorLines[file].text, "{SEQ}", fmt.Sprintf("lt-%02d-%d", file, nErr+errsHere), 1)
				errsHere++
			} else {
				line = strings.Replace(benignLines[n%int64(len(benignLines))], "{N}", strconv.FormatInt(n, 10), 1)
			}
			buf = appendLine(buf, strings.Replace(line, "{TIME}", ts, 1), now)
		}
		// The write time is taken before write(2), and registered before
		// the daemon can see the line: the latency includes the write.
		at := time.Now()
		for range errsHere {
			lat.written(file, at)
		}
		if _, err := f.Write(buf); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest: write:", err)
			return st
		}
		nErr += errsHere
		st.lines += due
		st.bytes += int64(len(buf))
		st.errors += int64(errsHere)
	}
}

// latencies pairs the k-th error line written to a file with the first
// poll that shows its counter at k.
type latencies struct {
	mu      sync.Mutex
	writeAt [][]time.Time
	seenAt  [][]time.Time
	from    []int // per file, the first line whose latency is measured
}

func newLatencies(files int) *latencies {
	return &latencies{writeAt: make([][]time.Time, files), seenAt: make([][]time.Time, files), from: make([]int, files)}
}

// startMeasuring excludes the lines written so far from the latencies.
func (l *latencies) startMeasuring() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := range l.writeAt {
		l.from[i] = len(l.writeAt[i])
	}
}

func (l *latencies) written(file int, at time.Time) {
	l.mu.Lock()
	l.writeAt[file] = append(l.writeAt[file], at)
	l.mu.Unlock()
}

// counted records that file's counter shows n at time at.
func (l *latencies) counted(file int, n int, at time.Time) {
	l.mu.Lock()
	for len(l.seenAt[file]) < n {
		l.seenAt[file] = append(l.seenAt[file], at)
	}
	l.mu.Unlock()
}

func (l *latencies) allSeen() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := range l.writeAt {
		if len(l.seenAt[i]) < len(l.writeAt[i]) {
			return false
		}
	}
	return true
}

func (l *latencies) seen() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, s := range l.seenAt {
		n += len(s)
	}
	return n
}

// all returns the latencies in milliseconds. A counter seen above what was
// written (a line counted twice) has no write time and shows in the final
// count check instead.
func (l *latencies) all() []float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []float64
	for i := range l.writeAt {
		for k, w := range l.writeAt[i] {
			if k >= l.from[i] && k < len(l.seenAt[i]) {
				out = append(out, float64(l.seenAt[i][k].Sub(w))/float64(time.Millisecond))
			}
		}
	}
	return out
}

type pollStats struct {
	mu        sync.Mutex
	took      []time.Duration
	maxBehind float64
	// slow are the polls that took over slowPoll or found more than
	// slowBehind bytes not processed: when the daemon stalled.
	slow []string
}

const (
	slowPoll   = 200 * time.Millisecond
	slowBehind = 256 << 10
)

func (p *pollStats) quantile(q float64) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.took) == 0 {
		return 0
	}
	s := slices.Clone(p.took)
	slices.Sort(s)
	return s[int(q*float64(len(s)-1))].Round(10 * time.Microsecond)
}

func (p *pollStats) max() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.took) == 0 {
		return 0
	}
	return slices.Max(p.took).Round(10 * time.Microsecond)
}

// poll reads /metrics every interval and hands each file's counter to lat.
func poll(ctx context.Context, addr string, every time.Duration, ids []string, lat *latencies, st *pollStats) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		start := time.Now()
		m, err := scrape(addr)
		done := time.Now()
		if err != nil {
			continue
		}
		for i, id := range ids {
			lat.counted(i, int(m.get("wedadiag_diagnoses_total", "id", id)), done)
		}
		behind := m.sum("wedadiag_bytes_behind")
		st.mu.Lock()
		st.took = append(st.took, done.Sub(start))
		st.maxBehind = max(st.maxBehind, behind)
		if done.Sub(start) > slowPoll || behind > slowBehind {
			saved := time.UnixMilli(int64(m.sum("wedadiag_tailer_position_last_save_timestamp_seconds") * 1000))
			st.slow = append(st.slow, fmt.Sprintf("%s scrape took %v, bytes_behind %.0f, positions last saved at %s",
				start.Format("15:04:05.000"), done.Sub(start).Round(time.Millisecond), behind, saved.Format("15:04:05.000")))
		}
		st.mu.Unlock()
	}
}

// metrics is a scrape reduced to what loadtest reads: per name, the
// series' label text and value.
type metrics struct {
	series map[string][]series
}

type series struct {
	labels string
	value  float64
}

var client = &http.Client{Timeout: 5 * time.Second}

func scrape(addr string) (*metrics, error) {
	resp, err := client.Get("http://" + addr + "/metrics")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("/metrics: %s", resp.Status)
	}
	m := &metrics{series: map[string][]series{}}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "wedadiag_") {
			continue
		}
		sp := strings.LastIndexByte(line, ' ')
		if sp < 0 {
			continue
		}
		v, err := strconv.ParseFloat(line[sp+1:], 64)
		if err != nil {
			continue
		}
		name, labels := line[:sp], ""
		if i := strings.IndexByte(name, '{'); i >= 0 {
			name, labels = name[:i], name[i:]
		}
		m.series[name] = append(m.series[name], series{labels, v})
	}
	return m, sc.Err()
}

func (m *metrics) sum(name string) float64 {
	if m == nil {
		return math.NaN()
	}
	var t float64
	for _, s := range m.series[name] {
		t += s.value
	}
	return t
}

// get sums the series of name with label k="v".
func (m *metrics) get(name, k, v string) float64 {
	want := k + `="` + v + `"`
	var t float64
	for _, s := range m.series[name] {
		if strings.Contains(s.labels, want) {
			t += s.value
		}
	}
	return t
}

// procSample is one reading of /proc/PID/stat and /proc/PID/status.
type procSample struct {
	at           time.Time
	ticks        int64 // utime + stime
	rssKB, hwmKB int64
}

func sampleProc(pid int) procSample {
	s := procSample{at: time.Now()}
	if data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		// Fields after the command name, which is in parentheses and may
		// hold spaces: state is field 3, utime 14, stime 15.
		if i := strings.LastIndexByte(string(data), ')'); i >= 0 {
			f := strings.Fields(string(data[i+1:]))
			if len(f) > 12 {
				u, _ := strconv.ParseInt(f[11], 10, 64)
				st, _ := strconv.ParseInt(f[12], 10, 64)
				s.ticks = u + st
			}
		}
	}
	if data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			k, v, ok := strings.Cut(line, ":")
			if !ok {
				continue
			}
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			switch k {
			case "VmRSS":
				s.rssKB = n
			case "VmHWM":
				s.hwmKB = n
			}
		}
	}
	return s
}

func perSecondCPU(s []procSample, clk float64) []float64 {
	var out []float64
	for i := 1; i < len(s); i++ {
		if d := s[i].at.Sub(s[i-1].at).Seconds(); d > 0.5 {
			out = append(out, float64(s[i].ticks-s[i-1].ticks)/clk/d*100)
		}
	}
	return out
}

// clockTicks is the kernel's USER_HZ (getconf CLK_TCK; 100 on Linux).
func clockTicks() float64 {
	out, err := exec.Command("getconf", "CLK_TCK").Output()
	if err == nil {
		if v, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64); err == nil && v > 0 {
			return v
		}
	}
	return 100
}

func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	return sorted[int(math.Round(q*float64(len(sorted)-1)))]
}

func loadavg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func waitFor(ctx context.Context, limit time.Duration, cond func() bool) error {
	return waitForEvery(ctx, limit, 20*time.Millisecond, cond)
}

func waitForEvery(ctx context.Context, limit, every time.Duration, cond func() bool) error {
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %v", limit)
		}
		if err := sleepCtx(ctx, every); err != nil {
			return err
		}
	}
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
