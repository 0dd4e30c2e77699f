package daemon

import (
	"sync"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/wedadiag/wedadiag/web"
)

// reloadState is the result of the last configuration load, for the
// status page.
type reloadState struct {
	mu  sync.Mutex
	ok  bool
	at  time.Time
	err string
}

func (r *reloadState) set(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ok, r.at, r.err = err == nil, time.Now(), ""
	if err != nil {
		r.err = err.Error()
	}
}

func (r *reloadState) get() web.ReloadHealth {
	r.mu.Lock()
	defer r.mu.Unlock()
	at := r.at
	return web.ReloadHealth{OK: r.ok, At: &at, Error: r.err}
}

// rates turns the lines_total counters into lines per second over about
// the last minute, from the values seen at earlier calls (the status page
// asks every 10 s while it is open).
type rates struct {
	mu   sync.Mutex
	hist []linesAt // oldest first
}

type linesAt struct {
	at    time.Time
	lines map[string]float64
}

// rateSpan is the span rates are measured over; rateStep the least time
// between two kept values.
const (
	rateSpan = time.Minute
	rateStep = 5 * time.Second
)

func (r *rates) observe(now time.Time, lines map[string]float64) map[string]float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	// The base is the newest value at least rateSpan old, else the oldest.
	base := 0
	for i, h := range r.hist {
		if now.Sub(h.at) >= rateSpan {
			base = i
		}
	}
	r.hist = r.hist[base:]
	if n := len(r.hist); n == 0 || now.Sub(r.hist[n-1].at) >= rateStep {
		r.hist = append(r.hist, linesAt{now, lines})
	}
	out := map[string]float64{}
	b := r.hist[0]
	dt := now.Sub(b.at).Seconds()
	if dt < 1 {
		return out
	}
	for name, n := range lines {
		if d := n - b.lines[name]; d > 0 {
			out[name] = d / dt
		}
	}
	return out
}

// health is what the status page's health strip shows, from the
// configuration, the tailer's and notifier's metrics and state, and the
// last reload.
func (d *Daemon) health() web.Health {
	cfg := d.state.Load().cfg
	now := time.Now()
	files := map[string]float64{}
	lines := map[string]float64{}
	behind := map[string]float64{}
	if mfs, err := d.reg.Gather(); err == nil {
		for _, mf := range mfs {
			var into map[string]float64
			switch mf.GetName() {
			case "wedadiag_files_followed":
				into = files
			case "wedadiag_lines_total":
				into = lines
			case "wedadiag_bytes_behind":
				into = behind
			default:
				continue
			}
			for _, m := range mf.GetMetric() {
				into[labelValue(m, "source")] = value(m)
			}
		}
	}
	rate := d.rates.observe(now, lines)
	h := web.Health{FromEnd: !cfg.FromStart, Reload: d.reloads.get(), Receivers: []web.ReceiverHealth{}}
	for _, s := range cfg.Sources {
		sh := web.SourceHealth{
			Name: s.Name, Paths: s.Paths, Files: int(files[s.Name]),
			Stream:         len(s.Paths) == 1 && s.Paths[0] == "-",
			LinesPerSecond: rate[s.Name], BytesBehind: int64(behind[s.Name]),
		}
		if t := d.pm.lastRecord(s.Name); !t.IsZero() {
			sh.LastRecord = &t
		}
		h.Sources = append(h.Sources, sh)
	}
	for _, r := range d.alerts.status() {
		rh := web.ReceiverHealth{Name: r.Name, Type: r.Type, Queue: r.Queue, LastError: r.LastError}
		if !r.LastErrorAt.IsZero() {
			t := r.LastErrorAt
			rh.LastErrorAt = &t
		}
		if !r.LastSentAt.IsZero() {
			t := r.LastSentAt
			rh.LastSent = &t
		}
		h.Receivers = append(h.Receivers, rh)
	}
	return h
}

func labelValue(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	}
	return 0
}
