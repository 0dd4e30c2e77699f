package daemon

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wedadiag/wedadiag/diagnose"
)

// liveSaveInterval is how often the live diagnoses and unmatched templates
// are written to the state directory when tailer.save_interval is unset.
const liveSaveInterval = 10 * time.Second

// maxSavedUnmatched bounds the unmatched templates written to the state
// directory.
const maxSavedUnmatched = 200

// stateFiles are the live-state files, the file label of
// wedadiag_state_errors_total.
var stateFiles = []string{diagnose.LiveFile, diagnose.UnmatchedFile}

func newStateErrors(reg prometheus.Registerer) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "wedadiag", Name: "state_errors_total",
		Help: "State files (live diagnoses, unmatched templates) that could not be read back or written."}, []string{"file"})
	reg.MustRegister(c)
	for _, f := range stateFiles {
		c.WithLabelValues(f)
	}
	return c
}

// restoreLive reads back the live diagnoses and unmatched templates a
// previous run saved. A file that cannot be read is a counted warning: the
// daemon starts without it.
func (d *Daemon) restoreLive() {
	st := d.state.Load()
	dir := st.cfg.StateDir
	n, err := d.agg.LoadLive(dir, st.cat)
	d.stateError(diagnose.LiveFile, "read", err)
	us, err := diagnose.LoadUnmatched(dir)
	d.stateError(diagnose.UnmatchedFile, "read", err)
	d.unknown.Restore(us)
	if n > 0 || len(us) > 0 {
		d.log.Info("live diagnoses restored", "diagnoses", n, "unmatched_templates", len(us), "state_dir", dir)
	}
}

// saveLive writes the live diagnoses and unmatched templates.
func (d *Daemon) saveLive() {
	dir := d.state.Load().cfg.StateDir
	d.stateError(diagnose.LiveFile, "write", d.agg.SaveLive(dir))
	d.stateError(diagnose.UnmatchedFile, "write", diagnose.SaveUnmatched(dir, d.unknown.Top(maxSavedUnmatched)))
}

func (d *Daemon) stateError(file, op string, err error) {
	if err == nil || errors.Is(err, diagnose.ErrNoState) {
		return
	}
	d.stateErrors.WithLabelValues(file).Inc()
	d.log.Warn("state file skipped", "file", file, "op", op, "err", err)
}

// saveLiveEvery writes the live state every interval until ctx ends.
func (d *Daemon) saveLiveEvery(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = liveSaveInterval
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			d.saveLive()
		}
	}
}
