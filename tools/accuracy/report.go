package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

func pct(a, b int) string { return fmt.Sprintf("%5.1f%%", 100*ratio(a, b)) }

// cell is pct for a table cell: "-" when there is nothing to count.
func cell(a, b int) string {
	if b == 0 {
		return "-"
	}
	return pct(a, b)
}

// WriteText prints the report for people.
func (r *Result) WriteText(w io.Writer, verbose bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "wedadiag accuracy (seed %d): %d labelled records in %d formats, %d files, %d benign lines\n",
		r.Seed, r.Records, r.Formats, r.Files, r.BenignLines)
	fmt.Fprintf(&b, "coverage: %d error-table rows, %d FAQ questions\n\n", r.RowsCover, r.SymCover)
	tally := func(name string, t Tally) {
		fmt.Fprintf(&b, "%-14s %s  (%d/%d right; exact row %s; wrong %d; missed %d; one diagnosis %s; duplicated %d)\n",
			name+" recall", pct(t.Right, t.N), t.Right, t.N, pct(t.Exact, t.N), t.Wrong, t.Missed, pct(t.One, t.N), t.Dup)
	}
	tally("coded", r.Coded)
	tally("symptom", r.Symptom)
	fmt.Fprintf(&b, "platform       %d look-alikes the FAQ does not cover: %d diagnosed on a FAQ-tier entry (want 0), %d on another tier, %d not diagnosed\n",
		r.Platform.N, r.Platform.Wrong, r.Platform.Right, r.Platform.Missed)
	fmt.Fprintf(&b, "precision      %s  (%d right of %d diagnoses)\n", pct(r.Correct, r.Diagnoses), r.Correct, r.Diagnoses)
	fmt.Fprintf(&b, "benign         %d false diagnoses on %d benign lines\n", r.FalseDiagnoses, r.BenignLines)
	all := r.Coded
	all.N += r.Symptom.N
	all.One += r.Symptom.One
	all.Dup += r.Symptom.Dup
	fmt.Fprintf(&b, "count exact    %s of records have exactly one, right, diagnosis; %d have several; %d scanned records spanned several labelled ones\n",
		pct(all.One, all.N), all.Dup, r.Merged)
	if r.ScanJSONCount >= 0 {
		state := "agrees"
		if r.ScanJSONCount != r.Diagnoses {
			state = "DISAGREES"
		}
		fmt.Fprintf(&b, "scan --format json counts %d diagnoses: %s with the per-record count\n", r.ScanJSONCount, state)
	}

	b.WriteString("\nper format:\n")
	tw := tabwriter.NewWriter(&b, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "format\tcoded\trecall\twrong\tsymptom\trecall\twrong\tdup\tbenign\tfalse\t")
	for _, f := range r.PerFormat {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%d\t%s\t%d\t%d\t%d\t%d\t\n", f.Format, f.Coded.N, cell(f.Coded.Right, f.Coded.N), f.Coded.Wrong,
			f.Symptom.N, cell(f.Symptom.Right, f.Symptom.N), f.Symptom.Wrong, f.Coded.Dup+f.Symptom.Dup, f.BenignLines, f.FalseDiagnoses)
	}
	tw.Flush()

	var perfectRows, rows, perfectSym, syms int
	var weak []EntryScore
	for _, e := range r.PerEntry {
		ok := e.Tally.Right == e.Tally.N
		if e.Kind == kindSymptom {
			syms++
			if ok {
				perfectSym++
			}
		} else {
			rows++
			if ok {
				perfectRows++
			}
		}
		if !ok {
			weak = append(weak, e)
		}
	}
	fmt.Fprintf(&b, "\nper row: %d of %d error-table rows always right; per symptom: %d of %d FAQ questions always right\n",
		perfectRows, rows, perfectSym, syms)
	sort.SliceStable(weak, func(i, j int) bool { return weak[i].Tally.Recall() < weak[j].Tally.Recall() })
	limit := 25
	if verbose {
		limit = len(weak)
	}
	if len(weak) > 0 {
		fmt.Fprintf(&b, "weakest (recall, right/n, wrong):\n")
		for i, e := range weak {
			if i == limit {
				fmt.Fprintf(&b, "  … %d more (-v lists all)\n", len(weak)-limit)
				break
			}
			fmt.Fprintf(&b, "  %s  %d/%d  wrong %d  %s\n", pct(e.Tally.Right, e.Tally.N), e.Tally.Right, e.Tally.N, e.Tally.Wrong, e.ID)
		}
	}
	if len(r.FalseByID) > 0 {
		b.WriteString("\nfalse diagnoses on benign lines, by id:\n")
		type kv struct {
			id string
			n  int
		}
		var fb []kv
		for id, n := range r.FalseByID {
			fb = append(fb, kv{id, n})
		}
		sort.Slice(fb, func(i, j int) bool { return fb[i].n > fb[j].n || fb[i].n == fb[j].n && fb[i].id < fb[j].id })
		for i, x := range fb {
			if i == limit {
				fmt.Fprintf(&b, "  … %d more\n", len(fb)-limit)
				break
			}
			fmt.Fprintf(&b, "  %5d  %s\n", x.n, x.id)
		}
	}
	if verbose {
		b.WriteString("\nrecords not right (file:line format primary → diagnosed):\n")
		for _, o := range r.Outcomes {
			if !o.Right {
				fmt.Fprintf(&b, "  %s:%d %s %s → %v\n", o.File, o.Line, o.Format, o.Primary, o.IDs)
			}
		}
		b.WriteString("\nbenign records diagnosed (file@offset → ids):\n")
		for _, h := range r.FalseSamples {
			fmt.Fprintf(&b, "  %s@%d → %v\n", h.File, h.Offset, h.IDs)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON prints the report for machines.
func (r *Result) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
