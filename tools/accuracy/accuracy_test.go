package main

import (
	"bytes"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wedadiag/wedadiag/catalog"
)

func entries(t *testing.T) []*catalog.Entry {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cat.Entries()
}

// TestCorpusLabels checks that every label points at the record it
// describes and that the record shows what the label says.
func TestCorpusLabels(t *testing.T) {
	es := entries(t)
	c := Generate(7, es, 50)
	byID := map[string]*catalog.Entry{}
	for _, e := range es {
		byID[e.ID] = e
	}
	phrases := map[string][]string{}
	for _, s := range symptoms {
		phrases[s.ID] = s.Phrases
	}
	leftover := regexp.MustCompile(`\{\d+\}|%s|xxxx`)
	byFile := map[string]*file{}
	for _, f := range c.Files {
		byFile[f.name] = f
	}
	for _, l := range c.Labels {
		f := byFile[l.File]
		data := f.buf.Bytes()
		if got := string(data[l.Offset:l.End]); got != l.Text+"\n" {
			t.Fatalf("%s@%d: bytes %q, label text %q", l.File, l.Offset, got, l.Text)
		}
		if line := bytes.Count(data[:l.Offset], []byte("\n")) + 1; line != l.Line {
			t.Errorf("%s@%d: line %d, label says %d", l.File, l.Offset, line, l.Line)
		}
		if l.Kind == kindPlatform {
			if !slices.ContainsFunc(platformCases, func(pc platformCase) bool {
				return l.Primary == "platform:"+pc.Name && strings.Contains(l.Text, pc.Msg)
			}) {
				t.Errorf("%s:%d: platform record %s does not show its message: %s", l.File, l.Line, l.Primary, l.Text)
			}
			continue
		}
		if !slices.Contains(l.Accept, l.Primary) {
			t.Errorf("%s:%d: accept %v lacks primary %s", l.File, l.Line, l.Accept, l.Primary)
		}
		for _, id := range l.Accept {
			if byID[id] == nil {
				t.Errorf("%s:%d: accept holds unknown id %s", l.File, l.Line, id)
			}
		}
		if leftover.MatchString(l.Text) {
			t.Errorf("%s:%d: placeholder left unfilled: %s", l.File, l.Line, l.Text)
		}
		switch l.Kind {
		case kindCoded:
			e := byID[l.Primary]
			if e == nil || !tableRow(e) {
				t.Fatalf("%s:%d: primary %s is not an error-table row", l.File, l.Line, l.Primary)
			}
			if !showsAlternative(l.Text, e) {
				t.Errorf("%s:%d: text shows no message of %s: %s", l.File, l.Line, e.ID, l.Text)
			}
			if formatByName(l.Format).Codes == codeNeeded && !slices.ContainsFunc(e.Codes(), func(code string) bool { return strings.Contains(l.Text, code) }) {
				t.Errorf("%s:%d: %s prints codes but shows none of %v", l.File, l.Line, l.Format, e.Codes())
			}
		case kindSymptom:
			if byID[l.Primary].Kind != catalog.KindSymptom {
				t.Errorf("%s:%d: primary %s is not a FAQ entry", l.File, l.Line, l.Primary)
			}
			if l.Format != "nginx-access" && l.Format != "billing-notice" && l.Format != "wecom-notify" &&
				!slices.ContainsFunc(phrases[l.Primary], func(p string) bool { return strings.Contains(l.Text, p) }) {
				t.Errorf("%s:%d: text shows no phrase of %s: %s", l.File, l.Line, l.Primary, l.Text)
			}
		default:
			t.Errorf("%s:%d: kind %q", l.File, l.Line, l.Kind)
		}
	}
}

// showsAlternative reports whether text prints one of the row's messages:
// every literal piece between its placeholders, in order.
func showsAlternative(text string, e *catalog.Entry) bool {
	for _, a := range alternatives(e) {
		rest, ok := text, true
		for _, lit := range placeholder.Split(a, -1) {
			i := strings.Index(rest, lit)
			if i < 0 {
				ok = false
				break
			}
			rest = rest[i+len(lit):]
		}
		if ok {
			return true
		}
	}
	return false
}

