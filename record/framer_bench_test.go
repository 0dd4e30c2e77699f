package record_test

import (
	"testing"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/internal/benchcorpus"
	"github.com/wedadiag/wedadiag/record"
)

// BenchmarkFramer frames the benchmark corpora's samples
// (internal/benchcorpus): almost every record is one line.
func BenchmarkFramer(b *testing.B) {
	cat, err := catalog.Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, o := range benchcorpus.BenchCases[:2] {
		o.Lines = benchcorpus.SampleLines
		lines, _, err := benchcorpus.Sample(cat, o)
		if err != nil {
			b.Fatal(err)
		}
		size := 0
		for _, l := range lines {
			size += len(l) + 1
		}
		b.Run(o.Name(), func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			f := record.NewFramer("bench", "bench.log", record.Auto, 0, 0)
			n := 0
			emit := func(r *record.Record) { n += r.Lines }
			for b.Loop() {
				n = 0
				var off int64
				for _, l := range lines {
					end := off + int64(len(l)) + 1
					f.Push(record.Line{Text: l, Offset: off, End: end}, emit)
					off = end
				}
				f.Flush(emit)
				if n != len(lines) {
					b.Fatalf("%d lines framed, want %d", n, len(lines))
				}
			}
		})
	}
}
