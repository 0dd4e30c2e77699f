package diagnose

import (
	"math"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/internal/textutil"
)

// Occurrence is one record that revealed one catalog entry.
type Occurrence struct {
	Entry  *catalog.Entry
	Source string
	// Time is when it happened: the record's own time when it has one,
	// otherwise when it was read (the daemon) or zero (scan of a file
	// without times).
	Time time.Time
	// Sample is the record's text, made by the pipeline (cut to
	// MaxSampleBytes).
	Sample string
	// Labels are the extra labels the rule added.
	Labels map[string]string
	// Seq orders occurrences (scan: the record's number across its files;
	// the daemon: its place in the order the source sent the records).
	// Without Options.Latest the samples kept are those of the lowest Seq,
	// with it those of the highest.
	Seq int64
	// Path and Offset say where the record was read: a file and the byte
	// offset of its first byte, or a stream's partition and its offset
	// there. RequestID is the request id the record carries, if any.
	Path      string
	Offset    int64
	RequestID string
	// Match is how the entry was found (MatchRule, MatchText; "" counts
	// as MatchRule) and Score the text matcher's score.
	Match string
	Score float64
	// Alternatives are the other entries the record fits as well.
	Alternatives []*catalog.Entry
}

// Diagnosis is what wedadiag says about one catalog entry found in logs:
// the objects of `scan --format json` and of /api/v1/diagnoses.
type Diagnosis struct {
	ID        string     `json:"id"`
	Kind      string     `json:"kind"`
	Source    string     `json:"source"` // faq, platform or custom: whose words title and remedy are
	Code      string     `json:"code"`
	Message   string     `json:"message"`
	Question  string     `json:"question"`
	Domain    string     `json:"domain"`
	Severity  string     `json:"severity"`
	Count     int64      `json:"count"`
	FirstSeen *time.Time `json:"first_seen,omitempty"`
	LastSeen  *time.Time `json:"last_seen,omitempty"`
	Sources   []string   `json:"sources"`
	Title     string     `json:"title"`
	Remedy    string     `json:"remedy"`
	Docs      []string   `json:"docs"`
	Related   []string   `json:"related"`
	Samples   []string   `json:"samples"`
	// SampleInfo says where each of Samples came from, in the same order;
	// only the live view (an Aggregator with a window) keeps it.
	SampleInfo []Sample `json:"sample_info,omitempty"`
	// Trend is the live view's occurrences per minute over the last hour,
	// oldest first, the current minute last (TrendMinutes values).
	Trend []int64 `json:"trend,omitempty"`
	// Match is "rule" when a rule and an exact catalog lookup found the
	// entry (in at least one record), "text" when only the ranked text
	// matcher did; Score is then its best score.
	Match string  `json:"match"`
	Score float64 `json:"score,omitempty"`
	// Alternatives are the other entries the records fit as well (a code
	// and message shared by several rows, or a code whose message fits
	// none of its rows): read them before acting on the remedy.
	Alternatives []Alternative `json:"alternatives,omitempty"`

	// Entry is the catalog entry, for renderers.
	Entry *catalog.Entry `json:"-"`
}

// Alternative is another entry a diagnosed record fits.
type Alternative struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Remedy string `json:"remedy"`
}

