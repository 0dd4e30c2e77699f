package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// runBacklog is the throughput measurement (-backlog N): the daemon follows
// empty files; N lines made beforehand are then appended to them in large
// writes, as fast as the disk takes them, and the daemon reads them as
// they come. It reports the lines per second from the first write to the
// moment /metrics shows every line counted, and the daemon's CPU seconds
// (utime+stime) over that span per million lines. Counts must be exact.
func runBacklog(o options) error {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	logs, cleanup, err := logsDir(&o)
	if err != nil {
		return err
	}
	defer cleanup()
	// The content first: the writes then cost the daemon's reader, not
	// this program's formatting.
	per := o.backlog / o.files
	content := make([][]byte, o.files)
	errs := make([]int64, o.files)
	at := time.Now()
	ts := at.Format("2006-01-02T15:04:05.000Z07:00")
	var total int64
	for i := range content {
		var b []byte
		for n := range per {
			var line string
			if n%o.errorEvery == o.errorEvery/2 {
				line = strings.Replace(errorLines[i].text, "{SEQ}", fmt.Sprintf("lt-%02d-%d", i, errs[i]), 1)
				errs[i]++
			} else {
				line = strings.Replace(benignLines[n%len(benignLines)], "{N}", strconv.Itoa(n), 1)
			}
			b = appendLine(b, strings.Replace(line, "{TIME}", ts, 1), at)
		}
		content[i] = b
		total += int64(len(b))
	}
	files, glob, p, stop, err := startOnFiles(o, logs)
	if err != nil {
		return err
	}
	defer stop()
	pid := p.cmd.Process.Pid
	if err := waitFor(ctx, 20*time.Second, func() bool {
		m, err := scrape(p.addr)
		return err == nil && m.sum("wedadiag_files_followed") == float64(o.files)
	}); err != nil {
		return fmt.Errorf("files never all followed: %w", err)
	}
	lines := int64(per * o.files)
	fmt.Printf("backlog: wedadiag pid %d following %s (%d files); %d lines (%.1f MB, 1 in %d an error line) appended in 1 MiB writes\n",
		pid, glob, o.files, lines, float64(total)/1e6, o.errorEvery)
	fmt.Printf("host: %d CPUs, load average %s\n", runtime.NumCPU(), loadavg())
	clk := clockTicks()
	a := sampleProc(pid)
	// One writer per file, each in 1 MiB writes.
	done := make(chan error, o.files)
	for i, f := range files {
		go func() {
			b := content[i]
			for len(b) > 0 {
				n := min(len(b), 1<<20)
				if _, err := f.Write(b[:n]); err != nil {
					done <- err
					return
				}
				b = b[n:]
			}
			done <- nil
		}()
	}
	for range files {
		if err := <-done; err != nil {
			return err
		}
	}
	wrote := time.Since(a.at)
	var last *metrics
	err = waitForEvery(ctx, 300*time.Second, 250*time.Millisecond, func() bool {
		m, err := scrape(p.addr)
		if err != nil {
			return false
		}
		last = m
		if m.sum("wedadiag_lines_total") < float64(lines) {
			return false
		}
		// The last error line of each file is at most -error-every lines
		// from its end: counted, the pipeline is (nearly) through.
		for i := range files {
			if m.get("wedadiag_diagnoses_total", "id", errorLines[i].id) < float64(errs[i]) {
				return false
			}
		}
		return true
	})
	b := sampleProc(pid)
	if err != nil {
		return fmt.Errorf("the daemon did not catch up: %w (read %v of %d lines)", err, last.sum("wedadiag_lines_total"), lines)
	}
	wall := b.at.Sub(a.at)
	cpu := float64(b.ticks-a.ticks) / clk
	var bad []string
	if got := last.sum("wedadiag_lines_total"); got != float64(lines) {
		bad = append(bad, fmt.Sprintf("wedadiag_lines_total %.0f, written %d", got, lines))
	}
	for i := range files {
		if got := last.get("wedadiag_diagnoses_total", "id", errorLines[i].id); got != float64(errs[i]) {
			bad = append(bad, fmt.Sprintf("%s counted %.0f, written %d", errorLines[i].id, got, errs[i]))
		}
	}
	fmt.Printf("written in %v; every line counted after %v (resolution: /metrics read every 250ms)\n", wrote.Round(time.Millisecond), wall.Round(time.Millisecond))
	fmt.Printf("throughput: %.0f lines/s, %.1f MB/s\n", float64(lines)/wall.Seconds(), float64(total)/1e6/wall.Seconds())
	fmt.Printf("daemon CPU: %.2f s (utime+stime), %.0f%% of one core on average, %.2f CPU s per million lines\n",
		cpu, cpu/wall.Seconds()*100, cpu/(float64(lines)/1e6))
	fmt.Printf("memory: VmHWM %.1f MiB\n", mib(b.hwmKB))
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		return errors.New("wedadiag did not exit within 30s of SIGTERM")
	}
	if len(bad) > 0 || p.err != nil {
		return fmt.Errorf("counts wrong or bad exit: %s %v", strings.Join(bad, "; "), p.err)
	}
	fmt.Println("counts exact; exit 0")
	return nil
}
