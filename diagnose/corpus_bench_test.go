package diagnose

import (
	"bytes"
	"testing"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/internal/benchcorpus"
)

// BenchmarkCorpusDiagnose is the whole scan pipeline on one goroutine —
// read, frame, match, resolve, aggregate, unmatched templates — over
// SampleLines lines of each benchmark corpus (internal/benchcorpus), and
// checks the counts against the generator's truth.
func BenchmarkCorpusDiagnose(b *testing.B) {
	cat, err := catalog.Default()
	if err != nil {
		b.Fatal(err)
	}
	scanner := benchScanners(b)
	for _, o := range benchcorpus.BenchCases {
		o.Lines = benchcorpus.SampleLines
		var buf bytes.Buffer
		truth, err := benchcorpus.Write(&buf, cat, o)
		if err != nil {
			b.Fatal(err)
		}
		data := buf.Bytes()
		b.Run(o.Name(), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				sc, agg := scanner()
				if err := sc.Scan(bytes.NewReader(data), "bench", "bench.log"); err != nil {
					b.Fatal(err)
				}
				got := 0
				for _, d := range agg.Diagnoses("en") {
					if d.Count != int64(truth.Counts[d.ID]) {
						b.Fatalf("%s: %d diagnoses, want %d", d.ID, d.Count, truth.Counts[d.ID])
					}
					got += int(d.Count)
				}
				if got != truth.Errors() {
					b.Fatalf("%d diagnoses, want %d", got, truth.Errors())
				}
			}
		})
	}
}
