package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	// The built-in rule set is built while the rest starts up.
	_ "github.com/wedadiag/wedadiag/internal/warm"
)

// Exit codes, as DESIGN.md fixes them.
const (
	exitOK    = 0
	exitFail  = 1 // the command ran and failed: I/O error, nothing found, a test failed
	exitUsage = 2 // bad flags, arguments or configuration
)

// usageError marks an error as the user's: exit 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// exitError carries an exit code for a failure whose message was already
// printed (or needs none).
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func main() {
	stop := startProfile()
	code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the CLI with the given arguments and streams and returns the
// exit code. Tests call it directly.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	fmt.Fprintf(stderr, "wedadiag: %v\n", err)
	var ue usageError
	if errors.As(err, &ue) || strings.HasPrefix(err.Error(), "unknown command") {
		return exitUsage
	}
	return exitFail
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "wedadiag",
		Short: "Diagnose Tencent Cloud WeDa apps and cloud functions from their logs",
		Long: `wedadiag follows the logs of WeDa (微搭低代码) apps and their cloud functions,
recognises WeDa error codes and known symptoms, explains each one with the
remedy from the official WeDa FAQ, exports Prometheus metrics and sends alerts
that say what broke and how to fix it.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w (see '%s --help')", err, c.CommandPath())}
	})
	root.AddCommand(
		newAlertCmd(),
		newCatalogCmd(),
		newExplainCmd(),
		newGenerateCmd(),
		newRulesCmd(),
		newRunCmd(),
		newScanCmd(),
		newScanRecordsCmd(),
		newVersionCmd(),
	)
	return root
}

// args wraps a cobra argument validator so that its complaint is a usage
// error (exit 2).
func args(v cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		if err := v(cmd, a); err != nil {
			return usageError{fmt.Errorf("%w (see '%s --help')", err, cmd.CommandPath())}
		}
		return nil
	}
}
