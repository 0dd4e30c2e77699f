package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"sync"

	"github.com/spf13/cobra"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/record"
)

// scanRecord is one line of `scan-records`: a record that yielded
// diagnoses, where it is, and the catalog ids it was diagnosed as (one per
// diagnosis, duplicates kept).
type scanRecord struct {
	Path   string   `json:"path"`
	Offset int64    `json:"offset"`
	End    int64    `json:"end"`
	IDs    []string `json:"ids"`
	// Matches says, per id, how it was found ("rule" or "text") and
	// Scores the text matcher's score (0 for rule matches).
	Matches []string  `json:"matches"`
	Scores  []float64 `json:"scores"`
}

// The hidden `scan-records` command runs the same scanner as `scan` and
// prints, instead of the aggregated report, one JSON line per record that
// yielded at least one diagnosis. tools/accuracy uses it to score
// diagnoses against labelled records.
func newScanRecordsCmd() *cobra.Command {
	var multiline string
	var threshold float64
	cmd := &cobra.Command{
		Use:    "scan-records FILE…",
		Short:  "Print one JSON line per diagnosed record (for tools/accuracy)",
		Hidden: true,
		Args:   args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, files []string) error {
			mode, ok := record.ParseMode(multiline)
			if !ok {
				return usagef("--multiline %q: want auto or none", multiline)
			}
			cat, err := catalog.Default()
			if err != nil {
				return err
			}
			set, err := diagnose.LoadRules(cat, nil)
			if err != nil {
				return usageError{err}
			}
			recs := &diagnosedRecords{}
			prog := &diagnose.Program{Set: set}
			res := diagnose.NewResolver(cat)
			res.TextThreshold = threshold
			sc := diagnose.NewScanner(diagnose.NewScanPipeline(prog, res, recs))
			sc.Multiline = mode
			for _, f := range files {
				if err := scanFile(sc, f); err != nil {
					return err
				}
			}
			out := recs.out
			sort.Slice(out, func(i, j int) bool {
				if out[i].Path != out[j].Path {
					return out[i].Path < out[j].Path
				}
				return out[i].Offset < out[j].Offset
			})
			return writeRecords(cmd.OutOrStdout(), out)
		},
	}
	cmd.Flags().StringVar(&multiline, "multiline", "auto", "auto or none, as for scan")
	cmd.Flags().Float64Var(&threshold, "text-threshold", catalog.TextThreshold,
		"score from which the text matcher diagnoses (0 prints every text match with a distinctive term, for calibration; negative turns it off)")
	return cmd
}

// diagnosedRecords is the sink of scan-records: it keeps every record that
// yielded a diagnosis. The scanner's workers call it concurrently.
type diagnosedRecords struct {
	mu  sync.Mutex
	out []scanRecord
}

func (d *diagnosedRecords) Observe(diagnose.Occurrence) {}

func (d *diagnosedRecords) Record(o *diagnose.Outcome) {
	if len(o.Found) == 0 {
		return
	}
	r := scanRecord{Path: o.Record.Path, Offset: o.Record.Offset, End: o.Record.End}
	for _, f := range o.Found {
		r.IDs = append(r.IDs, f.Entry.ID)
		kind := f.Kind
		if kind == "" {
			kind = diagnose.MatchRule
		}
		r.Matches = append(r.Matches, kind)
		r.Scores = append(r.Scores, math.Round(f.Score*100)/100)
	}
	d.mu.Lock()
	d.out = append(d.out, r)
	d.mu.Unlock()
}

func scanFile(sc *diagnose.Scanner, path string) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	if err := sc.Scan(fh, path, path); err != nil {
		return fmt.Errorf("scan %s: %w", path, err)
	}
	return nil
}

func writeRecords(w io.Writer, recs []scanRecord) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}

// WantsSample: it keeps no samples (diagnose.SampleUser).
func (*diagnosedRecords) WantsSample(*diagnose.Occurrence) bool { return false }