// Options tune an Aggregator.
type Options struct {
	// Window is how long an entry stays without new occurrences before it
	// leaves the live view, and the span its count covers. 0 keeps
	// everything and counts every occurrence (scan).
	Window time.Duration
	// Samples is how many distinct samples to keep per entry (default 3).
	Samples int
	// Latest keeps the most recent samples instead of the first ones.
	Latest bool
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Sample is one kept sample and where it came from.
type Sample struct {
	Text      string     `json:"text"`
	Source    string     `json:"source,omitempty"`
	Path      string     `json:"path,omitempty"`
	Offset    int64      `json:"offset"`
	RequestID string     `json:"request_id,omitempty"`
	Time      *time.Time `json:"time,omitempty"`
}

// TrendMinutes is how many one-minute buckets Diagnosis.Trend has.
const TrendMinutes = 60

// MaxSampleBytes bounds one sample.
const MaxSampleBytes = 1024

// Aggregator counts occurrences per catalog entry. It is safe for
// concurrent use.
type Aggregator struct {
	opt Options
	cat *catalog.Catalog

	mu  sync.Mutex
	agg map[string]*aggregate
}

type aggregate struct {
	entry       *catalog.Entry
	total       int64
	first, last time.Time
	lastAdded   time.Time // wall clock of the last occurrence (window)
	sources     map[string]bool
	samples     []sample
	buckets     []bucket // window mode: counts per bucket span
	// trend counts occurrences per minute (window mode), a ring indexed by
	// the Unix minute modulo TrendMinutes; trendAt is the newest minute.
	trend   [TrendMinutes]int64
	trendAt int64
	byRule  bool    // some occurrence was found by a rule
	score   float64 // best text-match score
	// alts are the other entries occurrences fit, each with the earliest
	// (seq, place in its occurrence's list) that named it: the output
	// keeps the MaxAlternatives first in that order, whatever order
	// parallel workers observed them in. Distinct catalog entries, so
	// bounded by the catalog.
	alts []altSeen
}

type altSeen struct {
	entry *catalog.Entry
	seq   int64
	idx   int
}

func (a altSeen) before(b altSeen) bool {
	if a.seq != b.seq {
		return a.seq < b.seq
	}
	if a.idx != b.idx {
		return a.idx < b.idx
	}
	return a.entry.ID < b.entry.ID
}

type sample struct {
	text string
	seq  int64
	info Sample // window mode: where it came from (Text unset)
}

type bucket struct {
	start time.Time
	n     int64
}

// NewAggregator returns an empty Aggregator; cat supplies related
// questions and docs.
func NewAggregator(cat *catalog.Catalog, opt Options) *Aggregator {
	if opt.Samples <= 0 {
		opt.Samples = 3
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Aggregator{opt: opt, cat: cat, agg: map[string]*aggregate{}}
}

// WantsSample reports whether o's sample could be kept: always when the
// latest samples are kept; when the earliest are, only while there is room
// or o comes before the latest one kept (which only ever moves earlier).
func (a *Aggregator) WantsSample(o *Occurrence) bool {
	if a.opt.Latest {
		return true
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	g := a.agg[o.Entry.ID]
	if g == nil || len(g.samples) < a.opt.Samples {
		return true
	}
	return o.Seq < g.samples[len(g.samples)-1].seq
}

// Observe adds an occurrence.
func (a *Aggregator) Observe(o Occurrence) {
	now := a.opt.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	g := a.agg[o.Entry.ID]
	if g == nil {
		g = &aggregate{entry: o.Entry, sources: map[string]bool{}}
		a.agg[o.Entry.ID] = g
	}
	g.total++
	g.lastAdded = now
	if o.Match == MatchText {
		g.score = max(g.score, o.Score)
	} else {
		g.byRule = true
	}
	for i, alt := range o.Alternatives {
		if alt == o.Entry {
			continue
		}
		seen := altSeen{entry: alt, seq: o.Seq, idx: i}
		j := slices.IndexFunc(g.alts, func(x altSeen) bool { return x.entry == alt })
		switch {
		case j < 0:
			g.alts = append(g.alts, seen)
		case seen.before(g.alts[j]):
			g.alts[j] = seen
		}
	}
	if !o.Time.IsZero() {
		if g.first.IsZero() || o.Time.Before(g.first) {
			g.first = o.Time
		}
		if o.Time.After(g.last) {
			g.last = o.Time
		}
	}
	if o.Source != "" {
		g.sources[o.Source] = true
	}
	var info Sample
	if a.opt.Window > 0 {
		info = Sample{Source: o.Source, Path: o.Path, Offset: o.Offset, RequestID: o.RequestID}
		if !o.Time.IsZero() {
			t := o.Time.UTC()
			info.Time = &t
		}
	}
	a.addSample(g, o.Sample, o.Seq, info)
	if a.opt.Window > 0 {
		a.addBucket(g, now)
		g.advanceTrend(now)
		g.trend[g.trendAt%TrendMinutes]++
	}
}

// advanceTrend moves the trend ring to now's minute, clearing the minutes
// passed since the newest one.
func (g *aggregate) advanceTrend(now time.Time) {
	m := now.Unix() / 60
	if m <= g.trendAt {
		return
	}
	if m-g.trendAt >= TrendMinutes {
		g.trend = [TrendMinutes]int64{}
	} else {
		for i := g.trendAt + 1; i <= m; i++ {
			g.trend[i%TrendMinutes] = 0
		}
	}
	g.trendAt = m
}

// trendNow returns the trend at now, oldest minute first.
func (g *aggregate) trendNow(now time.Time) []int64 {
	g.advanceTrend(now)
	out := make([]int64, TrendMinutes)
	for i := range out {
		out[i] = g.trend[(g.trendAt-int64(TrendMinutes-1)+int64(i))%TrendMinutes]
	}
	return out
}

func (a *Aggregator) addSample(g *aggregate, text string, seq int64, info Sample) {
	text = textutil.Cut(text, MaxSampleBytes)
	if text == "" {
		return
	}
	for i, have := range g.samples {
		if have.text == text {
			if !a.opt.Latest && seq < have.seq {
				g.samples[i].seq = seq
				g.samples[i].info = info
				sortSamples(g.samples)
			}
			if a.opt.Latest && seq >= have.seq {
				g.samples[i].seq = seq
				g.samples[i].info = info
				sortSamples(g.samples)
			}
			return
		}
	}
	s := sample{text, seq, info}
	switch {
	case len(g.samples) < a.opt.Samples:
		g.samples = append(g.samples, s)
	case a.opt.Latest && seq >= g.samples[0].seq:
		// The highest orders are kept; of equal ones, the last added.
		copy(g.samples, g.samples[1:])
		g.samples[len(g.samples)-1] = s
	case !a.opt.Latest && seq < g.samples[len(g.samples)-1].seq:
		g.samples[len(g.samples)-1] = s
	default:
		return
	}
	sortSamples(g.samples)
}

// sortSamples orders samples by seq, equal ones in the order they came.
func sortSamples(s []sample) {
	sort.SliceStable(s, func(i, j int) bool { return s[i].seq < s[j].seq })
}

// bucketSpan is the resolution of the sliding window.
func (a *Aggregator) bucketSpan() time.Duration {
	span := a.opt.Window / 60
	if span < time.Second {
		span = time.Second
	}
	return span
}

func (a *Aggregator) addBucket(g *aggregate, now time.Time) {
	span := a.bucketSpan()
	start := now.Truncate(span)
	if n := len(g.buckets); n > 0 && g.buckets[n-1].start.Equal(start) {
		g.buckets[n-1].n++
	} else {
		g.buckets = append(g.buckets, bucket{start: start, n: 1})
	}
	a.prune(g, now)
}

// prune drops buckets that left the window.
func (a *Aggregator) prune(g *aggregate, now time.Time) {
	cutoff := now.Add(-a.opt.Window)
	i := 0
	for i < len(g.buckets) && !g.buckets[i].start.Add(a.bucketSpan()).After(cutoff) {
		i++
	}
	if i > 0 {
		g.buckets = append(g.buckets[:0], g.buckets[i:]...)
	}
}

// Count returns the occurrences of an entry: within the window when there
// is one, in total otherwise.
func (a *Aggregator) Count(id string) int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	g := a.agg[id]
	if g == nil {
		return 0
	}
	return a.count(g, a.opt.Now())
}

func (a *Aggregator) count(g *aggregate, now time.Time) int64 {
	if a.opt.Window <= 0 {
		return g.total
	}
	a.prune(g, now)
	var n int64
	for _, b := range g.buckets {
		n += b.n
	}
	return n
}

// Diagnoses returns what was found, most severe first, then by count, in a
// language ("zh" or "en"). With a window, entries without occurrences in
// it are left out (and forgotten).
func (a *Aggregator) Diagnoses(lang string) []Diagnosis {
	now := a.opt.Now()
	a.mu.Lock()
	var out []Diagnosis
	for id, g := range a.agg {
		n := a.count(g, now)
		if a.opt.Window > 0 && n == 0 {
			delete(a.agg, id)
			continue
		}
		d := a.diagnosis(g, n, lang)
		if a.opt.Window > 0 {
			d.Trend = g.trendNow(now)
			d.SampleInfo = make([]Sample, 0, len(g.samples))
			for _, s := range g.samples {
				info := s.info
				info.Text = s.text
				d.SampleInfo = append(d.SampleInfo, info)
			}
		}
		out = append(out, d)
	}
	a.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		ri, rj := catalog.Severity(out[i].Severity).Rank(), catalog.Severity(out[j].Severity).Rank()
		if ri != rj {
			return ri < rj
		}
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func (a *Aggregator) diagnosis(g *aggregate, n int64, lang string) Diagnosis {
	e := g.entry
	d := Diagnosis{
		ID: e.ID, Kind: string(e.Kind), Source: e.Source, Code: e.Code, Message: e.Message,
		Question: e.Question, Domain: e.Domain, Severity: string(e.Severity),
		Count: n, Title: e.Title(lang), Remedy: e.Remedy(lang),
		Sources: []string{}, Docs: []string{}, Related: []string{},
		Samples: make([]string, 0, len(g.samples)), Entry: e,
	}
	for _, s := range g.samples {
		d.Samples = append(d.Samples, s.text)
	}
	d.Match = MatchRule
	if !g.byRule {
		d.Match, d.Score = MatchText, math.Round(g.score*100)/100
	}
	alts := slices.Clone(g.alts)
	slices.SortFunc(alts, func(a, b altSeen) int {
		if a.before(b) {
			return -1
		}
		if b.before(a) {
			return 1
		}
		return 0
	})
	for _, s := range alts[:min(len(alts), catalog.MaxAlternatives)] {
		alt := s.entry
		d.Alternatives = append(d.Alternatives, Alternative{ID: alt.ID, Title: alt.Title(lang), Remedy: alt.Remedy(lang)})
	}
	if !g.first.IsZero() {
		f, l := g.first.UTC(), g.last.UTC()
		d.FirstSeen, d.LastSeen = &f, &l
	}
	for s := range g.sources {
		d.Sources = append(d.Sources, s)
	}
	sort.Strings(d.Sources)
	d.Docs = append(d.Docs, e.Docs...)
	if a.cat != nil {
		for _, r := range a.cat.Related(e) {
			if lang == "en" {
				d.Related = append(d.Related, r.TitleEn)
			} else {
				d.Related = append(d.Related, r.Question)
			}
			for _, doc := range r.Docs {
				if !containsString(d.Docs, doc) {
					d.Docs = append(d.Docs, doc)
				}
			}
		}
	}
	return d
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
