package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/internal/fsutil"
	"github.com/wedadiag/wedadiag/internal/gen"
	"github.com/wedadiag/wedadiag/rules"
)

// newGenerateCmd builds `wedadiag generate`.
func newGenerateCmd() *cobra.Command {
	var dir, rulesOut, docsOut, catalogOut, rulesGoOut string
	var check bool
	cmd := &cobra.Command{
		Use:   "generate [grafana|prometheus|all|rules|docs|catalog|rules-go]",
		Short: "Write the Grafana dashboard and Prometheus rules generated from the catalog",
		Long: `Generate the files users would otherwise write by hand, from the catalog
embedded in this binary, so they never drift from it:

  grafana      grafana/wedadiag.json (the dashboard) and its file-provisioning
               files under grafana/provisioning/
  prometheus   prometheus/rules.yml (recording rules, an alert per critical
               catalog entry with the FAQ's remedy, generic and self alerts)
               and prometheus/rules_test.yml (promtool unit tests)
  all          both (the default)
  rules        the built-in rules that find the catalog in logs, written to
               --rules-out (rules/builtin/catalog.yaml of the repository,
               embedded in the binary at build time); every example in them
               is run before the file is written
  docs         the rule-file reference (schema, expression variables and
               functions, every built-in rule), written to --docs-out
               (docs/rules.md of the repository)
  catalog      the catalog compiled to Go values, written to --catalog-out
               (catalog/catalog_gen.go of the repository, what the binary
               loads instead of decoding catalog/data/*.yaml at start-up);
               faults in the YAML are reported at file:line:col
  rules-go     the built-in rule files (rules/builtin/*.yaml as this binary
               embeds them) decoded to Go values, written to --rules-go-out
               (rules/builtin_gen.go of the repository)

Files are written under --dir (configs/ of the repository, where they are
committed); a file whose content is already right is left alone. Each path
written is printed. With --check nothing is written: the command lists the
files that differ and exits 1 if there are any.`,
		Example: `  wedadiag generate
  wedadiag generate prometheus --dir /etc/prometheus/wedadiag
  wedadiag generate --check && promtool test rules configs/prometheus/rules_test.yml`,
		Args: args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, argv []string) error {
			target := "all"
			if len(argv) == 1 {
				target = argv[0]
			}
			if target == "rules" {
				return generateRules(cmd, rulesOut, check)
			}
			if target == "docs" {
				return generateDocs(cmd, docsOut, check)
			}
			if target == "catalog" {
				return generateFile(cmd, catalogOut, check, catalog.GoSource, "wedadiag generate catalog --catalog-out")
			}
			if target == "rules-go" {
				return generateFile(cmd, rulesGoOut, check, rules.BuiltinGoSource, "wedadiag generate rules-go --rules-go-out")
			}
			if !slices.Contains(append(gen.Targets(), "all", "rules", "docs", "catalog", "rules-go"), target) {
				return usagef("unknown target %q: want %s or all (see '%s --help')", target, strings.Join(gen.Targets(), ", "), cmd.CommandPath())
			}
			cat, err := catalog.Default()
			if err != nil {
				return err
			}
			files, err := gen.Generate(cat, gen.Metrics(), target)
			if err != nil {
				return err
			}
			if check {
				return checkGenerated(cmd, dir, target, files)
			}
			for _, f := range files {
				path := filepath.Join(dir, filepath.FromSlash(f.Path))
				changed, err := writeIfChanged(path, f.Data)
				if err != nil {
					return err
				}
				if changed {
					fmt.Fprintln(cmd.OutOrStdout(), path)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "configs", "directory to write under")
	cmd.Flags().StringVar(&rulesOut, "rules-out", gen.BuiltinRulesPath, "where the rules target writes")
	cmd.Flags().StringVar(&docsOut, "docs-out", gen.RulesDocPath, "where the docs target writes")
	cmd.Flags().StringVar(&catalogOut, "catalog-out", catalog.GeneratedFile, "where the catalog target writes")
	cmd.Flags().StringVar(&rulesGoOut, "rules-go-out", rules.GeneratedFile, "where the rules-go target writes")
	cmd.Flags().BoolVar(&check, "check", false, "write nothing; list files that differ from the generator's and exit 1 if any")
	return cmd
}

// generateRules writes (or with check, compares) the built-in rules
// generated from the catalog.
func generateRules(cmd *cobra.Command, out string, check bool) error {
	return generateFile(cmd, out, check, fromCatalog(gen.BuiltinRules), "wedadiag generate rules --rules-out")
}

// fromCatalog is a build of generateFile that reads the built-in catalog.
func fromCatalog(build func(*catalog.Catalog) ([]byte, error)) func() ([]byte, error) {
	return func() ([]byte, error) {
		cat, err := catalog.Default()
		if err != nil {
			return nil, err
		}
		return build(cat)
	}
}

// generateFile writes the file build makes to out, or with check reports
// that out differs and names the command that rewrites it.
func generateFile(cmd *cobra.Command, out string, check bool, build func() ([]byte, error), command string) error {
	data, err := build()
	if err != nil {
		return err
	}
	if check {
		have, err := os.ReadFile(out)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if !bytes.Equal(have, data) {
			fmt.Fprintf(cmd.ErrOrStderr(), "wedadiag: %s is out of date; run: %s %s\n", out, command, out)
			return exitError{exitFail}
		}
		return nil
	}
	changed, err := writeIfChanged(out, data)
	if err != nil {
		return err
	}
	if changed {
		fmt.Fprintln(cmd.OutOrStdout(), out)
	}
	return nil
}

// checkGenerated reports the files under dir that differ from files.
func checkGenerated(cmd *cobra.Command, dir, target string, files []gen.File) error {
	var stale []string
	for _, f := range files {
		path := filepath.Join(dir, filepath.FromSlash(f.Path))
		have, err := os.ReadFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			stale = append(stale, path+": missing")
		case err != nil:
			return err
		case !bytes.Equal(have, f.Data):
			stale = append(stale, path+": differs")
		}
	}
	if len(stale) == 0 {
		return nil
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "wedadiag: generated files are out of date; run: wedadiag generate %s --dir %s\n  %s\n",
		target, dir, strings.Join(stale, "\n  "))
	return exitError{exitFail}
}

// writeIfChanged writes data to path through a temporary file and a rename,
// creating directories, unless the file already holds data.
func writeIfChanged(path string, data []byte) (bool, error) {
	if have, err := os.ReadFile(path); err == nil && bytes.Equal(have, data) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return false, err
	}
	if err := fsutil.WriteAtomic(path, data, 0o644); err != nil {
		return false, err
	}
	return true, nil
}

// generateDocs writes (or with check, compares) docs/rules.md.
func generateDocs(cmd *cobra.Command, out string, check bool) error {
	return generateFile(cmd, out, check, fromCatalog(gen.RulesDoc), "wedadiag generate docs --docs-out")
}
