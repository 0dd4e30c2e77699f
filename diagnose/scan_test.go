package diagnose

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"runtime"
	"strings"
	"testing"
)

// One Scanner reads many streams, plain and gzip, through the same
// buffers: each reports what a fresh Scanner reports, and a stream after
// the first allocates no read buffer.
func TestScannerManyStreams(t *testing.T) {
	prog := testProgram(t)
	cat := testCatalog(t)
	input := determinismInput(t)
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write([]byte(input))
	zw.Close()
	streams := []func() *bytes.Reader{
		func() *bytes.Reader { return bytes.NewReader([]byte(input)) },
		func() *bytes.Reader { return bytes.NewReader(zipped.Bytes()) },
		func() *bytes.Reader {
			return bytes.NewReader([]byte("2024-06-21 ERROR UserError.DsNotFound: 找不到数据源orders\n"))
		},
	}
	scan := func(sc *Scanner, agg *Aggregator, unknown *Unknowns, order []int) string {
		for _, i := range order {
			if err := sc.Scan(streams[i](), "s", "x.log"); err != nil {
				t.Fatal(err)
			}
		}
		out, _ := json.MarshalIndent(scanResult{sc.Lines, sc.Records, sc.Bad, agg.Diagnoses("en"), unknown.Top(1000)}, "", " ")
		return string(out)
	}
	fresh := func(workers int) (*Scanner, *Aggregator, *Unknowns) {
		agg, unknown := NewAggregator(cat, Options{}), NewUnknowns()
		sc := NewScanner(NewScanPipeline(prog, NewResolver(cat), agg, unknown))
		sc.Workers = workers
		return sc, agg, unknown
	}
	order := []int{0, 1, 2, 1, 0, 2, 0}
	for _, workers := range []int{1, 3} {
		sc, agg, unknown := fresh(workers)
		got := scan(sc, agg, unknown, order)
		// The same streams, each through a Scanner of its own, into the
		// same sinks.
		agg2, unknown2 := NewAggregator(cat, Options{}), NewUnknowns()
		var lines, records int64
		bad := map[string]int64{}
		var seq int64
		for _, i := range order {
			sc2 := NewScanner(NewScanPipeline(prog, NewResolver(cat), agg2, unknown2))
			sc2.Workers, sc2.seq = workers, seq
			if err := sc2.Scan(streams[i](), "s", "x.log"); err != nil {
				t.Fatal(err)
			}
			seq = sc2.seq
			lines, records = lines+sc2.Lines, records+sc2.Records
			for k, v := range sc2.Bad {
				bad[k] += v
			}
		}
		out, _ := json.MarshalIndent(scanResult{lines, records, bad, agg2.Diagnoses("en"), unknown2.Top(1000)}, "", " ")
		if want := string(out); got != want {
			t.Fatalf("%d workers: one Scanner over %d streams reports differently:\n%s", workers, len(order), firstDiff(want, got))
		}
		if !strings.Contains(got, "UserError.DsNotFound") {
			t.Fatalf("nothing diagnosed: %s", got)
		}
	}

	// A small stream after the first allocates far less than the read
	// buffer (256 KiB) it would otherwise make.
	sc, _, _ := fresh(1)
	scan(sc, sc.pipe.cfg.Sinks[0].(*Aggregator), sc.pipe.cfg.Sinks[1].(*Unknowns), []int{2})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	const n = 20
	for range n {
		if err := sc.Scan(streams[2](), "s", "x.log"); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / n; per > 64<<10 {
		t.Fatalf("%d bytes allocated per small stream", per)
	}
}
