package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Set with -ldflags "-X main.version=... -X main.revision=...".
var (
	version  = ""
	revision = ""
)

// buildInfo returns version, revision and Go version, from -ldflags when set
// and from the module's build information otherwise.
func buildInfo() (ver, rev, goVersion string) {
	ver, rev = version, revision
	goVersion = "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		goVersion = bi.GoVersion
		if ver == "" && bi.Main.Version != "" {
			ver = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && rev == "" {
				rev = s.Value
			}
		}
	}
	if ver == "" {
		ver = "(devel)"
	}
	if rev == "" {
		rev = "unknown"
	}
	return ver, rev, goVersion
}

// newVersionCmd builds `wedadiag version`.
func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, revision and Go version",
		Example: `  wedadiag version
  go build -ldflags "-X main.version=1.0.0 -X main.revision=$(git rev-parse HEAD)" ./cmd/wedadiag`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			v, r, g := buildInfo()
			fmt.Fprintf(cmd.OutOrStdout(), "wedadiag %s (revision %s, %s)\n", v, r, g)
			return nil
		},
	}
}
