package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"sync"

	"github.com/spf13/cobra"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/internal/record"
)

// scanRecord is one line of `scan-records`: a record that yielded
// diagnoses, where it is, and the catalog ids it was diagnosed as (one per
// diagnosis, duplicates kept).
type scanRecord struct {
	Path   string   `json:"path"`
	Offset int64    `json:"offset"`
	End    int64    `json:"end"`
	IDs    []string `json:"ids"`
}

// The hidden `scan-records` command runs the same scanner as `scan` and
// prints, instead of the aggregated report, one JSON line per record that
// yielded at least one diagnosis. tools/accuracy uses it to score
// diagnoses against labelled records.
func init() {
	register(func() *cobra.Command {
		var multiline string
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
				set, err := loadRules(nil)
				if err != nil {
					return usageError{err}
				}
				agg := diagnose.NewAggregator(cat, diagnose.Options{})
				sc := diagnose.NewScanner(set, diagnose.NewResolver(cat), agg)
				sc.Multiline = mode
				var mu sync.Mutex
				var out []scanRecord
				sc.OnRecord = func(rec *record.Record, found []diagnose.Found) {
					r := scanRecord{Path: rec.Path, Offset: rec.Offset, End: rec.End}
					for _, f := range found {
						r.IDs = append(r.IDs, f.Entry.ID)
					}
					mu.Lock()
					out = append(out, r)
					mu.Unlock()
				}
				for _, f := range files {
					if err := scanFile(sc, f); err != nil {
						return err
					}
				}
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
		return cmd
	})
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
