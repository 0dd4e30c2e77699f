package diagnose

import (
	"os"
	"testing"

	"github.com/wedadiag/wedadiag/catalog"
)

// benchScanners returns what the scan benchmarks build for each run: a
// one-worker Scanner of the built-in rules over the default catalog,
// with the Aggregator (its diagnoses are read back) and Unknowns a scan
// has. The rules are compiled once, here.
func benchScanners(b *testing.B) func() (*Scanner, *Aggregator) {
	b.Helper()
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
	return func() (*Scanner, *Aggregator) {
		agg := NewAggregator(cat, Options{})
		sc := NewScanner(NewScanPipeline(prog, res, agg, NewUnknowns()))
		sc.Workers = 1
		return sc, agg
	}
}

// benchFile opens the log file WEDADIAG_BENCH_FILE names (a bench corpus,
// scripts/bench; the benchmark is skipped without one) and returns it,
// its size and its path.
func benchFile(b *testing.B) (*os.File, int64, string) {
	b.Helper()
	path := os.Getenv("WEDADIAG_BENCH_FILE")
	if path == "" {
		b.Skip("WEDADIAG_BENCH_FILE names no log file")
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { f.Close() })
	st, err := f.Stat()
	if err != nil {
		b.Fatal(err)
	}
	return f, st.Size(), path
}

// BenchmarkScanFileOneWorker is ScanFile on one goroutine, one range — what
// `scan` costs per byte on one core without its start-up — over the log
// file WEDADIAG_BENCH_FILE names. Runs of two builds side by side compare
// their per-byte cost with less noise than whole processes.
func BenchmarkScanFileOneWorker(b *testing.B) {
	f, size, path := benchFile(b)
	scanner := benchScanners(b)
	b.SetBytes(size)
	for b.Loop() {
		sc, _ := scanner()
		if err := sc.ScanFile(f, size, "bench", path); err != nil {
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
	f, size, path := benchFile(b)
	scanner := benchScanners(b)
	for _, mode := range []string{"block", "alone"} {
		b.Run(mode, func(b *testing.B) {
			noBlockScan = mode == "alone"
			defer func() { noBlockScan = false }()
			b.SetBytes(size)
			for b.Loop() {
				if _, err := f.Seek(0, 0); err != nil {
					b.Fatal(err)
				}
				sc, _ := scanner()
				if err := sc.Scan(f, "bench", path); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
