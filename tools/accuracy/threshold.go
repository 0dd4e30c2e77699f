package main

import (
	"fmt"
	"io"
)

// ThresholdRow is what the measurement gives when the text matcher
// diagnoses only from a score.
type ThresholdRow struct {
	Threshold float64 `json:"threshold"`
	// Text diagnoses made, and how many were right (on a labelled record
	// whose accept set holds the id).
	TextDiagnoses int     `json:"text_diagnoses"`
	TextRight     int     `json:"text_right"`
	TextPrecision float64 `json:"text_precision"`
	CodedRecall   float64 `json:"coded_recall"`
	SymptomRecall float64 `json:"symptom_recall"`
	Precision     float64 `json:"precision"`
	FalseBenign   int     `json:"false_diagnoses"`
}

// Thresholds are the scores the curve is drawn at.
var Thresholds = []float64{0, 2, 4, 6, 8, 9, 10, 12, 14, 16, 18, 20, 25, 30}

// withThreshold keeps rule diagnoses and the text diagnoses that score at
// least t; onlyText keeps the text ones alone.
func withThreshold(ds []Diagnosed, t float64, onlyText bool) []Diagnosed {
	var out []Diagnosed
	for _, d := range ds {
		k := Diagnosed{Path: d.Path, Offset: d.Offset, End: d.End}
		for i, id := range d.IDs {
			text := i < len(d.Matches) && d.Matches[i] == "text"
			if text && i < len(d.Scores) && d.Scores[i] < t || onlyText && !text {
				continue
			}
			k.IDs = append(k.IDs, id)
		}
		if len(k.IDs) > 0 {
			out = append(out, k)
		}
	}
	return out
}

// Curve scores diagnoses made with every text match kept (scan-records
// --text-threshold 0) at each threshold.
func Curve(labels []Label, ds []Diagnosed, benign map[string]int) []ThresholdRow {
	var rows []ThresholdRow
	for _, t := range Thresholds {
		all := Score(labels, withThreshold(ds, t, false), benign)
		text := Score(labels, withThreshold(ds, t, true), benign)
		rows = append(rows, ThresholdRow{
			Threshold: t, TextDiagnoses: text.Diagnoses, TextRight: text.Correct,
			TextPrecision: ratio(text.Correct, text.Diagnoses),
			CodedRecall:   all.Coded.Recall(), SymptomRecall: all.Symptom.Recall(),
			Precision: ratio(all.Correct, all.Diagnoses), FalseBenign: all.FalseDiagnoses,
		})
	}
	return rows
}

// WriteCurve prints the precision/recall-vs-threshold table (Markdown).
func WriteCurve(w io.Writer, rows []ThresholdRow, current float64) error {
	fmt.Fprintln(w, "| text threshold | text diagnoses | text right | text precision | coded recall | symptom recall | precision | false on benign |")
	fmt.Fprintln(w, "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, r := range rows {
		mark := ""
		if r.Threshold == current {
			mark = " ←"
		}
		if _, err := fmt.Fprintf(w, "| %.0f%s | %d | %d | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %d |\n", r.Threshold, mark, r.TextDiagnoses, r.TextRight,
			100*r.TextPrecision, 100*r.CodedRecall, 100*r.SymptomRecall, 100*r.Precision, r.FalseBenign); err != nil {
			return err
		}
	}
	return nil
}
