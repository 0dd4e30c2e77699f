package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/internal/benchcorpus"
)

func main() {
	out := flag.String("out", "", "directory to write corpus.log, codes.txt and expected.json into")
	lines := flag.Int("lines", 1_000_000, "lines in the corpus")
	shape := flag.String("shape", benchcorpus.Mixed, "corpus shape: "+strings.Join(benchcorpus.Shapes, " or "))
	perMille := flag.Int("errors-per-mille", 20, "error lines per thousand: 1 (0.1 %), 20 (2 %), 200 (20 %)")
	verify := flag.String("verify", "", "a `scan --format json` output to check against -expected")
	expected := flag.String("expected", "", "expected.json of the corpus scanned")
	flag.Parse()
	var err error
	switch {
	case *verify != "":
		err = check(*verify, *expected)
	case *out != "":
		err = generate(*out, benchcorpus.Options{Shape: *shape, Lines: *lines, ErrorsPerMille: *perMille})
	default:
		flag.Usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchgen:", err)
		os.Exit(1)
	}
}

func generate(dir string, o benchcorpus.Options) error {
	cat, err := catalog.Default()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "corpus.log"))
	if err != nil {
		return err
	}
	truth, err := benchcorpus.Write(f, cat, o)
	if err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "codes.txt"), []byte(strings.Join(truth.Codes, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	data, err := json.MarshalIndent(truth.Counts, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "expected.json"), data, 0o644)
}

// check compares the counts of a scan's JSON with the expected ones.
func check(scanPath, expectedPath string) error {
	var want map[string]int
	data, err := os.ReadFile(expectedPath)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, &want); err != nil {
		return err
	}
	var report struct {
		Records   int `json:"records"`
		Diagnoses []struct {
			ID    string `json:"id"`
			Count int    `json:"count"`
		} `json:"diagnoses"`
	}
	data, err = os.ReadFile(scanPath)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, &report); err != nil {
		return err
	}
	got := map[string]int{}
	for _, d := range report.Diagnoses {
		got[d.ID] = d.Count
	}
	var diffs []string
	total := 0
	for id, n := range want {
		total += n
		if got[id] != n {
			diffs = append(diffs, fmt.Sprintf("%s: got %d, want %d", id, got[id], n))
		}
	}
	for id, n := range got {
		if _, ok := want[id]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: got %d, want 0 (a false positive)", id, n))
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		return fmt.Errorf("counts differ:\n  %s", strings.Join(diffs, "\n  "))
	}
	fmt.Printf("counts correct: %d diagnoses in %d entries, %d records\n", total, len(want), report.Records)
	return nil
}
