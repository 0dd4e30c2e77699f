package daemon

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/wedadiag/wedadiag/catalog"
)

// Reload re-reads the configuration and the rule files and swaps them in.
// Anything wrong (a bad file, a rule that does not compile) refuses the
// whole reload: the running configuration stays, the failure is counted and
// its reason returned. Sources added or removed keep the positions of the
// others. A changed listen address needs a restart.
func (d *Daemon) Reload(ctx context.Context) error {
	d.reloadMu.Lock()
	defer d.reloadMu.Unlock()
	err := d.reload(ctx)
	d.reloads.set(err)
	if err != nil {
		d.pm.reloads.WithLabelValues("failure").Inc()
		d.log.Error("reload failed", "err", err)
		return err
	}
	d.pm.reloads.WithLabelValues("success").Inc()
	d.pm.lastReload.SetToCurrentTime()
	return nil
}

func (d *Daemon) reload(_ context.Context) error {
	old := d.state.Load().cfg
	cfg, err := d.o.Load()
	if err != nil {
		return err
	}
	next, err := d.newState(cfg)
	if err != nil {
		return err
	}
	if cfg.Listen != old.Listen {
		d.log.Warn("a new listen address takes effect at the next start", "listen", cfg.Listen, "running", old.Listen)
	}
	if cfg.StateDir != old.StateDir {
		return errors.New("state_dir: cannot change while running (positions live there); restart to move it")
	}
	// Alerting restarts on new receivers or policy, and on new custom
	// entries (overrides may name them; saved alerts of them come back).
	alertsChanged := !reflect.DeepEqual(notifyConfig(cfg), notifyConfig(old)) ||
		!sameCustom(next.cat, d.state.Load().cat)
	if alertsChanged {
		if err := notifyConfig(cfg).WithDefaults().Validate(); err != nil {
			return err
		}
	}
	if err := d.streams.check(cfg); err != nil {
		return err
	}
	// From here on every step that fails undoes the ones before it, so a
	// refused reload leaves everything as it was.
	if err := d.tail.Update(tailerConfig(cfg).Sources); err != nil {
		return fmt.Errorf("sources: %w", err)
	}
	if alertsChanged {
		// Alerting restarts with the new receivers and policy; its state is
		// saved when the old one stops and loaded by the new one, so
		// nothing fires twice.
		if err := d.alerts.stop(); err != nil {
			d.log.Warn("stopping alerting for reload", "err", err)
		}
		if err := d.alerts.start(notifyConfig(cfg), next.cat); err != nil {
			if err2 := d.alerts.start(notifyConfig(old), d.state.Load().cat); err2 != nil {
				d.log.Error("alerting could not restart", "err", err2)
			}
			if err2 := d.tail.Update(tailerConfig(old).Sources); err2 != nil {
				d.log.Error("sources could not be restored", "err", err2)
			}
			return err
		}
	}
	d.files.Configure(containerConfig(cfg))
	d.state.Store(next)
	// Streams change last: a changed one drains and saves before its
	// successor opens on the same state. Their failures (checked above) do
	// not undo the reload; they are logged, and the next reload retries.
	if err := d.streams.update(cfg); err != nil {
		d.log.Error("sources did not all restart", "err", err)
	}
	d.initSeries(next)
	d.refreshSourceFiles()
	d.log.Info("reloaded", "sources", len(cfg.Sources), "rules", len(next.prog.Set.Rules()), "at", time.Now().Format(time.RFC3339))
	return nil
}

// sameCustom reports whether two catalogs hold the same custom entries.
func sameCustom(a, b *catalog.Catalog) bool {
	ca, cb := a.Custom(), b.Custom()
	if len(ca) != len(cb) {
		return false
	}
	for i := range ca {
		if !reflect.DeepEqual(*ca[i], *cb[i]) {
			return false
		}
	}
	return true
}
