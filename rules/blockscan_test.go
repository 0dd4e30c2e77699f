package rules

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wedadiag/wedadiag/record"
)

// blockAgrees scans block (lines, each ended by "\n") with ScanBlock and
// checks, line by line, that each hit lies inside one line, that the hits
// come grouped by line in the lines' order, and that matching each
// line with its share of the hits (MatchHits) finds what matching it by
// itself (MatchFormat) finds, in every input format.
func blockAgrees(t testing.TB, s *Set, block string) {
	t.Helper()
	a, b := s.NewMatcher(), s.NewMatcher()
	hits, ok := a.ScanBlock([]byte(block), nil)
	if !ok {
		t.Fatal("ScanBlock refused a set whose literals hold no line break")
	}
	line := func(end uint32) int { return strings.Count(block[:end-1], "\n") }
	last := 0
	for _, h := range hits {
		start := h.End - s.auto.Len(h.Lit)
		if l := line(h.End); l != line(start+1) || l < last || block[h.End-1] == '\n' {
			t.Fatalf("hit %q ending at %d crosses a line or comes out of order (line %d after %d)",
				s.lits[h.Lit].text, h.End, l, last)
		} else {
			last = l
		}
	}
	off, next := 0, 0
	for _, l := range strings.SplitAfter(block, "\n") {
		if l == "" {
			continue
		}
		end := off + len(l)
		first := next
		for next < len(hits) && int(hits[next].End) <= end {
			next++
		}
		share := hits[first:next]
		text := strings.TrimSuffix(l, "\n")
		clean := utf8.ValidString(text) && !strings.ContainsRune(text, 0)
		for _, format := range []string{"", "json", "plain", "access"} {
			// Clean or not as a reader would tell; also a clean text not
			// told so (a read that held a dirty line elsewhere).
			rec := record.Record{Text: []byte(text), Lines: 1, Clean: clean && len(text)%2 == 0}
			got := describeBlockResult(a.MatchHits(&rec, format, share, uint32(off)))
			want := describeBlockResult(b.MatchFormat(&rec, format))
			if got != want {
				t.Fatalf("%q (format %q): with the block's hits %s\nscanned alone %s", text, format, got, want)
			}
		}
		off = end
	}
	if next != len(hits) {
		t.Fatalf("%d hits left over after the last line", len(hits)-next)
	}
}

func describeBlockResult(res Result) string {
	return fmt.Sprintf("%s error-like %v suspect %v bad %v parsed %v",
		describeResult(res), res.ErrorLike, res.Suspect, res.Bad, res.Event != nil)
}

// A line's share of the hits of a block of lines is what scanning the line
// finds: every rule's examples, the fuzz seeds, the quiet seeds and lines
// of the bench corpora, with every set, in blocks of a few lines to a few
// thousand.
func TestMatchHitsIsMatchFormat(t *testing.T) {
	sets := diffSets(t)
	inputs := append(diffInputs(t, sets, 2000), quietSeeds...)
	for _, s := range sets {
		for size := 1; size <= len(inputs); size *= 7 {
			for i := 0; i < len(inputs); i += size {
				blockAgrees(t, s, strings.Join(inputs[i:min(len(inputs), i+size)], "\n")+"\n")
			}
		}
	}
}

// A set with a literal that holds a line break has no block scan.
func TestScanBlockRefusesLineBreaks(t *testing.T) {
	s, err := Compile(File{Name: "nl.yaml", Data: []byte(`rules:
  - id: two-lines
    when: 'has("first\nsecond")'
    yield: {id: datasource/flexdb-resource-overdue}
`)})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(s.lits, func(l litInfo) bool { return strings.Contains(l.text, "\n") }) {
		t.Fatal("the rule's literal with a line break is not among the set's literals")
	}
	if _, ok := s.NewMatcher().ScanBlock([]byte("first\nsecond\n"), nil); ok {
		t.Fatal("ScanBlock took a set whose literal holds a line break")
	}
}

func FuzzMatchHits(f *testing.F) {
	for _, s := range append(fuzzSeeds(), quietSeeds...) {
		f.Add(s + "\n" + s)
	}
	s, err := Compile(Builtin()...)
	if err != nil {
		f.Fatal(err)
	}
	buildAll(s)
	f.Fuzz(func(t *testing.T, in string) {
		if !strings.HasSuffix(in, "\n") {
			in += "\n"
		}
		blockAgrees(t, s, in)
	})
}
