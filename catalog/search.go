package catalog

import (
	"sort"
	"strings"
	"unicode"

	"github.com/wedadiag/wedadiag/internal/textutil"
)

// Hit is one search result.
type Hit struct {
	Entry *Entry
	Score float64
}

// Search ranks entries against free text (Chinese or English): codes first,
// then questions, titles and messages, then answers, remedies and signals.
// Chinese is compared by character bigrams, other text by lower-cased
// words. It returns at most n hits with a positive score, best first.
func (c *Catalog) Search(query string, n int) []Hit {
	q := terms(query)
	if len(q) == 0 {
		return nil
	}
	qcode := strings.TrimSpace(query)
	var hits []Hit
	for _, e := range c.entries {
		s := 0.0
		for _, code := range e.Codes() {
			switch {
			case code == qcode || code == stripSeparators(qcode):
				s += 100
			case len(qcode) >= 4 && strings.Contains(strings.ToLower(code), strings.ToLower(qcode)):
				s += 20
			}
		}
		s += 3 * overlap(q, e.Question, e.Meaning, e.TitleEn, e.Message, e.MessageEn, e.Code, e.FAQCode, e.Scene, e.Interface)
		s += 1 * overlap(q, e.Answer, e.RemedyEn, e.Advice, e.SubsectionZh, e.Cause)
		for _, sig := range e.Signals {
			s += 2 * overlap(q, sig.Code, sig.Text)
		}
		if s > 0 {
			hits = append(hits, Hit{Entry: e, Score: s})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Score > hits[j].Score })
	// Drop the tail of weak hits: a result must share a good part of the
	// query with the best one.
	if len(hits) > 0 {
		floor := hits[0].Score * 0.35
		k := 0
		for k < len(hits) && hits[k].Score >= floor {
			k++
		}
		hits = hits[:k]
	}
	if len(hits) > n {
		hits = hits[:n]
	}
	return hits
}

// overlap is the share of query terms found in any of the fields, weighted
// so that a field carrying every term scores 1.
func overlap(q map[string]bool, fields ...string) float64 {
	found := 0
	var all strings.Builder
	for _, f := range fields {
		all.WriteString(f)
		all.WriteByte(' ')
	}
	ft := terms(all.String())
	for t := range q {
		if ft[t] {
			found++
		}
	}
	return float64(found) / float64(len(q))
}

// terms splits text into search terms: lower-cased ASCII words of two or
// more characters (dots split them too) and bigrams of CJK characters
// (single characters when a run has one).
func terms(s string) map[string]bool {
	out := map[string]bool{}
	var word []rune
	var han []rune
	flushWord := func() {
		if len(word) >= 2 {
			out[strings.ToLower(string(word))] = true
		}
		word = word[:0]
	}
	flushHan := func() {
		switch {
		case len(han) == 1:
			out[string(han)] = true
		case len(han) > 1:
			for i := 0; i+1 < len(han); i++ {
				out[string(han[i:i+2])] = true
			}
		}
		han = han[:0]
	}
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			flushWord()
			han = append(han, r)
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			flushHan()
			word = append(word, r)
		default:
			flushWord()
			flushHan()
		}
	}
	flushWord()
	flushHan()
	return out
}

// Suggest returns up to n codes or ids close to s (by edit distance, case
// folded, or containing it), closest first: the "did you mean" of explain.
func (c *Catalog) Suggest(s string, n int) []string {
	type cand struct {
		name string
		d    int
	}
	ls := strings.ToLower(s)
	var cs []cand
	seen := map[string]bool{}
	add := func(name string) {
		if seen[name] {
			return
		}
		ln := strings.ToLower(name)
		d := textutil.Levenshtein(ls, ln)
		if strings.Contains(ln, ls) || strings.Contains(ls, ln) {
			d = min(d, 1+abs(len(ln)-len(ls))/4)
		}
		limit := max(2, len(s)/3)
		if d <= limit {
			seen[name] = true
			cs = append(cs, cand{name, d})
		}
	}
	for _, code := range c.t().codes {
		add(code)
	}
	for _, e := range c.entries {
		add(e.ID)
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].name < cs[j].name
	})
	var out []string
	for i := 0; i < len(cs) && i < n; i++ {
		out = append(out, cs[i].name)
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