// TestCorpusCoverage checks the sizes the issue asks for and that every
// row, every alternative of a multi-message cell and every loggable
// question is written.
func TestCorpusCoverage(t *testing.T) {
	es := entries(t)
	c := Generate(1, es, 2600)
	formats := map[string]bool{}
	written := map[string]bool{}
	for _, l := range c.Labels {
		formats[l.Format] = true
		written[l.Primary] = true
	}
	if len(c.Labels) < 400 || len(formats) < 30 || c.BenignLines() < 20000 {
		t.Errorf("%d records in %d formats, %d benign lines; want ≥ 400, ≥ 30, ≥ 20000", len(c.Labels), len(formats), c.BenignLines())
	}
	rows := 0
	for _, e := range faqEntries(es) {
		if e.Kind == catalog.KindErrorCode {
			rows++
			if !written[e.ID] {
				t.Errorf("row %s has no record", e.ID)
			}
		}
	}
	if rows < 157 {
		t.Errorf("%d error-table rows in the catalog", rows)
	}
	for _, s := range symptoms {
		if !written[s.ID] {
			t.Errorf("question %s has no record", s.ID)
		}
	}
	if len(symptoms) <= 24 {
		t.Errorf("%d loggable questions; the FAQ has more than 24", len(symptoms))
	}
	// Each alternative of a multi-message cell gets its own records.
	var dept *catalog.Entry
	for _, e := range es {
		if e.ID == "permission/create-department-invalid-value" {
			dept = e
		}
	}
	alts := alternatives(dept)
	if len(alts) != 6 {
		t.Fatalf("create-department cell splits into %d: %q", len(alts), alts)
	}
	for _, a := range alts {
		found := slices.ContainsFunc(c.Labels, func(l Label) bool { return strings.Contains(l.Text, a) })
		if !found {
			t.Errorf("no record shows %q", a)
		}
	}
}

func TestGenerateDeterministic(t *testing.T) {
	es := entries(t)
	a, b, other := Generate(3, es, 30), Generate(3, es, 30), Generate(4, es, 30)
	for name, f := range a.Files {
		if !bytes.Equal(f.buf.Bytes(), b.Files[name].buf.Bytes()) {
			t.Errorf("%s differs between two runs of one seed", name)
		}
	}
	if bytes.Equal(a.Files["json-code"].buf.Bytes(), other.Files["json-code"].buf.Bytes()) {
		t.Error("seeds 3 and 4 wrote the same json-code file")
	}
}

func TestAcceptSet(t *testing.T) {
	es := entries(t)
	for _, tc := range []struct {
		code, msg string
		want      []string
	}{
		// Same code and message under several interfaces: any is right.
		{"FailedOperation", "锁异常", []string{"flow/countersign-lock-error", "flow/revoke-lock-error"}},
		// The code tells rows with one message apart.
		{"InvalidParameter", "参数取值错误", []string{"datasource/invalid-parameter"}},
		{"100038", "用户未授权", []string{"workbench/home-user-no-license"}},
		// A template's literal is not the same message as a plain one.
		{"FailedOperation", "参数无效，请修改后重试", []string{"flow/confirm-next-approver-invalid-parameter"}},
		// A parent code covers its children.
		{"FailedOperation", "调用 Flexdb 超时", []string{"datasource/flexdb-timeout"}},
	} {
		got := acceptSet(es, tc.code, tc.msg)
		if !slices.Equal(got, tc.want) {
			t.Errorf("acceptSet(%q, %q) = %v, want %v", tc.code, tc.msg, got, tc.want)
		}
	}
}

