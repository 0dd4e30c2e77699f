package catalog

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TextIndex ranks catalog entries against free text with BM25 over
// lower-cased ASCII words and CJK character bigrams. Each entry's document
// is its texts in both languages: message(s), title, question, answer,
// remedy, scene and interface, and its log signals with their examples.
// It is built once, on first use, and is safe for concurrent use.
type TextIndex struct {
	entries  []*Entry
	postings map[string][]posting
	docLen   []float64
	avgLen   float64
}

type posting struct {
	doc int32
	tf  float32
}

// BM25 parameters (the usual ones).
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// maxQueryTerms bounds how many distinct terms of a query are scored.
const maxQueryTerms = 96

// maxDistinctiveDF is the document frequency up to which a term tells
// entries apart: a term in more entries than that (失败, error) is
// common to the catalog and can not make a text match on its own.
const maxDistinctiveDF = 6

// TextHit is one entry the text matcher ranked.
type TextHit struct {
	Entry *Entry
	// Score is the BM25 score of the entry's document for the query.
	Score float64
	// Distinctive counts the query's terms found in the entry's document
	// that at most maxDistinctiveDF entries carry.
	Distinctive int
	// Terms lists the distinctive terms in common, rarest first.
	Terms []string
}

// newTextIndex indexes entries.
func newTextIndex(entries []*Entry) *TextIndex {
	ix := &TextIndex{entries: entries, postings: map[string][]posting{}, docLen: make([]float64, len(entries))}
	total := 0.0
	for i, e := range entries {
		tf := map[string]int{}
		n := 0
		add := func(weight int, texts ...string) {
			for _, t := range texts {
				for _, term := range textTerms(t, nil) {
					tf[term] += weight
					n += weight
				}
			}
		}
		// Titles and messages count twice: they name the problem, an
		// answer explains it.
		add(2, e.Message, e.MessageEn, e.TitleEn, e.Question, e.Code, e.FAQCode)
		add(2, e.Messages...)
		add(1, e.Answer, e.RemedyEn, e.Advice, e.Scene, e.Interface, e.SubsectionZh)
		// Signals, without their examples: an example is a whole log line
		// whose format (timestamps, "Uncaught", file names, env ids) would
		// make any record look like it.
		for _, s := range e.Signals {
			add(2, s.Text, s.Code)
			add(1, s.With...)
		}
		ix.docLen[i] = float64(n)
		total += float64(n)
		for term, c := range tf {
			ix.postings[term] = append(ix.postings[term], posting{doc: int32(i), tf: float32(c)})
		}
	}
	if len(entries) > 0 {
		ix.avgLen = total / float64(len(entries))
	}
	return ix
}

// idf is BM25's inverse document frequency of a term in df documents.
func (ix *TextIndex) idf(df int) float64 {
	n := float64(len(ix.entries))
	return math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
}

// Rank scores every entry against text and returns the n best with a
// positive score, best first.
func (ix *TextIndex) Rank(text string, n int) []TextHit {
	q := textTerms(text, map[string]bool{})
	if len(q) > maxQueryTerms {
		q = q[:maxQueryTerms]
	}
	scores := map[int32]float64{}
	distinct := map[int32][]string{}
	for _, term := range q {
		ps := ix.postings[term]
		if len(ps) == 0 {
			continue
		}
		idf := ix.idf(len(ps))
		for _, p := range ps {
			tf := float64(p.tf)
			norm := bm25K1 * (1 - bm25B + bm25B*ix.docLen[p.doc]/ix.avgLen)
			scores[p.doc] += idf * tf * (bm25K1 + 1) / (tf + norm)
			if len(ps) <= maxDistinctiveDF && !logStopword[term] && !isFailureTerm(term) {
				distinct[p.doc] = append(distinct[p.doc], term)
			}
		}
	}
	hits := make([]TextHit, 0, len(scores))
	for d, s := range scores {
		terms := distinct[d]
		sort.SliceStable(terms, func(i, j int) bool { return len(ix.postings[terms[i]]) < len(ix.postings[terms[j]]) })
		hits = append(hits, TextHit{Entry: ix.entries[d], Score: s, Distinctive: len(terms), Terms: terms})
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].Entry.ID < hits[j].Entry.ID
	})
	if len(hits) > n {
		hits = hits[:n]
	}
	return hits
}

