package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/wedadiag/wedadiag/catalog"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("accuracy", flag.ContinueOnError)
	fl.SetOutput(stderr)
	seed := fl.Uint64("seed", 1, "seed of the generated corpus")
	out := fl.String("out", "accuracy-out", "directory for the corpus files, labels.tsv and report.json")
	bin := fl.String("bin", "", "wedadiag binary to measure (required unless -generate-only)")
	asJSON := fl.Bool("json", false, "print the report as JSON")
	verbose := fl.Bool("v", false, "list every weak entry, every record not right and the benign records diagnosed")
	benignPerFile := fl.Int("benign-file-lines", 2600, "lines in each benign-only file")
	genOnly := fl.Bool("generate-only", false, "write the corpus and labels, measure nothing")
	curve := fl.Bool("curve", true, "also scan with every text match kept and print the precision/recall-vs-threshold table of the text matcher")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *bin == "" && !*genOnly {
		fmt.Fprintln(stderr, "accuracy: -bin is required (scripts/accuracy builds it)")
		return 2
	}
	cat, err := catalog.Default()
	if err != nil {
		fmt.Fprintf(stderr, "accuracy: %v\n", err)
		return 1
	}
	c := Generate(*seed, cat.Entries(), *benignPerFile)
	paths, err := c.Write(*out)
	if err != nil {
		fmt.Fprintf(stderr, "accuracy: %v\n", err)
		return 1
	}
	if *genOnly {
		fmt.Fprintf(stdout, "wrote %d files, %d labelled records, %d benign lines to %s\n", len(paths), len(c.Labels), c.BenignLines(), *out)
		return 0
	}
	diagnosed, err := scanRecords(*bin, paths, "")
	if err != nil {
		fmt.Fprintf(stderr, "accuracy: %v\n", err)
		return 1
	}
	benign := map[string]int{}
	for _, f := range c.Files {
		benign[f.name] = f.benign
	}
	res := Score(c.Labels, diagnosed, benign)
	res.Seed = *seed
	if n, err := scanJSONCount(*bin, paths); err != nil {
		fmt.Fprintf(stderr, "accuracy: scan --format json: %v\n", err)
	} else {
		res.ScanJSONCount = n
	}
	var rep bytes.Buffer
	if err := res.WriteJSON(&rep); err == nil {
		_ = os.WriteFile(filepath.Join(*out, "report.json"), rep.Bytes(), 0o644)
	}
	if *asJSON {
		_, err = stdout.Write(rep.Bytes())
	} else {
		err = res.WriteText(stdout, *verbose)
	}
	if err == nil && *curve && !*asJSON {
		all, cerr := scanRecords(*bin, paths, "0")
		if cerr != nil {
			fmt.Fprintf(stderr, "accuracy: %v\n", cerr)
			return 1
		}
		fmt.Fprintln(stdout, "\ntext matcher, precision and recall by threshold (← the built-in threshold):")
		err = WriteCurve(stdout, Curve(c.Labels, all, benign), textThreshold)
	}
	if err != nil {
		fmt.Fprintf(stderr, "accuracy: %v\n", err)
		return 1
	}
	return 0
}

// textThreshold is catalog.TextThreshold, marked in the curve.
const textThreshold = catalog.TextThreshold

// scanRecords runs `wedadiag scan-records` on the files, with a text
// threshold when threshold is not "".
func scanRecords(bin string, paths []string, threshold string) ([]Diagnosed, error) {
	argv := []string{"scan-records"}
	if threshold != "" {
		argv = append(argv, "--text-threshold", threshold)
	}
	cmd := exec.Command(bin, append(argv, paths...)...)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	outp, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s scan-records: %w: %s", bin, err, bytes.TrimSpace(errb.Bytes()))
	}
	var ds []Diagnosed
	sc := bufio.NewScanner(bytes.NewReader(outp))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		var d Diagnosed
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			return nil, fmt.Errorf("scan-records output line %d: %w", n, err)
		}
		ds = append(ds, d)
	}
	return ds, sc.Err()
}

// scanJSONCount runs `wedadiag scan --format json` on the files and sums
// the counts of its diagnoses.
func scanJSONCount(bin string, paths []string) (int, error) {
	cmd := exec.Command(bin, append([]string{"scan", "--format", "json"}, paths...)...)
	outp, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) || len(outp) == 0 {
			return 0, err
		}
	}
	var rep struct {
		Diagnoses []struct {
			Count int `json:"count"`
		} `json:"diagnoses"`
	}
	if err := json.Unmarshal(outp, &rep); err != nil {
		return 0, err
	}
	n := 0
	for _, d := range rep.Diagnoses {
		n += d.Count
	}
	return n, nil
}
