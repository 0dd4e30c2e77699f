package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/internal/gen"
	"github.com/wedadiag/wedadiag/rules"
)

// newRulesCmd builds `wedadiag rules`.
func newRulesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules check|test|suggest|docs [FILE…]",
		Short: "Validate rule files and run the examples written in them",
		Long: `Work on diagnosis rules: the built-in ones, plus any rule FILEs given, which
are added to them (a rule whose id a built-in rule has replaces it).

  check  compiles the rules and reports every fault as file:line:col with the
         rule's id; exit 1 when there is one.
  test   compiles the rules and runs every rule's examples, printing pass or
         fail per rule; exit 1 when an example fails.

  suggest  writes a rule file to start from, made of the errors in log
         files (or a daemon's state) that no rule explains yet.
  docs     prints the rule-file reference: the schema of rules and of custom
         entries (entries:, ids custom/…), the variables and functions of
         expressions, and every built-in rule. The same page is
         docs/rules.md in the repository.

A FILE may be a glob (quoted, so the shell leaves it alone); a glob that
matches nothing adds nothing.`,
		Example: `  wedadiag rules check
  wedadiag rules check /etc/wedadiag/rules.d/wecom.yaml
  wedadiag rules test
  wedadiag rules test '/etc/wedadiag/rules.d/*.yaml'
  wedadiag rules suggest /var/log/app/app.log > my-rules.yaml
  wedadiag rules docs | less`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, argv []string) error {
			if len(argv) > 0 {
				return usagef("unknown command %q for %q: want check, test, suggest or docs (see '%s --help')", argv[0], cmd.CommandPath(), cmd.CommandPath())
			}
			return usagef("%s needs a command: check, test, suggest or docs (see '%s --help')", cmd.CommandPath(), cmd.CommandPath())
		},
	}
	cmd.AddCommand(newRulesCheckCmd(), newRulesTestCmd(), newRulesSuggestCmd(), newRulesDocsCmd())
	return cmd
}

func newRulesCheckCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "check [FILE…]",
		Short: "Compile the built-in rules and FILEs and report every fault",
		Long: `Compile the built-in rules together with the rule FILEs (added to them,
overriding built-in rules of the same id) and report every fault of every file
on standard error, one per line, as

  file:line:col: rule "id": message

Prints a summary per file on standard output when all is well.

Exit status: 0 when the rules compile; 1 when a file cannot be read or holds
a fault; 2 on bad usage.`,
		Example: `  wedadiag rules check
  wedadiag rules check my-rules.yaml other.yaml`,
		RunE: func(cmd *cobra.Command, paths []string) error {
			files, err := rules.LoadFiles(paths)
			if err != nil {
				return err
			}
			k, err := compileRules(cmd.ErrOrStderr(), files)
			if err != nil {
				return err
			}
			return writeCheckSummary(cmd.OutOrStdout(), k, files)
		},
	}
}

func newRulesTestCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "test [FILE…]",
		Short: "Run the examples of the built-in rules and FILEs",
		Long: `Compile the built-in rules together with the rule FILEs, then feed every
rule's examples through the whole rule set, prefilter included, and resolve
what the rule finds against the WeDa catalog. An example passes when one of
its rule's matches resolves to the catalog id it wants, or, when it wants "",
when its rule does not match. Prints ok or FAIL per rule, and for each failed
example where it is, what it wanted and what it got.

Exit status: 0 when every example passes; 1 when one fails, a file cannot be
read or holds a fault; 2 on bad usage.`,
		Example: `  wedadiag rules test
  wedadiag rules test my-rules.yaml`,
		RunE: func(cmd *cobra.Command, paths []string) error {
			files, err := rules.LoadFiles(paths)
			if err != nil {
				return err
			}
			k, err := compileRules(cmd.ErrOrStderr(), files)
			if err != nil {
				return err
			}
			set := k.Set
			res := diagnose.NewResolver(k.Catalog)
			if failed := writeTestResults(cmd.OutOrStdout(), set, rules.Test(set, res.ResolveID)); failed > 0 {
				return exitError{exitFail}
			}
			return nil
		},
	}
}

