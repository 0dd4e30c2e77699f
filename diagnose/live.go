package diagnose

import (
	"sort"
	"time"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/internal/textutil"
)

// LiveFile is the file in the state directory that holds the daemon's live
// diagnoses (window counts, samples, first and last seen), so that a
// restart does not empty the status page while alerts.json still has
// alerts firing.
const LiveFile = "diagnoses.json"

// maxLiveEntries bounds how many diagnoses a live file holds.
const maxLiveEntries = 2000

// liveState is LiveFile's content.
type liveState struct {
	Version   int             `json:"version"`
	SavedAt   time.Time       `json:"saved_at"`
	Diagnoses []liveAggregate `json:"diagnoses"`
}

type liveAggregate struct {
	ID        string       `json:"id"`
	Total     int64        `json:"total"`
	First     time.Time    `json:"first,omitzero"`
	Last      time.Time    `json:"last,omitzero"`
	LastAdded time.Time    `json:"last_added,omitzero"`
	Sources   []string     `json:"sources,omitempty"`
	Samples   []Sample     `json:"samples,omitempty"`
	Buckets   []liveBucket `json:"buckets,omitempty"`
	// Trend is the per-minute ring, TrendAt its newest Unix minute.
	Trend   []int64 `json:"trend,omitempty"`
	TrendAt int64   `json:"trend_at,omitempty"`
}

type liveBucket struct {
	Start time.Time `json:"start"`
	N     int64     `json:"n"`
}

// SaveLive writes the aggregator's content to dir atomically.
func (a *Aggregator) SaveLive(dir string) error {
	now := a.opt.Now()
	a.mu.Lock()
	st := liveState{Version: 1, SavedAt: now}
	for _, g := range a.agg {
		if a.opt.Window > 0 && a.count(g, now) == 0 {
			continue
		}
		la := liveAggregate{ID: g.entry.ID, Total: g.total, First: g.first, Last: g.last, LastAdded: g.lastAdded}
		for s := range g.sources {
			la.Sources = append(la.Sources, s)
		}
		sort.Strings(la.Sources)
		for _, s := range g.samples {
			x := s.info
			x.Text = s.text
			la.Samples = append(la.Samples, x)
		}
		if g.trendAt != 0 {
			la.Trend, la.TrendAt = append([]int64(nil), g.trend[:]...), g.trendAt
		}
		for _, b := range g.buckets {
			la.Buckets = append(la.Buckets, liveBucket{Start: b.start, N: b.n})
		}
		st.Diagnoses = append(st.Diagnoses, la)
	}
	a.mu.Unlock()
	sort.Slice(st.Diagnoses, func(i, j int) bool { return st.Diagnoses[i].ID < st.Diagnoses[j].ID })
	if len(st.Diagnoses) > maxLiveEntries {
		st.Diagnoses = st.Diagnoses[:maxLiveEntries]
	}
	return writeJSONFile(dir, LiveFile, st)
}

// LoadLive restores what SaveLive wrote into an empty aggregator: entries
// cat no longer has are dropped, window counts older than the window
// forgotten. It returns how many diagnoses came back; a missing file is
// none (ErrNoState), a file that is not one an error naming it.
func (a *Aggregator) LoadLive(dir string, cat *catalog.Catalog) (int, error) {
	var st liveState
	if err := readJSONFile(dir, LiveFile, &st); err != nil {
		return 0, err
	}
	now := a.opt.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for i, la := range st.Diagnoses {
		if i >= maxLiveEntries {
			break
		}
		e := cat.ByID(la.ID)
		if e == nil || a.agg[la.ID] != nil {
			continue
		}
		g := &aggregate{entry: e, total: la.Total, first: la.First, last: la.Last, lastAdded: la.LastAdded, sources: map[string]bool{}}
		for _, s := range la.Sources {
			g.sources[s] = true
		}
		for j, s := range la.Samples {
			if j >= a.opt.Samples {
				break
			}
			text := textutil.Cut(s.Text, MaxSampleBytes)
			s.Text = ""
			g.samples = append(g.samples, sample{text: text, seq: int64(j - len(la.Samples)), info: s})
		}
		if len(la.Trend) == TrendMinutes {
			copy(g.trend[:], la.Trend)
			g.trendAt = la.TrendAt
		}
		for _, b := range la.Buckets {
			g.buckets = append(g.buckets, bucket{start: b.Start, n: b.N})
		}
		if a.opt.Window > 0 {
			a.prune(g, now)
			if a.count(g, now) == 0 {
				continue
			}
		}
		a.agg[la.ID] = g
		n++
	}
	return n, nil
}
