package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/internal/config"
)

// newRulesSuggestCmd builds `wedadiag rules suggest`.
func newRulesSuggestCmd() *cobra.Command {
	var fromState bool
	var stateDir, cfgFile string
	var ruleFiles []string
	var top int
	cmd := &cobra.Command{
		Use:   "suggest [FILE…|--from-state]",
		Short: "Write a rule file skeleton for the errors no rule explains yet",
		Long: `Turn the most frequent unmatched error templates into a rule file to edit:
for each, a custom entry (id custom/…, its message with the varying parts as
{0}, {1}, … placeholders, a title and a remedy to write) and a rule that finds
it, with the template's sample as an example that must match and a line that
must not. The file is printed on standard output; as written it passes
'wedadiag rules check' and 'wedadiag rules test'. Edit titles, remedies and
severities, then add it to rules: in the config file (or --rules of scan).

The templates come from the FILEs (scanned as 'wedadiag scan' does; a quoted
glob is expanded), or with --from-state from what a running or stopped
daemon saved in its state directory (` + diagnose.UnmatchedFile + `, written
as it runs and when it stops): --state-dir, else the state_dir of --config,
else the default state directory.

Exit status: 0 when a file was written (it may hold no template); 1 when a
file or the state cannot be read; 2 on bad usage.`,
		Example: `  wedadiag rules suggest /var/log/app/app.log > my-rules.yaml
  wedadiag rules suggest --from-state --config /etc/wedadiag/wedadiag.yaml > my-rules.yaml
  wedadiag rules test my-rules.yaml`,
		RunE: func(cmd *cobra.Command, files []string) error {
			if top < 1 {
				return usagef("--top %d: want 1 or more", top)
			}
			if fromState == (len(files) > 0) {
				return usagef("give log FILEs or --from-state (one of them)")
			}
			k, err := loadKnowledge(ruleFiles)
			if err != nil {
				return err
			}
			var us []diagnose.Unmatched
			if fromState {
				dir := stateDir
				if dir == "" {
					cfg, err := config.Load(config.Options{File: cfgFile})
					if err != nil {
						return usageError{err}
					}
					dir = cfg.StateDir
				}
				us, err = diagnose.LoadUnmatched(dir)
				if errors.Is(err, diagnose.ErrNoState) {
					return fmt.Errorf("%w: no daemon has saved unmatched templates there yet (is --state-dir right?)", err)
				}
				if err != nil {
					return err
				}
				if len(us) > top {
					us = us[:top]
				}
			} else {
				files, err := expandFiles(files)
				if err != nil {
					return usageError{err}
				}
				unknown := diagnose.NewUnknowns()
				prog := &diagnose.Program{Set: k.Set}
				sc := diagnose.NewScanner(diagnose.NewScanPipeline(prog, diagnose.NewResolver(k.Catalog), unknown))
				for _, f := range files {
					if err := scanOne(sc, cmd.InOrStdin(), cmd.ErrOrStderr(), f, ""); err != nil {
						return err
					}
				}
				us = unknown.Top(top)
			}
			s, err := diagnose.Suggest(k.Catalog, us)
			if err != nil {
				return err
			}
			for _, why := range s.Skipped {
				fmt.Fprintf(cmd.ErrOrStderr(), "wedadiag: skipped %s\n", why)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "wedadiag: %d of %d unmatched templates suggested\n", s.Kept, len(us))
			_, err = cmd.OutOrStdout().Write(s.File)
			return err
		},
	}
	f := cmd.Flags()
	f.BoolVar(&fromState, "from-state", false, "read the unmatched templates a daemon saved in its state directory")
	f.StringVar(&stateDir, "state-dir", "", "state directory to read with --from-state")
	f.StringVar(&cfgFile, "config", "", "config file whose state_dir --from-state reads")
	f.StringArrayVar(&ruleFiles, "rules", nil, "rule file already in use (repeatable): what it explains is not suggested again")
	f.IntVar(&top, "top", 10, "how many templates to suggest, most frequent first")
	return cmd
}