// TextThreshold is the score from which the ranked text matcher diagnoses
// an entry (with at least one distinctive term in common), calibrated on
// the labelled corpus of tools/accuracy: see docs/accuracy.md.
const TextThreshold = 14.0

// TextIndex returns the catalog's text index.
func (c *Catalog) TextIndex() *TextIndex {
	if c.text == nil {
		return nil
	}
	return c.text.get()
}

// isFailureTerm reports a term that only says that something failed
// (expired, 超时): it makes a record error-like, not a particular entry.
func isFailureTerm(term string) bool {
	for _, w := range failureTerms {
		if term == w || len(w) >= 4 && w[0] < utf8.RuneSelf && strings.HasPrefix(term, w) {
			return true
		}
	}
	return failureStem[term]
}

// failureStem are word forms of failure terms that the list does not
// spell out.
var failureStem = map[string]bool{"timed": true, "exceeded": true, "exceeds": true, "limited": true, "limits": true, "quotas": true}

// logStopword holds words that every log carries and that say nothing of
// which problem it is, even when few entries happen to contain them.
var logStopword = map[string]bool{
	"the": true, "and": true, "for": true, "with": true, "not": true, "is": true, "to": true, "of": true,
	"in": true, "on": true, "at": true, "be": true, "or": true, "an": true, "it": true, "this": true,
	"that": true, "by": true, "from": true, "as": true, "are": true, "was": true, "has": true, "have": true,
	"error": true, "failed": true, "fail": true, "failure": true, "exception": true, "info": true,
	"warn": true, "debug": true, "http": true, "https": true, "www": true, "com": true, "json": true,
	"code": true, "message": true, "msg": true, "request": true, "requestid": true, "true": true, "false": true,
	"null": true, "undefined": true, "id": true, "data": true,
	// Log furniture: runtimes, consoles, our own product and ids.
	"js": true, "uncaught": true, "promise": true, "index": true, "vm": true, "waservice": true,
	"stderr": true, "stdout": true, "level": true, "ts": true, "time": true, "caller": true, "java": true,
	"weda": true, "env": true, "lowcode": true, "log": true, "main": true, "go": true, "py": true,
	"html": true, "htm": true, "css": true, "png": true, "line": true, "file": true,
	// Words of success and progress.
	"成功": true, "完成": true, "ok": true, "success": true, "succeeded": true, "done": true,
	"uploaded": true, "started": true, "finished": true, "loaded": true,
}

// textTerms splits text into terms: lower-cased ASCII words of two or
// more characters (letters and digits, split at case changes too) and the
// bigrams of each run of CJK characters (a lone character counts alone).
// Numbers are left out (ids, times and sizes tell nothing). With seen
// non-nil each term is returned once.
func textTerms(text string, seen map[string]bool) []string {
	var out []string
	emit := func(t string) {
		if seen != nil {
			if seen[t] {
				return
			}
			seen[t] = true
		}
		out = append(out, t)
	}
	var han []rune
	flushHan := func() {
		switch {
		case len(han) == 1:
			emit(string(han))
		case len(han) > 1:
			for i := 0; i+1 < len(han); i++ {
				emit(string(han[i : i+2]))
			}
		}
		han = han[:0]
	}
	var word strings.Builder
	digits, letters := 0, 0
	flushWord := func() {
		if word.Len() >= 2 && letters > 0 && digits*2 < word.Len() {
			emit(word.String())
		}
		word.Reset()
		digits, letters = 0, 0
	}
	var prev rune
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		switch {
		case unicode.Is(unicode.Han, r):
			flushWord()
			han = append(han, r)
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			flushHan()
			if unicode.IsUpper(r) && prev != 0 && unicode.IsLower(prev) {
				flushWord()
			}
			if unicode.IsDigit(r) {
				digits++
			} else {
				letters++
			}
			word.WriteRune(unicode.ToLower(r))
		default:
			flushHan()
			flushWord()
		}
		prev = r
	}
	flushHan()
	flushWord()
	return out
}
