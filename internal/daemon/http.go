package daemon

import (
	"context"
	"net/http"
	"time"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/web"
)

// handler builds the HTTP routes over the daemon's state.
func (d *Daemon) handler() http.Handler {
	return web.Handler(web.Options{
		Gatherer:  d.reg,
		Catalog:   d.cat,
		Catalogs:  func() *catalog.Catalog { return d.state.Load().cat },
		Diagnoses: d.agg.Diagnoses,
		Unmatched: d.unknown.Top,
		Ready:     d.Ready,
		Reload:    func(ctx context.Context) error { return d.Reload(ctx) },
		// Read at start: turning the endpoint on or off takes a restart.
		EnableLifecycle: d.state.Load().cfg.Web.EnableLifecycle,
		Lang:            func() string { return d.state.Load().cfg.Alerts.Lang },
		Health:          d.health,
		// The timezone setting (the machine's zone when unset).
		Location: func() *time.Location { return d.state.Load().cfg.Location() },
		Version:  d.o.Build.Version,
		Logger:   d.log.With("component", "web"),
	})
}
