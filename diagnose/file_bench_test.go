package diagnose

import (
	"os"
	"testing"

	"github.com/wedadiag/wedadiag/catalog"
)

// BenchmarkScanFileOneWorker is ScanFile on one goroutine, one range — what
// `scan` costs per byte on one core without its start-up — over the log
// file WEDADIAG_BENCH_FILE names (a bench corpus, scripts/bench; skipped
// without one). Runs of two builds side by side compare their per-byte
// cost with less noise than whole processes.
func BenchmarkScanFileOneWorker(b *testing.B) {
	path := os.Getenv("WEDADIAG_BENCH_FILE")
	if path == "" {
		b.Skip("WEDADIAG_BENCH_FILE names no log file")
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		b.Fatal(err)
	}
	cat, err := catalog.Default()
	if err != nil {
		b.Fatal(err)
	}
	set, err := LoadRules(cat, nil)
	if err != nil {
		b.Fatal(err)
	}
	prog := &Program{Set: set}
	res := NewResolver(cat)
	b.SetBytes(st.Size())
	for b.Loop() {
		agg := NewAggregator(cat, Options{})
		sc := NewScanner(NewScanPipeline(prog, res, agg, NewUnknowns()))
		sc.Workers = 1
		if err := sc.ScanFile(f, st.Size(), "bench", path); err != nil {
			b.Fatal(err)
		}
		if sc.Records == 0 {
			b.Fatal("no records")
		}
	}
}

// BenchmarkScanOneWorker is Scan (the path of stdin, gzip and small files:
// one goroutine frames, one matches batches) over the file
// WEDADIAG_BENCH_FILE names, with the batches' records scanned as blocks
// and one by one.
func BenchmarkScanOneWorker(b *testing.B) {
	path := os.Getenv("WEDADIAG_BENCH_FILE")
	if path == "" {
		b.Skip("WEDADIAG_BENCH_FILE names no log file")
	}
	cat, err := catalog.Default()
	if err != nil {
		b.Fatal(err)
	}
	set, err := LoadRules(cat, nil)
	if err != nil {
		b.Fatal(err)
	}
	prog := &Program{Set: set}
	res := NewResolver(cat)
	for _, mode := range []string{"block", "alone"} {
		b.Run(mode, func(b *testing.B) {
			noBlockScan = mode == "alone"
			defer func() { noBlockScan = false }()
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			st, _ := f.Stat()
			b.SetBytes(st.Size())
			for b.Loop() {
				if _, err := f.Seek(0, 0); err != nil {
					b.Fatal(err)
				}
				agg := NewAggregator(cat, Options{})
				sc := NewScanner(NewScanPipeline(prog, res, agg, NewUnknowns()))
				sc.Workers = 1
				if err := sc.Scan(f, "bench", path); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
