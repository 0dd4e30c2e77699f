package daemon

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wedadiag/wedadiag/internal/config"
	"github.com/wedadiag/wedadiag/tailer"
)

// matchFiles returns the regular files that a source's paths name now: a
// glob's matches, a plain path when it exists. "-" (standard input) names
// none.
func matchFiles(paths []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		if p == "-" {
			continue
		}
		names := []string{p}
		if strings.ContainsAny(p, "*?[") {
			m, err := filepath.Glob(p)
			if err != nil {
				continue
			}
			names = m
		}
		for _, n := range names {
			if st, err := os.Stat(n); err == nil && st.Mode().IsRegular() && !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// notFiles reports a source that reads no files: standard input, or a
// stream (Kafka, CloudBase).
func notFiles(s config.Source) bool {
	return isStream(s) || len(s.Paths) == 1 && s.Paths[0] == "-"
}

// newSourceFiles makes wedadiag_source_files{source}: how many files each
// file source's paths match. 0 says a glob matches nothing (yet); the
// tailer keeps watching for it. refreshSourceFiles sets it.
func newSourceFiles(reg prometheus.Registerer) *prometheus.GaugeVec {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "wedadiag", Name: "source_files",
		Help: "Files the source's paths match now (file sources); 0 means its globs match nothing yet."}, []string{"source"})
	reg.MustRegister(g)
	return g
}

// refreshSourceFiles sets wedadiag_source_files for the running sources
// (and drops the series of sources no longer configured); it returns the
// counts.
func (d *Daemon) refreshSourceFiles() map[string]int {
	out := map[string]int{}
	live := map[string]bool{}
	for _, s := range d.state.Load().cfg.Sources {
		if notFiles(s) {
			continue
		}
		n := len(matchFiles(s.Paths))
		out[s.Name] = n
		live[s.Name] = true
		d.sourceFiles.WithLabelValues(s.Name).Set(float64(n))
	}
	d.mu.Lock()
	for name := range d.filesShown {
		if !live[name] {
			d.sourceFiles.DeleteLabelValues(name)
		}
	}
	d.filesShown = live
	d.mu.Unlock()
	return out
}

// watchSourceFiles refreshes wedadiag_source_files every interval until
// ctx ends.
func (d *Daemon) watchSourceFiles(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = 5 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			d.refreshSourceFiles()
		}
	}
}

// announceSources says at start what will be read: a warning per source
// whose paths match no file (it is watched for), and, on a first start
// without --from-start, that existing files are followed from their end.
func (d *Daemon) announceSources(cfg *config.Config) {
	total := 0
	counts := d.refreshSourceFiles()
	for _, s := range cfg.Sources {
		if notFiles(s) {
			continue
		}
		n := counts[s.Name]
		total += n
		if n == 0 {
			d.log.Warn("no file matches the source's paths yet; watching for them", "source", s.Name, "paths", s.Paths)
		}
	}
	if cfg.FromStart || total == 0 {
		return
	}
	if _, err := os.Stat(filepath.Join(cfg.StateDir, tailer.PositionsFile)); errors.Is(err, fs.ErrNotExist) {
		d.log.Info("following existing files from their end; --from-start to read what is there", "files", total)
	}
}
