package catalog

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// For every code whose rows are filtered by first segment, the rows and
// rank bestRows finds with the filter are those it finds without: over
// every message of the catalog (placeholders filled, cut short, joined to
// another, inside a longer text) and texts that hold only parts of them.
func TestFirstSegsChangeNoFit(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, e := range c.entries {
		msgs = append(msgs, e.Alternatives()...)
		msgs = append(msgs, e.Question)
	}
	rng := rand.New(rand.NewPCG(4, 2))
	var texts []string
	for _, m := range msgs {
		filled := strings.NewReplacer("{0}", "订单表", "{1}", "502", "%s", "x1", "xxxx", "abcd").Replace(m)
		cut := []rune(filled)
		other := msgs[rng.IntN(len(msgs))]
		texts = append(texts, m, filled, string(cut[:rng.IntN(len(cut)+1)]),
			filled+" "+other, "ERROR [flow] "+filled+" requestId=r-1", other[:len(other)/2]+filled[len(filled)/2:])
	}
	filtered := 0
	for code, cr := range c.resolveIndex().codes {
		if cr.firsts == nil {
			continue
		}
		filtered++
		for _, text := range texts {
			norm := normalize(text)
			want, wantRank := bestRows(cr.all, norm)
			got, gotRank := bestRowsOf(cr.all, norm, cr.firsts)
			if gotRank != wantRank || !slices.Equal(got, want) {
				t.Fatalf("%s, %q: filtered %v %+v, unfiltered %v %+v", code, text, entryIDs(got), gotRank, entryIDs(want), wantRank)
			}
		}
	}
	if filtered == 0 {
		t.Fatal("no code's rows are filtered: the test tells nothing")
	}
}

func entryIDs(es []*Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}
