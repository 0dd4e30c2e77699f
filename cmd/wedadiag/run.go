package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/internal/config"
	"github.com/wedadiag/wedadiag/internal/daemon"
)

// newRunCmd builds `wedadiag run`.
func newRunCmd() *cobra.Command {
	var cfgFile string
	var checkOnly bool
	cmd := &cobra.Command{
		Use:   "run [flags]",
		Short: "Run the daemon: follow logs, export metrics, send alerts",
		Long: `Run wedadiag as a long-running sidecar. It follows the configured log files
(globs; - for standard input) through rotation and restarts, diagnoses every
record, exports Prometheus metrics on /metrics, serves a status page on / and
the live diagnoses on /api/v1/diagnoses, and sends alerts that carry the
FAQ's remedy.

Configuration comes from the embedded defaults, then --config FILE, then
WEDADIAG_* environment variables (WEDADIAG_LISTEN, WEDADIAG_STATE_DIR,
WEDADIAG_ALERTS_POLICY_THRESHOLD, …), then flags. SIGHUP or POST /-/reload
reloads the configuration and rule files; a bad one is refused and the
running one stays. SIGINT or SIGTERM stops reading, drains, saves positions,
flushes alerts and exits 0.`,
		Example: `  wedadiag run --logs '/var/log/app/*.log'
  wedadiag run --config /etc/wedadiag/wedadiag.yaml
  kubectl logs -f deploy/order-sync | wedadiag run --logs - --listen 127.0.0.1:9894
  wedadiag run --config wedadiag.yaml --check-config`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			flags := cmd.Flags()
			load := func() (*config.Config, error) {
				return config.Load(config.Options{File: cfgFile, Flags: flags})
			}
			cfg, err := load()
			if err != nil {
				return usageError{err}
			}
			if checkOnly {
				cat, err := catalog.Default()
				if err != nil {
					return err
				}
				if _, err := diagnose.LoadRules(cat, cfg.Rules); err != nil {
					return usageError{err}
				}
				fmt.Fprintln(cmd.OutOrStdout(), "configuration OK")
				return nil
			}
			log, err := newLogger(cmd.ErrOrStderr(), cfg.Log.Level, cfg.Log.Format)
			if err != nil {
				return usageError{err}
			}
			// Signals first: a SIGHUP (logrotate's postrotate, say) that
			// arrives while the daemon starts must not kill it.
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			reload := make(chan struct{}, 1)
			hup := make(chan os.Signal, 1)
			signal.Notify(hup, syscall.SIGHUP)
			defer signal.Stop(hup)
			go func() {
				for {
					select {
					case <-ctx.Done():
						return
					case <-hup:
						select {
						case reload <- struct{}{}:
						default:
						}
					}
				}
			}()
			v, r, g := buildInfo()
			d, err := daemon.New(daemon.Options{
				Load:   load,
				Config: cfg,
				Log:    log,
				Build:  daemon.Build{Version: v, Revision: r, GoVersion: g},
				Stdin:  os.Stdin,
			})
			if err != nil {
				return usageError{err}
			}
			if err := d.Run(ctx, reload); err != nil {
				log.Error("wedadiag stopped with an error", "err", err)
				return exitError{exitFail}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfgFile, "config", "", "YAML configuration file (see configs/wedadiag.example.yaml)")
	f.BoolVar(&checkOnly, "check-config", false, "check the configuration and rules, then exit")
	config.AddFlags(f)
	return cmd
}

// newLogger makes wedadiag's own logger.
func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(strings.ToUpper(level))); err != nil {
		return nil, fmt.Errorf("log.level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log.format %q: want text or json", format)
}
