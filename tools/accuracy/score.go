package main

import (
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// Diagnosed is one record that `wedadiag scan-records` diagnosed: where
// it is and the ids of its diagnoses, one per diagnosis.
type Diagnosed struct {
	Path   string   `json:"path"`
	Offset int64    `json:"offset"`
	End    int64    `json:"end"`
	IDs    []string `json:"ids"`
	// Matches says per id how it was found ("rule" or "text"), Scores the
	// text matcher's score.
	Matches []string  `json:"matches"`
	Scores  []float64 `json:"scores"`
}

// Tally counts the outcomes of a set of labelled records.
type Tally struct {
	N      int `json:"n"`
	Right  int `json:"right"`  // some diagnosis in the accept set
	Exact  int `json:"exact"`  // the row or question the record was written for among the diagnoses
	Wrong  int `json:"wrong"`  // diagnosed, but none right
	Missed int `json:"missed"` // not diagnosed
	One    int `json:"one"`    // exactly one diagnosis, and it is right
	Dup    int `json:"dup"`    // more than one diagnosis
}

// Recall is Right/N (1 for an empty tally).
func (t Tally) Recall() float64 { return ratio(t.Right, t.N) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func (t *Tally) add(o Outcome) {
	t.N++
	switch {
	case o.Right:
		t.Right++
	case len(o.IDs) > 0:
		t.Wrong++
	default:
		t.Missed++
	}
	if o.Exact {
		t.Exact++
	}
	if len(o.IDs) == 1 && o.Right {
		t.One++
	}
	if len(o.IDs) > 1 {
		t.Dup++
	}
}

// Outcome is what became of one labelled record.
type Outcome struct {
	Label
	IDs   []string `json:"ids"`
	Right bool     `json:"right"`
	Exact bool     `json:"exact"`
}

// FalseHit is a diagnosis of a record that carries no label: a benign line.
type FalseHit struct {
	File   string   `json:"file"`
	Offset int64    `json:"offset"`
	IDs    []string `json:"ids"`
}

// FormatScore is one line of the per-format table.
type FormatScore struct {
	Format         string `json:"format"`
	Coded          Tally  `json:"coded"`
	Symptom        Tally  `json:"symptom"`
	BenignLines    int    `json:"benign_lines"`
	FalseDiagnoses int    `json:"false_diagnoses"`
}

// EntryScore is the recall of one row or question.
type EntryScore struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Tally Tally  `json:"tally"`
}

// Result is the whole measurement.
type Result struct {
	Seed    uint64 `json:"seed"`
	Files   int    `json:"files"`
	Formats int    `json:"formats"`
	Records int    `json:"records"`
	Coded   Tally  `json:"coded"`
	Symptom Tally  `json:"symptom"`
	// Platform tallies platform look-alikes: Right when diagnosed on an
	// entry outside the FAQ tier, Wrong when on a FAQ-tier entry.
	Platform  Tally `json:"platform"`
	RowsCover int   `json:"rows_covered"`     // distinct error-table rows written
	SymCover  int   `json:"symptoms_covered"` // distinct FAQ questions written
	// Diagnoses counts every diagnosis made (labelled and benign records);
	// Correct counts labelled records with a right one (one per record).
	Diagnoses int     `json:"diagnoses"`
	Correct   int     `json:"correct"`
	Precision float64 `json:"precision"`
	// Framing: scanned records that spanned several labelled records.
	Merged         int            `json:"merged_records"`
	BenignLines    int            `json:"benign_lines"`
	FalseDiagnoses int            `json:"false_diagnoses"`
	FalseByID      map[string]int `json:"false_by_id"`
	FalseSamples   []FalseHit     `json:"false_samples"`
	PerFormat      []FormatScore  `json:"per_format"`
	PerEntry       []EntryScore   `json:"per_entry"`
	Outcomes       []Outcome      `json:"outcomes"`
	// ScanJSONCount is the sum of diagnoses[].count of `scan --format
	// json` over the same files, -1 when not run; it must equal Diagnoses.
	ScanJSONCount int `json:"scan_json_count"`
}

// maxFalseSamples bounds the benign records listed in a report.
const maxFalseSamples = 30

// Score attributes each diagnosed record to the labelled record it
// overlaps (the first whose accept set holds the id, else the first
// overlapped) or, when it overlaps none, to the benign lines, and tallies.
// benign maps a corpus file name to its benign line count.
func Score(labels []Label, diagnosed []Diagnosed, benign map[string]int) *Result {
	res := &Result{FalseByID: map[string]int{}, ScanJSONCount: -1}
	byFile := map[string][]int{} // label indexes by file, in offset order
	for i, l := range labels {
		byFile[l.File] = append(byFile[l.File], i)
	}
	for _, idx := range byFile {
		sort.Slice(idx, func(a, b int) bool { return labels[idx[a]].Offset < labels[idx[b]].Offset })
	}
	ids := make([][]string, len(labels))
	falseByFile := map[string]int{}
	for _, d := range diagnosed {
		name := filepath.Base(d.Path)
		idx := byFile[name]
		// Labels overlapping [d.Offset, d.End).
		k := sort.Search(len(idx), func(i int) bool { return labels[idx[i]].End > d.Offset })
		var over []int
		for ; k < len(idx) && labels[idx[k]].Offset < d.End; k++ {
			over = append(over, idx[k])
		}
		res.Diagnoses += len(d.IDs)
		if len(over) == 0 {
			res.FalseDiagnoses += len(d.IDs)
			falseByFile[name] += len(d.IDs)
			for _, id := range d.IDs {
				res.FalseByID[id]++
			}
			if len(res.FalseSamples) < maxFalseSamples {
				res.FalseSamples = append(res.FalseSamples, FalseHit{File: name, Offset: d.Offset, IDs: d.IDs})
			}
			continue
		}
		if len(over) > 1 {
			res.Merged++
		}
		for _, id := range d.IDs {
			to := over[0]
			for _, li := range over {
				if slices.Contains(labels[li].Accept, id) {
					to = li
					break
				}
			}
			ids[to] = append(ids[to], id)
		}
	}
	formats := map[string]*FormatScore{}
	fs := func(name string) *FormatScore {
		f, ok := formats[name]
		if !ok {
			f = &FormatScore{Format: name}
			formats[name] = f
		}
		return f
	}
	entries := map[string]*EntryScore{}
	for i, l := range labels {
		o := Outcome{Label: l, IDs: ids[i]}
		for _, id := range o.IDs {
			if l.Kind == kindPlatform {
				o.Right = o.Right || !faqTier(id)
				continue
			}
			o.Right = o.Right || slices.Contains(l.Accept, id)
			o.Exact = o.Exact || id == l.Primary
		}
		if o.Right {
			res.Correct++
		}
		if l.Kind == kindPlatform {
			res.Platform.add(o)
			res.Outcomes = append(res.Outcomes, o)
			continue
		}
		f := fs(l.Format)
		es, ok := entries[l.Primary]
		if !ok {
			es = &EntryScore{ID: l.Primary, Kind: l.Kind}
			entries[l.Primary] = es
		}
		es.Tally.add(o)
		if l.Kind == kindSymptom {
			res.Symptom.add(o)
			f.Symptom.add(o)
		} else {
			res.Coded.add(o)
			f.Coded.add(o)
		}
		res.Outcomes = append(res.Outcomes, o)
	}
	for name, n := range benign {
		res.BenignLines += n
		f := fs(strings.TrimSuffix(name, ".log"))
		f.BenignLines += n
		f.FalseDiagnoses += falseByFile[name]
	}
	res.Records = len(labels)
	res.Precision = ratio(res.Correct, res.Diagnoses)
	if res.Diagnoses == 0 {
		res.Precision = 0
	}
	for _, f := range formats {
		res.PerFormat = append(res.PerFormat, *f)
		if f.Coded.N+f.Symptom.N > 0 {
			res.Formats++
		}
	}
	sort.Slice(res.PerFormat, func(i, j int) bool { return res.PerFormat[i].Format < res.PerFormat[j].Format })
	for _, e := range entries {
		res.PerEntry = append(res.PerEntry, *e)
		if e.Kind == kindSymptom {
			res.SymCover++
		} else {
			res.RowsCover++
		}
	}
	sort.Slice(res.PerEntry, func(i, j int) bool { return res.PerEntry[i].ID < res.PerEntry[j].ID })
	res.Files = len(benign)
	return res
}
