package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/notify"
)

// alerting is the pipeline's alert sink: the running notifier, which a
// reload replaces. Without one, occurrences are not alerted.
type alerting struct {
	cat *catalog.Catalog
	log *slog.Logger
	m   *notify.Metrics

	mu     sync.Mutex
	n      *notify.Notifier
	cancel context.CancelFunc
	done   chan error
}

// Observe hands an occurrence to the running notifier.
func (a *alerting) Observe(o diagnose.Occurrence) {
	a.mu.Lock()
	n := a.n
	a.mu.Unlock()
	if n != nil {
		n.Observe(o)
	}
}

// start starts a notifier with cfg over cat (the running catalog, custom
// entries included; nil: the built-in one).
func (a *alerting) start(cfg notify.Config, cat *catalog.Catalog) error {
	if cat == nil {
		cat = a.cat
	}
	n, err := notify.New(cfg, cat, a.log, a.m, time.Now)
	if err != nil {
		return fmt.Errorf("alerts: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- n.Run(ctx) }()
	a.mu.Lock()
	a.n, a.cancel, a.done = n, cancel, done
	a.mu.Unlock()
	return nil
}

// stop flushes and stops the running notifier, if any.
func (a *alerting) stop() error {
	a.mu.Lock()
	cancel, done := a.cancel, a.done
	a.n, a.cancel, a.done = nil, nil, nil
	a.mu.Unlock()
	if cancel == nil {
		return nil
	}
	cancel()
	return <-done
}

// status returns the running notifier's receivers' status, if any.
func (a *alerting) status() []notify.ReceiverStatus {
	a.mu.Lock()
	n := a.n
	a.mu.Unlock()
	if n == nil {
		return nil
	}
	return n.Status()
}
