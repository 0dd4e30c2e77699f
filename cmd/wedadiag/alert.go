package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/internal/config"
	"github.com/wedadiag/wedadiag/notify"
)

// newAlertCmd builds `wedadiag alert`.
func newAlertCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "alert test [--receiver NAME] [--config FILE]",
		Short: "Check alert receivers by sending them a sample alert",
		Long: `Work with the alert receivers of the configuration (alerts.receivers).

  test  sends a sample alert to every receiver, or to the one --receiver
        names, and reports for each whether it was delivered.`,
		Example: `  wedadiag alert test --config /etc/wedadiag/wedadiag.yaml
  wedadiag alert test --config /etc/wedadiag/wedadiag.yaml --receiver ops`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, argv []string) error {
			if len(argv) > 0 {
				return usagef("unknown command %q for %q: want test (see '%s --help')", argv[0], cmd.CommandPath(), cmd.CommandPath())
			}
			return usagef("%s needs a command: test (see '%s --help')", cmd.CommandPath(), cmd.CommandPath())
		},
	}
	cmd.AddCommand(newAlertTestCmd())
	return cmd
}

func newAlertTestCmd() *cobra.Command {
	var cfgFile, receiver string
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "test [--receiver NAME] [--config FILE]",
		Short: "Send a sample alert to the configured receivers",
		Long: `Send the sample alert — FailedOperation.FlexdbResourceOverdue (数据库资源到期或者
数据库读写次数超过套餐包限制) with the FAQ's remedy and a sample log line, from
source "wedadiag-test" — to every receiver of alerts.receivers, or to the one
--receiver names, the way wedadiag run would: same payload, templates,
language, signing, retries on network errors, 5xx and 429. Alertmanager
resolves the sample alert by itself after its resolve_timeout.

Prints one line per receiver on standard output: "NAME (TYPE): sent", or
"NAME (TYPE): failed: …" on standard error. Exits 0 when every receiver
took the alert, 1 when one failed, 2 when the configuration is bad or names
no such receiver. Nothing of the alert state (alerts.json) is read or
written, and URLs and secrets are never printed.`,
		Example: `  wedadiag alert test --config /etc/wedadiag/wedadiag.yaml
  wedadiag alert test --config /etc/wedadiag/wedadiag.yaml --receiver ops
  WEDADIAG_ALERTS_LANG=en wedadiag alert test --config wedadiag.yaml --timeout 10s`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if timeout <= 0 {
				return usagef("--timeout must be positive, got %s", timeout)
			}
			cfg, err := config.Load(config.Options{File: cfgFile})
			if err != nil {
				return usageError{err}
			}
			alerts := cfg.Alerts
			alerts.StateDir = "" // a test touches no alert state
			if len(alerts.Receivers) == 0 {
				where := "the embedded defaults"
				if cfgFile != "" {
					where = cfgFile
				}
				return usagef("no alert receivers in %s: add alerts.receivers (see 'wedadiag alert test --help')", where)
			}
			cat, err := catalog.Default()
			if err != nil {
				return err
			}
			// Each receiver's outcome is printed below; the notifier's
			// log would only repeat it.
			n, err := notify.New(alerts, cat, slog.New(slog.DiscardHandler), nil, nil)
			if err != nil {
				return usageError{err}
			}
			names := n.Receivers()
			if receiver != "" {
				found := false
				for _, name := range names {
					found = found || name == receiver
				}
				if !found {
					return usagef("no receiver named %q in alerts.receivers (configured: %v)", receiver, names)
				}
				names = []string{receiver}
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			errs := make([]error, len(names))
			done := make(chan struct{})
			for i, name := range names {
				go func() {
					errs[i] = n.Test(ctx, name)
					done <- struct{}{}
				}()
			}
			for range names {
				<-done
			}
			types := map[string]string{}
			for _, r := range alerts.Receivers {
				types[r.Name] = r.Type
			}
			failed := false
			for i, name := range names {
				if errs[i] != nil {
					failed = true
					fmt.Fprintf(cmd.ErrOrStderr(), "%s (%s): failed: %v\n", name, types[name], errs[i])
					continue
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s (%s): sent\n", name, types[name])
			}
			if failed {
				return exitError{exitFail}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfgFile, "config", "", "YAML configuration file with alerts.receivers")
	f.StringVar(&receiver, "receiver", "", "send to this receiver only (default: every receiver)")
	f.DurationVar(&timeout, "timeout", 30*time.Second, "give up on a receiver after this long, retries included")
	return cmd
}
