package diagnose

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// multiLinePieces are records of several lines, some of them errors, that
// a split may cut through.
var multiLinePieces = []string{
	"2024-06-21 08:00:02 ERROR [datasource] call failed {\n  \"code\": \"UserError.DsNotFound\",\n  \"message\": \"找不到数据源order%d\"\n}",
	"2024-06-21 08:00:03 ERROR c.w.OrderService - sync %d failed\njava.lang.IllegalStateException: FailedOperation.FlexdbRequestTimeOut\n\tat c.w.OrderService.sync(OrderService.java:88)\nCaused by: java.net.SocketTimeoutException\n\t... 12 more",
	"Traceback (most recent call last):\n  File \"index.py\", line %d, in main_handler\n    raise Exception('ResourceNotFound.DataSourceNotExist')\nException: ResourceNotFound.DataSourceNotExist",
	"{\n  \"Response\": {\n    \"Error\": {\"Code\": \"InvalidParameter\", \"Message\": \"bad %d\"},\n    \"RequestId\": \"r-1\"\n  }\n}",
	"opened and never closed {\nplain %d\n{\"level\":\"error\",\"code\":\"UserError.DsNotFound\"}",
	"",
	"2024-06-21 08:00:04 INFO ok %d",
}

func chunkInput(t *testing.T, rng *rand.Rand) string {
	base := determinismInput(t)
	lines := strings.SplitAfter(base, "\n")
	var b strings.Builder
	for i, l := range lines {
		b.WriteString(l)
		if rng.IntN(20) == 0 {
			p := multiLinePieces[rng.IntN(len(multiLinePieces))]
			if strings.Contains(p, "%d") {
				p = fmt.Sprintf(p, i)
			}
			b.WriteString(p + "\n")
		}
	}
	return b.String()
}

func scanFileWith(t *testing.T, prog *Program, path string, workers, chunks int) (scanResult, int) {
	t.Helper()
	// Two files: the order runs across them.
	r, _, ranges := fileScan(t, prog, path, workers, chunks, 0, "s0", "s1")
	return r, ranges
}

// fileScan runs ScanFile over path once for each source name, with
// Workers, Chunks (ChunkMin out of the way) and MaxLineBytes (0: the
// default) set, and returns what the scan reports, its Scanner and the
// number of ranges the file is split into.
func fileScan(t *testing.T, prog *Program, path string, workers, chunks, maxLine int, sources ...string) (scanResult, *Scanner, int) {
	t.Helper()
	cat := testCatalog(t)
	agg := NewAggregator(cat, Options{})
	unknown := NewUnknowns()
	sc := NewScanner(NewScanPipeline(prog, NewResolver(cat), agg, unknown))
	sc.Workers, sc.Chunks, sc.minChunked, sc.MaxLineBytes = workers, chunks, 1, maxLine
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	bounds, err := sc.splitPoints(f, st.Size(), max(chunks, 1))
	if err != nil {
		t.Fatal(err)
	}
	for _, source := range sources {
		if _, err := f.Seek(0, 0); err != nil {
			t.Fatal(err)
		}
		if err := sc.ScanFile(f, st.Size(), source, "x.log"); err != nil {
			t.Fatalf("%d workers, %d chunks: %v", workers, chunks, err)
		}
	}
	return scanResult{sc.Lines, sc.Records, sc.Bad, agg.Diagnoses("en"), unknown.Top(1000)}, sc, len(bounds) - 1
}

// A file read in ranges by several workers reports what one reader
// reports: counts, samples (the earliest), unmatched templates, bad
// records, whatever the number of ranges and so wherever the splits fall
// among multi-line records.
func TestScanFileChunksLikeSequential(t *testing.T) {
	prog := testProgram(t)
	rng := rand.New(rand.NewPCG(15, 7))
	path := filepath.Join(t.TempDir(), "x.log")
	if err := os.WriteFile(path, []byte(chunkInput(t, rng)), 0o644); err != nil {
		t.Fatal(err)
	}
	one, n := scanFileWith(t, prog, path, 1, 1)
	if n != 1 || len(one.Diagnoses) < 5 || len(one.Unmatched) == 0 || len(one.Bad) == 0 {
		t.Fatalf("input too small to tell: %d ranges, %d diagnoses, %d unmatched, bad %v", n, len(one.Diagnoses), len(one.Unmatched), one.Bad)
	}
	want, _ := json.MarshalIndent(one, "", " ")
	// One worker reads the file as one range, without Scan's batches.
	whole, n := scanFileWith(t, prog, path, 1, 0)
	if got, _ := json.MarshalIndent(whole, "", " "); string(got) != string(want) {
		t.Fatalf("one worker over one range (%d) reports differently from Scan:\n%s", n, firstDiff(string(want), string(got)))
	}
	split := 0
	for range 6 {
		workers, chunks := 2+rng.IntN(3), 2+rng.IntN(60)
		many, n := scanFileWith(t, prog, path, workers, chunks)
		if n > 1 {
			split++
		}
		got, _ := json.MarshalIndent(many, "", " ")
		if string(got) != string(want) {
			t.Fatalf("%d workers over %d ranges report differently from one reader:\n%s", workers, n, firstDiff(string(want), string(got)))
		}
	}
	if split < 5 {
		t.Fatalf("only %d of 6 scans were split", split)
	}
}

