package diagnose

import (
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/rules"
)

// Knowledge is what rule files make of the built-in catalog: the catalog
// with their custom entries (`entries:`) added, and the compiled rules.
type Knowledge struct {
	Catalog *catalog.Catalog
	Set     *rules.Set
}

// CustomCodeRule is the id of the rule that finds the codes of custom
// entries in code positions, as weda-error-code does for the catalog's.
const CustomCodeRule = "custom-error-code"

// customCodeFile is the name faults and listings give the rule file made
// for the custom codes.
const customCodeFile = "(custom entries' codes)"

// Compile reads the custom entries of files, adds them to base, compiles
// the rules of files (the built-in ones first, by the caller) with one more
// rule that finds the custom codes, and checks what the rules yield against
// the new catalog. Every fault of entries and rules comes back together, as
// rules.Faults.
func Compile(base *catalog.Catalog, files ...rules.File) (*Knowledge, error) {
	var faults rules.Faults
	var custom []*catalog.Entry
	for _, f := range files {
		if !f.HasEntries() {
			continue // a built-in file: no entries, no need to parse it for them
		}
		es, fs := catalog.ParseCustom(f.Name, f.Data)
		custom = append(custom, es...)
		faults = append(faults, entryFaults(fs)...)
	}
	cat, fs := base.WithCustom(custom)
	faults = append(faults, entryFaults(fs)...)
	all := files
	if len(cat.CustomCodes()) > 0 {
		all = append(files[:len(files):len(files)], rules.File{Name: customCodeFile, Data: customCodeRule(cat.Custom())})
	}
	set, err := rules.Compile(all...)
	var rf rules.Faults
	switch {
	case errors.As(err, &rf):
		faults = append(faults, rf...)
	case err != nil:
		return nil, err
	}
	if set != nil {
		faults = append(faults, yieldFaults(cat, set)...)
	}
	if len(faults) > 0 {
		return nil, sortFaults(faults, files)
	}
	return &Knowledge{Catalog: cat, Set: set}, nil
}

// Load compiles the built-in rules with the rule files that paths name
// added to them (rules.LoadFiles: globs allowed, later files override by
// id), their custom entries added to base: what `scan`, `run` and every
// reload load.
func Load(base *catalog.Catalog, paths []string) (*Knowledge, error) {
	files, err := rules.LoadFiles(paths)
	if err != nil {
		return nil, err
	}
	// The built-in rules alone compile to the set of the process
	// (rules.Default), built in the background since start-up when the
	// binary warms it (internal/warm).
	k, err := Compile(base, append(rules.Builtin(), files...)...)
	if err != nil {
		return nil, fmt.Errorf("rules:\n%w", err)
	}
	return k, nil
}

func entryFaults(fs []catalog.Fault) rules.Faults {
	out := make(rules.Faults, 0, len(fs))
	for _, f := range fs {
		msg := f.Msg
		if f.Entry != "" {
			msg = fmt.Sprintf("entry %q: %s", f.Entry, f.Msg)
		}
		out = append(out, rules.Fault{File: f.File, Line: f.Line, Col: f.Col, Msg: msg})
	}
	return out
}

// yieldFaults lists the rules that yield an id cat lacks, at the id, with
// the closest ids and how to define the entry.
func yieldFaults(cat *catalog.Catalog, set *rules.Set) rules.Faults {
	var faults rules.Faults
	for _, r := range set.Rules() {
		if r.YieldID == "" || cat.ByID(r.YieldID) != nil {
			continue
		}
		msg := fmt.Sprintf("yield id %q is not in the catalog (see `wedadiag catalog`)", r.YieldID)
		if s := cat.Suggest(r.YieldID, 3); len(s) > 0 {
			msg += "; did you mean " + strings.Join(s, ", ")
		}
		if strings.HasPrefix(r.YieldID, catalog.CustomPrefix) {
			msg += fmt.Sprintf("; to define it, add to a rule file: entries: [{id: %s, title: …, remedy: …}] (docs/rules.md)", r.YieldID)
		} else {
			msg += "; your own entries take ids custom/… and are defined under entries: in a rule file (docs/rules.md)"
		}
		faults = append(faults, rules.Fault{File: r.File, Line: r.YieldLine, Col: r.YieldCol, Rule: r.ID, Msg: msg})
	}
	return faults
}

func sortFaults(fs rules.Faults, files []rules.File) rules.Faults {
	order := map[string]int{}
	for i, f := range files {
		if _, ok := order[f.Name]; !ok {
			order[f.Name] = i
		}
	}
	out := make(rules.Faults, len(fs))
	copy(out, fs)
	// A stable insertion sort: fault lists are short.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && faultLess(out[j], out[j-1], order); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func faultLess(a, b rules.Fault, order map[string]int) bool {
	if oa, ob := order[a.File], order[b.File]; oa != ob {
		return oa < ob
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.Col < b.Col
}

// customCodeRule writes the rule that finds custom codes: the generated
// weda-error-code rule's condition and lookup over the custom vocabulary.
// Each code gets an example, so `rules test` shows it is found.
func customCodeRule(entries []*catalog.Entry) []byte {
	type example struct {
		Input string `yaml:"input"`
		Want  string `yaml:"want"`
	}
	type rule struct {
		ID          string            `yaml:"id"`
		Description string            `yaml:"description"`
		Codes       []string          `yaml:"codes"`
		When        string            `yaml:"when"`
		Yield       map[string]string `yaml:"yield"`
		Examples    []example         `yaml:"examples"`
	}
	var codes []string
	var examples []example
	for _, e := range entries {
		if e.Code == "" {
			continue
		}
		codes = append(codes, e.Code)
		examples = append(examples, example{Input: fmt.Sprintf(`{"level":"error","code":%q}`, e.Code), Want: e.ID})
	}
	doc := struct {
		Rules []rule `yaml:"rules"`
	}{[]rule{{
		ID:          CustomCodeRule,
		Description: "a code of a custom entry (entries: of a rule file), in a code position or named by a record above info level",
		Codes:       codes,
		When:        `len(Codes) > 0 && Level != "debug" && (Code in Codes || Level != "info")`,
		Yield:       map[string]string{"code": "bestCode()", "message": `ErrMessage != "" ? ErrMessage : Message`},
		Examples:    examples,
	}}}
	out, err := yaml.Marshal(doc)
	if err != nil {
		return nil // unreachable: plain strings
	}
	return out
}
