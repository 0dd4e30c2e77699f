package tailer

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	tu "github.com/wedadiag/wedadiag/internal/testutil"
)

var (
	idleCPU      = flag.Bool("idlecpu", false, "measure the CPU an idle tailer uses with 1k, 10k and 100k files matching its glob")
	idleCPUFiles = flag.String("idlecpu.files", "1000,10000,100000", "numbers of files for -idlecpu")
	idleCPUProf  = flag.String("idlecpu.profile", "", "write a CPU profile of the idle window (last size) to this file")
)

// TestIdleCPU measures (with -idlecpu) how much CPU the tailer uses while
// nothing is written, with many files matching one glob and the default
// settings (poll 250 ms, at most 1000 files followed):
//
//	go test ./tailer -run '^TestIdleCPU$' -idlecpu -v
func TestIdleCPU(t *testing.T) {
	if !*idleCPU {
		t.Skip("measurement: go test ./tailer -run '^TestIdleCPU$' -idlecpu -v")
	}
	for _, f := range strings.Split(*idleCPUFiles, ",") {
		n, err := strconv.Atoi(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			dir := t.TempDir()
			for i := range n {
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%06d.log", i)), []byte("x\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			tl, err := New(Config{Sources: []Source{src("app", filepath.Join(dir, "*.log"))},
				StateDir: filepath.Join(t.TempDir(), "state")}, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- tl.Run(ctx) }()
			go func() {
				for rec := range tl.Records() {
					tl.Ack(rec)
				}
			}()
			tu.Eventually(t, 60*time.Second, tl.Ready, "not ready")
			time.Sleep(12 * time.Second) // settle: the first scans back off
			const window = 10 * time.Second
			if *idleCPUProf != "" {
				pf, err := os.Create(*idleCPUProf)
				if err != nil {
					t.Fatal(err)
				}
				defer pf.Close()
				if err := pprof.StartCPUProfile(pf); err != nil {
					t.Fatal(err)
				}
			}
			before := cpuTime()
			time.Sleep(window) // measuring idle time, not waiting for work
			used := cpuTime() - before
			if *idleCPUProf != "" {
				pprof.StopCPUProfile()
			}
			cancel()
			<-done
			t.Logf("%d files: %v CPU in %v idle = %.1f%% of a core", n, used.Round(time.Millisecond), window, 100*used.Seconds()/window.Seconds())
		})
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