// TestScore checks the arithmetic on a hand-made example with known
// right, duplicated, wrong, missed and false answers.
func TestScore(t *testing.T) {
	labels := []Label{
		{File: "a.log", Offset: 0, End: 10, Kind: kindCoded, Format: "f1", Primary: "x", Accept: []string{"x"}},
		{File: "a.log", Offset: 10, End: 20, Kind: kindCoded, Format: "f1", Primary: "y", Accept: []string{"y", "z"}},
		{File: "a.log", Offset: 20, End: 30, Kind: kindSymptom, Format: "f2", Primary: "s", Accept: []string{"s"}},
		{File: "a.log", Offset: 30, End: 40, Kind: kindCoded, Format: "f2", Primary: "w", Accept: []string{"w"}},
		{File: "b.log", Offset: 0, End: 5, Kind: kindCoded, Format: "f2", Primary: "v", Accept: []string{"v"}},
		{File: "b.log", Offset: 5, End: 9, Kind: kindSymptom, Format: "f2", Primary: "u", Accept: []string{"u"}},
		{File: "c.log", Offset: 0, End: 9, Kind: kindPlatform, Format: "f2", Primary: "platform:t"},
		{File: "c.log", Offset: 9, End: 19, Kind: kindPlatform, Format: "f2", Primary: "platform:m"},
		{File: "c.log", Offset: 19, End: 29, Kind: kindPlatform, Format: "f2", Primary: "platform:n"},
	}
	diagnosed := []Diagnosed{
		{Path: "/tmp/out/a.log", Offset: 0, End: 10, IDs: []string{"x"}},       // right, one
		{Path: "/tmp/out/a.log", Offset: 10, End: 20, IDs: []string{"z", "y"}}, // right, exact, duplicated
		{Path: "/tmp/out/a.log", Offset: 20, End: 30, IDs: []string{"q"}},      // wrong
		// a.log 30-40 missed
		{Path: "/tmp/out/a.log", Offset: 40, End: 55, IDs: []string{"x"}},                   // benign: false
		{Path: "/tmp/out/b.log", Offset: 0, End: 9, IDs: []string{"u"}},                     // one record over two labels
		{Path: "c.log", Offset: 0, End: 9, IDs: []string{"faq/weda-cloud-functions-usage"}}, // platform on the FAQ: wrong
		{Path: "c.log", Offset: 9, End: 19, IDs: []string{"platform/scf-timeout"}},          // platform tier: right
	}
	r := Score(labels, diagnosed, map[string]int{"a.log": 100, "b.log": 50, "f1.log": 7})
	wantCoded := Tally{N: 4, Right: 2, Exact: 2, Wrong: 0, Missed: 2, One: 1, Dup: 1}
	wantSym := Tally{N: 2, Right: 1, Exact: 1, Wrong: 1, Missed: 0, One: 1}
	if r.Coded != wantCoded {
		t.Errorf("coded %+v, want %+v", r.Coded, wantCoded)
	}
	if r.Symptom != wantSym {
		t.Errorf("symptom %+v, want %+v", r.Symptom, wantSym)
	}
	if want := (Tally{N: 3, Right: 1, Wrong: 1, Missed: 1, One: 1}); r.Platform != want {
		t.Errorf("platform %+v, want %+v", r.Platform, want)
	}
	if r.Diagnoses != 8 || r.Correct != 4 || math.Abs(r.Precision-0.5) > 1e-9 {
		t.Errorf("diagnoses %d correct %d precision %v, want 8 4 0.5", r.Diagnoses, r.Correct, r.Precision)
	}
	if r.FalseDiagnoses != 1 || r.FalseByID["x"] != 1 || len(r.FalseSamples) != 1 || r.FalseSamples[0].Offset != 40 {
		t.Errorf("false %d %v %v, want 1 on x at 40", r.FalseDiagnoses, r.FalseByID, r.FalseSamples)
	}
	if r.Merged != 1 {
		t.Errorf("merged %d, want 1", r.Merged)
	}
	if r.BenignLines != 157 || r.RowsCover != 4 || r.SymCover != 2 {
		t.Errorf("benign %d rows %d symptoms %d, want 157 4 2", r.BenignLines, r.RowsCover, r.SymCover)
	}
	f1 := r.PerFormat[slices.IndexFunc(r.PerFormat, func(f FormatScore) bool { return f.Format == "f1" })]
	if f1.Coded.N != 2 || f1.Coded.Right != 2 || f1.BenignLines != 7 {
		t.Errorf("f1 %+v", f1)
	}
	a := r.PerFormat[slices.IndexFunc(r.PerFormat, func(f FormatScore) bool { return f.Format == "a" })]
	if a.FalseDiagnoses != 1 || a.BenignLines != 100 {
		t.Errorf("a.log %+v", a)
	}
	var out strings.Builder
	if err := r.WriteText(&out, true); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"coded recall    50.0%", "symptom recall  50.0%", "precision       50.0%", "1 false diagnoses on 157 benign lines"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

// The corpus reads the FAQ's cells on its own (cellAlternatives); the
// catalog models the same cells as messages. They must agree, or the
// measurement and the thing measured disagree on what a row prints.
func TestAlternativesAgreeWithCatalog(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range cat.Entries() {
		if !tableRow(e) {
			continue
		}
		if got, want := e.Alternatives(), alternatives(e); !slices.Equal(got, want) {
			t.Errorf("%s: catalog messages %q, corpus %q", e.ID, got, want)
		}
	}
}