// compileRules compiles the built-in rules and files; on faults it prints
// them, one per line, to w and returns an exitError.
func compileRules(w io.Writer, files []rules.File) (*diagnose.Knowledge, error) {
	cat, err := catalog.Default()
	if err != nil {
		return nil, err
	}
	k, err := diagnose.Compile(cat, append(rules.Builtin(), files...)...)
	var faults rules.Faults
	switch {
	case errors.As(err, &faults):
		for _, f := range faults {
			fmt.Fprintln(w, f.String())
		}
		s := "s"
		if len(faults) == 1 {
			s = ""
		}
		fmt.Fprintf(w, "wedadiag: %d fault%s in rule files\n", len(faults), s)
		return nil, exitError{exitFail}
	case err != nil:
		return nil, err
	}
	return k, nil
}

func writeCheckSummary(w io.Writer, k *diagnose.Knowledge, files []rules.File) error {
	set := k.Set
	entries := map[string]int{}
	for _, e := range k.Catalog.Custom() {
		entries[e.File]++
	}
	builtinIDs := map[string]bool{}
	if b, err := rules.Compile(rules.Builtin()...); err == nil {
		for _, r := range b.Rules() {
			builtinIDs[r.ID] = true
		}
	}
	perFile := map[string][]rules.Rule{}
	examples := 0
	for _, r := range set.Rules() {
		perFile[r.File] = append(perFile[r.File], r)
		examples += r.Examples
	}
	var order []string
	for _, f := range rules.Builtin() {
		order = append(order, f.Name)
	}
	for _, f := range files {
		order = append(order, f.Name)
	}
	seen := map[string]bool{}
	for i, name := range order {
		if seen[name] {
			continue
		}
		seen[name] = true
		rs := perFile[name]
		line := fmt.Sprintf("%s: %s", name, plural(len(rs), "rule"))
		if n := entries[name]; n > 0 {
			line += fmt.Sprintf(", %d custom %s", n, map[bool]string{true: "entry", false: "entries"}[n == 1])
		}
		if i >= len(rules.Builtin()) {
			over := 0
			for _, r := range rs {
				if builtinIDs[r.ID] {
					over++
				}
			}
			if over > 0 {
				line += fmt.Sprintf(", %d replacing built-in rules", over)
			}
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "%s, %s: ok\n", plural(len(set.Rules()), "rule"), plural(examples, "example"))
	return err
}

// writeTestResults prints a line per rule and the failures, and returns the
// number of failed examples.
func writeTestResults(w io.Writer, set *rules.Set, results []rules.ExampleResult) int {
	byRule := map[string][]rules.ExampleResult{}
	for _, r := range results {
		byRule[r.Rule] = append(byRule[r.Rule], r)
	}
	width := 0
	for _, r := range set.Rules() {
		width = max(width, len(r.ID))
	}
	failed, total := 0, 0
	for _, r := range set.Rules() {
		rs := byRule[r.ID]
		bad := 0
		for _, x := range rs {
			if !x.Pass {
				bad++
			}
		}
		total += len(rs)
		failed += bad
		switch {
		case len(rs) == 0:
			fmt.Fprintf(w, "--    %-*s  no examples\n", width, r.ID)
		case bad == 0:
			fmt.Fprintf(w, "ok    %-*s  %s\n", width, r.ID, plural(len(rs), "example"))
		default:
			fmt.Fprintf(w, "FAIL  %-*s  %d of %s failed\n", width, r.ID, bad, plural(len(rs), "example"))
			for _, x := range rs {
				if x.Pass {
					continue
				}
				want := x.Want
				if want == "" {
					want = "no match"
				}
				got := "nothing"
				if len(x.Got) > 0 {
					got = strings.Join(x.Got, ", ")
				}
				fmt.Fprintf(w, "      %s:%d: want %s, got %s\n", x.File, x.Line, want, got)
				if x.Err != nil {
					fmt.Fprintf(w, "        error: %v\n", x.Err)
				}
				fmt.Fprintf(w, "        input: %s\n", oneLine(x.Input, 160))
			}
		}
	}
	verdict := "ok"
	if failed > 0 {
		verdict = fmt.Sprintf("%d failed", failed)
	}
	fmt.Fprintf(w, "%s, %s: %s\n", plural(len(set.Rules()), "rule"), plural(total, "example"), verdict)
	return failed
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func newRulesDocsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "docs",
		Short: "Print the rule-file reference (docs/rules.md) as Markdown",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cat, err := catalog.Default()
			if err != nil {
				return err
			}
			data, err := gen.RulesDoc(cat)
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(data)
			return err
		},
	}
}