// The ranges that the workers take tile the file: each starts where the
// one before it ended (an empty range where a point's boundary was not
// kept), the first at 0, the last ending at the file's size, every start
// a record boundary; whichever order the boundaries are found in.
func TestSplitterTilesTheFile(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	dir := t.TempDir()
	dropped := 0
	for round := range 8 {
		var b strings.Builder
		for b.Len() < 200<<10 {
			switch rng.IntN(4) {
			case 0: // a record of many lines: few boundaries near some points
				b.WriteString("2024-06-21 08:00:03 ERROR sync failed\njava.lang.IllegalStateException: x\n")
				for range rng.IntN(400) {
					b.WriteString("\tat c.w.OrderService.sync(OrderService.java:88)\n")
				}
			default:
				fmt.Fprintf(&b, "2024-06-21 08:00:%02d INFO ok %d\n", rng.IntN(60), rng.IntN(1000))
			}
		}
		path := filepath.Join(dir, fmt.Sprintf("%d.log", round))
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		size := int64(b.Len())
		chunks := 2 + rng.IntN(100)
		sp := newSplitter(&Scanner{}, f, size, chunks)
		order := rng.Perm(chunks) // the boundaries found out of order
		for _, i := range order {
			if _, err := sp.boundary(i); err != nil {
				t.Fatal(err)
			}
		}
		next := int64(0)
		for i := range chunks {
			from, to, err := sp.rangeOf(i)
			if err != nil {
				t.Fatal(err)
			}
			if from == to {
				dropped++
				continue
			}
			if from != next || to <= from {
				t.Fatalf("round %d, %d chunks: range %d is [%d, %d), want it to start at %d", round, chunks, i, from, to, next)
			}
			if from > 0 && b.String()[from-1] != '\n' {
				t.Fatalf("range %d starts mid-line at %d", i, from)
			}
			next = to
		}
		if next != size {
			t.Fatalf("round %d: the ranges end at %d of %d", round, next, size)
		}
		f.Close()
	}
	if dropped == 0 {
		t.Fatal("no point was dropped: the test does not reach the empty ranges")
	}
}

// A file that shows no record boundary at any split point (a stack trace
// of many thousand lines) is read by Scan, which hands its records to
// every worker, and reports what one reader reports.
func TestScanFileWithoutBoundariesFallsBackToScan(t *testing.T) {
	var b strings.Builder
	b.WriteString("2024-06-21 08:00:03 ERROR c.w.OrderService - sync failed\njava.lang.IllegalStateException: FailedOperation.FlexdbRequestTimeOut\n")
	for i := range 20000 {
		fmt.Fprintf(&b, "\tat c.w.OrderService.sync%d(OrderService.java:%d)\n", i, i)
	}
	path := filepath.Join(t.TempDir(), "trace.log")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	prog := testProgram(t)
	one, _ := scanFileWith(t, prog, path, 1, 1)
	many, n := scanFileWith(t, prog, path, 2, 8)
	if n != 1 {
		t.Fatalf("%d ranges: the input has boundaries, it cannot tell the fallback", n)
	}
	want, _ := json.MarshalIndent(one, "", " ")
	if got, _ := json.MarshalIndent(many, "", " "); string(got) != string(want) {
		t.Fatalf("two workers report differently from one reader:\n%s", firstDiff(string(want), string(got)))
	}
	cat := testCatalog(t)
	sc := NewScanner(NewScanPipeline(prog, NewResolver(cat), NewAggregator(cat, Options{})))
	sc.Workers, sc.Chunks, sc.minChunked = 2, 8, 1
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := sc.ScanFile(f, int64(b.Len()), "s", path); err != nil {
		t.Fatal(err)
	}
	if len(sc.batches) == 0 {
		t.Fatal("ScanFile read the file in ranges, not with Scan")
	}
}

// The second window holds DefaultMaxLines lines as long as the probe's,
// within splitProbe and splitWindow.
func TestLinesRoom(t *testing.T) {
	line := strings.Repeat("x", 399) + "\n" // 400 bytes a line
	for _, c := range []struct {
		probe string
		want  int64
	}{
		{strings.Repeat(line, 100), 400 * 1000 * 5 / 4},
		{strings.Repeat("a\n", 1000), splitProbe},
		{strings.Repeat("x", 1000), splitWindow},
		{strings.Repeat(strings.Repeat("y", 9999)+"\n", 10), splitWindow},
	} {
		if got := linesRoom([]byte(c.probe)); got != c.want {
			t.Errorf("%d bytes, %d lines: %d, want %d", len(c.probe), strings.Count(c.probe, "\n"), got, c.want)
		}
	}
}
