package rules

import (
	"syscall"
	"testing"
	"time"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/internal/automaton"
	"github.com/wedadiag/wedadiag/internal/benchcorpus"
	"github.com/wedadiag/wedadiag/record"
)

// corpusCases runs bench over SampleLines lines of each benchmark corpus
// (internal/benchcorpus), matched by the built-in rules: what a scan costs
// per byte on traffic we did not pick line by line.
func corpusCases(b *testing.B, bench func(b *testing.B, s *Set, recs []record.Record)) {
	cat, err := catalog.Default()
	if err != nil {
		b.Fatal(err)
	}
	s, err := Compile(Builtin()...)
	if err != nil {
		b.Fatal(err)
	}
	s.ready() // the prefilter benchmarks read s.auto
	for _, o := range benchcorpus.BenchCases {
		o.Lines = benchcorpus.SampleLines
		lines, _, err := benchcorpus.Sample(cat, o)
		if err != nil {
			b.Fatal(err)
		}
		recs := make([]record.Record, len(lines))
		for i, l := range lines {
			recs[i] = record.Record{Text: l, Lines: 1}
		}
		b.Run(o.Name(), func(b *testing.B) {
			b.SetBytes(corpusBytes(lines))
			b.ReportAllocs()
			cpu := processCPU()
			bench(b, s, recs)
			// CPU time, GC included, tells more than ns/op on a busy box.
			b.ReportMetric(float64(processCPU()-cpu)/float64(b.N)/float64(len(recs)), "cpu-ns/line")
		})
	}
}

// BenchmarkCorpusPrefilter is the prefilter alone over every line.
func BenchmarkCorpusPrefilter(b *testing.B) {
	corpusCases(b, func(b *testing.B, s *Set, recs []record.Record) {
		var hits []automaton.Hit
		for b.Loop() {
			for i := range recs {
				hits = s.auto.Scan(recs[i].Text, hits[:0])
			}
		}
	})
}

// BenchmarkCorpusMatch is the whole per-record matching: checks,
// prefilter, the parse of the records it wakes, the candidate rules.
func BenchmarkCorpusMatch(b *testing.B) {
	corpusCases(b, func(b *testing.B, s *Set, recs []record.Record) {
		m := s.NewMatcher()
		for b.Loop() {
			for i := range recs {
				m.Match(&recs[i])
			}
		}
	})
}

// processCPU is the CPU time the process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
