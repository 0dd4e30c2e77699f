package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/parse"
	"github.com/wedadiag/wedadiag/record"
)

// newScanCmd builds `wedadiag scan`.
func newScanCmd() *cobra.Command {
	var format, lang, source, multiline, input, timezone string
	var ruleFiles []string
	var top, chunks int
	cmd := &cobra.Command{
		Use:   "scan [flags] FILE…|-",
		Short: "Diagnose log files (or standard input) once and print what they reveal",
		Long: `Read log files start to end (gzip is read transparently; - is standard input),
find every WeDa error code and known symptom in them, and print one diagnosis
per catalog entry found: how often, first and last seen, where, a few samples,
and the remedy from the WeDa FAQ. Records that look like errors but that no
rule explains are grouped into templates under "unmatched".

Exit status: 0 when the scan ran, whatever it found; 1 when a file could not be
read; 2 on bad usage. A quoted glob ('logs/*.log') is expanded here. Only
regular files are read (a FIFO or a device is refused: pipe it into -), and a
file stops being read when a line runs on for 64 MiB without a newline.`,
		Example: `  wedadiag scan configs/examples/*.log
  wedadiag scan --format json /var/log/app/app.log.1.gz | jq '.diagnoses[].id'
  kubectl logs deploy/order-sync | wedadiag scan --source order-sync -
  wedadiag scan --format markdown --lang en app.log > report.md`,
		Args: args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, files []string) error {
			if err := checkChoice("format", format, "text", "markdown", "json"); err != nil {
				return err
			}
			if err := checkChoice("lang", lang, "zh", "en"); err != nil {
				return err
			}
			if err := checkChoice("input", input, parse.InputFormats()...); err != nil {
				return err
			}
			if top < 0 {
				return usagef("--top %d: want 0 or more", top)
			}
			files, err := expandFiles(files)
			if err != nil {
				return usageError{err}
			}
			mode, ok := record.ParseMode(multiline)
			if !ok {
				return usagef("--multiline %q: want auto or none", multiline)
			}
			tuneScanGC()
			k, err := loadKnowledge(ruleFiles)
			if err != nil {
				return err
			}
			cat, set := k.Catalog, k.Set
			agg := diagnose.NewAggregator(cat, diagnose.Options{})
			unknown := diagnose.NewUnknowns()
			loc := time.Local
			if timezone != "" {
				if loc, err = time.LoadLocation(timezone); err != nil {
					return usagef("--timezone %q: not a time zone the system knows (an IANA name such as Asia/Shanghai)", timezone)
				}
			}
			prog := &diagnose.Program{Set: set, Format: input, Location: loc}
			sc := diagnose.NewScanner(diagnose.NewScanPipeline(prog, diagnose.NewResolver(cat), agg, unknown))
			sc.Multiline = mode
			sc.Chunks = chunks
			report := &diagnose.Report{Files: []string{}}
			stderr := cmd.ErrOrStderr()
			var failed bool
			for _, f := range files {
				if err := scanOne(sc, cmd.InOrStdin(), stderr, f, source); err != nil {
					fmt.Fprintf(stderr, "wedadiag: %v\n", err)
					failed = true
					continue
				}
				report.Files = append(report.Files, f)
			}
			if len(report.Files) == 0 {
				// Nothing was read: the errors above are the whole answer.
				return exitError{exitFail}
			}
			report.Lines, report.Records = sc.Lines, sc.Records
			report.Diagnoses = agg.Diagnoses(lang)
			for i := range report.Diagnoses {
				// Times in the zone asked for, whatever zone each record wrote.
				d := &report.Diagnoses[i]
				if d.FirstSeen != nil {
					t := d.FirstSeen.In(loc)
					d.FirstSeen = &t
				}
				if d.LastSeen != nil {
					t := d.LastSeen.In(loc)
					d.LastSeen = &t
				}
			}
			if report.Diagnoses == nil {
				report.Diagnoses = []diagnose.Diagnosis{}
			}
			report.Unmatched = unknown.Top(top)
			if len(sc.Bad) > 0 {
				report.BadRecords = sc.Bad
			}
			out := cmd.OutOrStdout()
			switch format {
			case "json":
				err = report.WriteJSON(out)
			case "markdown":
				err = report.WriteMarkdown(out, lang)
			default:
				err = report.WriteText(out, lang, isTerminal(out))
			}
			if err != nil {
				return err
			}
			if failed {
				return exitError{exitFail}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "text", "output format: text, markdown or json")
	f.StringVar(&lang, "lang", "zh", "language of titles and remedies: zh (the FAQ's words) or en")
	f.StringVar(&source, "source", "", "source name for the diagnoses (default: the file's base name, stdin for -)")
	f.StringVar(&input, "input", "auto", "format of the records: auto (recognised per record), json, scf, plain or access")
	f.StringVar(&multiline, "multiline", "auto", "group stack traces and pretty-printed objects into one record: auto or none")
	f.StringArrayVar(&ruleFiles, "rules", nil, "extra rule file (repeatable), added to the built-in rules")
	f.IntVar(&top, "top", 20, "how many unmatched templates to list")
	f.StringVar(&timezone, "timezone", "", "zone of times logged without one, and of the times shown: an IANA name such as Asia/Shanghai (default: the machine's)")
	// For benchmarks: 1 reads each file with one goroutine.
	f.IntVar(&chunks, "chunks", 0, "byte ranges a large file is split into, read in parallel (0: 32 per CPU, none under 1 MiB)")
	_ = f.MarkHidden("chunks")
	return cmd
}

// progressMin is the size from which a scan reports progress on a
// terminal.
const progressMin = 50 << 20

func scanOne(sc *diagnose.Scanner, stdin io.Reader, stderr io.Writer, path, source string) error {
	name := source
	if path == "-" {
		if name == "" {
			name = "stdin"
		}
		sc.Progress = nil
		return sc.Scan(stdin, name, "-")
	}
	if st, err := os.Stat(path); err != nil {
		return err
	} else if !st.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file (%s): to read a pipe or a device, redirect it into - (wedadiag scan - < %s)", path, kindOf(st.Mode()), path)
	}
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	if name == "" {
		name = filepath.Base(path)
	}
	sc.Progress = nil
	st, err := fh.Stat()
	if err != nil {
		return err
	}
	size := st.Size()
	if size >= progressMin && isTerminal(stderr) {
		if gz, _ := isGzip(fh); gz {
			// The file's bytes, not the scanner's: a .gz file decompresses to more.
			cr := &countingReader{r: fh}
			sc.Progress = func(int64) { progress(stderr, path, cr.n, size) }
			defer fmt.Fprintln(stderr)
			return sc.Scan(cr, name, path)
		}
		sc.Progress = func(n int64) { progress(stderr, path, n, size) }
		defer fmt.Fprintln(stderr)
	}
	return sc.ScanFile(fh, size, name, path)
}

func progress(w io.Writer, path string, n, size int64) {
	fmt.Fprintf(w, "\r%s: %3d%% of %d MB", path, n*100/max(size, 1), size>>20)
}

// isGzip reports whether f starts with gzip's magic bytes.
func isGzip(f *os.File) (bool, error) {
	var head [2]byte
	n, err := f.ReadAt(head[:], 0)
	return n == 2 && head[0] == 0x1f && head[1] == 0x8b, err
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// isTerminal reports whether w is a terminal (for colour and progress).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// kindOf names a file mode's type for an error message.
func kindOf(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a FIFO"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return "not a plain file"
}

// expandFiles expands the arguments that are globs (quoted, so the shell
// did not) into the files they match, in name order. A glob that matches
// nothing is an error; a plain name is kept as it is (its error, if any,
// comes when it is read).
func expandFiles(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if a == "-" || !strings.ContainsAny(a, "*?[") {
			out = append(out, a)
			continue
		}
		if _, err := os.Stat(a); err == nil {
			out = append(out, a) // a file whose name has glob characters
			continue
		}
		m, err := filepath.Glob(a)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", a, err)
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("%q matches no file", a)
		}
		sort.Strings(m)
		out = append(out, m...)
	}
	return out, nil
}
