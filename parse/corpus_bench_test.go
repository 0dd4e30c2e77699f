package parse

import (
	"testing"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/internal/benchcorpus"
	"github.com/wedadiag/wedadiag/record"
)

// BenchmarkCorpusParse is Text then Parse of every line of SampleLines
// lines of each benchmark corpus (internal/benchcorpus), with the
// catalog's codes as the vocabulary: the cost of a record the prefilter
// wakes, over traffic we did not pick line by line (a scan parses only
// some of them).
func BenchmarkCorpusParse(b *testing.B) {
	cat, err := catalog.Default()
	if err != nil {
		b.Fatal(err)
	}
	codes := map[string]bool{}
	for _, e := range cat.Entries() {
		if e.Code != "" {
			codes[e.Code] = true
		}
	}
	p := New(func(c string) bool { return codes[c] })
	for _, o := range benchcorpus.BenchCases {
		o.Lines = benchcorpus.SampleLines
		lines, _, err := benchcorpus.Sample(cat, o)
		if err != nil {
			b.Fatal(err)
		}
		recs := make([]record.Record, len(lines))
		n := 0
		for i, l := range lines {
			recs[i] = record.Record{Text: l, Lines: 1}
			n += len(l) + 1
		}
		b.Run(o.Name(), func(b *testing.B) {
			var ev Event
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				for i := range recs {
					p.Parse(&ev, &recs[i], p.Text(&recs[i], ""), "")
				}
			}
		})
	}
}
