package diagnose

import (
	"fmt"
	"strings"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/rules"
)

// Resolver maps what rules found to catalog entries.
type Resolver struct {
	cat *catalog.Catalog
	byQ map[string]*catalog.Entry
}

// NewResolver returns a Resolver over a catalog.
func NewResolver(cat *catalog.Catalog) *Resolver {
	r := &Resolver{cat: cat, byQ: map[string]*catalog.Entry{}}
	for _, e := range cat.Entries() {
		if e.Question != "" {
			r.byQ[e.Question] = e
		}
	}
	return r
}

// maxResolveText bounds how much of a record is searched for a message.
const maxResolveText = 8 << 10

// Resolve returns the entry a match names, or nil: by id; by code and
// message (the match's message first, then the record's text); by FAQ
// question; by a telling message alone.
func (r *Resolver) Resolve(m rules.Match) *catalog.Entry {
	if m.ID != "" {
		return r.cat.ByID(m.ID)
	}
	raw := ""
	if m.Event != nil {
		raw = m.Event.Raw
		if len(raw) > maxResolveText {
			raw = raw[:maxResolveText]
		}
	}
	if m.Code != "" {
		e, full := r.cat.Resolve(m.Code, m.Message)
		if full || raw == "" || raw == m.Message {
			return e
		}
		if e2, full2 := r.cat.Resolve(m.Code, raw); full2 || e == nil {
			return e2
		}
		return e
	}
	if m.Question != "" {
		return r.byQ[m.Question]
	}
	if m.Message != "" {
		return r.cat.ResolveMessage(m.Message)
	}
	return nil
}

// ResolveID is Resolve's id, or "" when nothing resolves: the form
// `wedadiag rules test` compares with a rule example's expectation.
func (r *Resolver) ResolveID(m rules.Match) string {
	if e := r.Resolve(m); e != nil {
		return e.ID
	}
	return ""
}

// ResolveAll resolves every match of one record into distinct entries. A
// FAQ entry that an error-code entry of the same record already links to
// (its answer is about that code) is folded into it: the code's diagnosis
// lists it as related instead of counting the record twice.
func (r *Resolver) ResolveAll(ms []rules.Match, dst []Found) []Found {
	start := len(dst)
	codeFound := false
	for i := range ms {
		// A message alone is the fallback for records whose code did not
		// resolve (or that print none): skip the lookup when a code did.
		if codeFound && ms[i].ID == "" && ms[i].Code == "" && ms[i].Question == "" {
			continue
		}
		e := r.Resolve(ms[i])
		if e != nil && e.Kind == catalog.KindErrorCode && ms[i].Code != "" {
			codeFound = true
		}
		if e == nil {
			continue
		}
		dup := false
		for _, f := range dst[start:] {
			if f.Entry == e {
				dup = true
				break
			}
		}
		if !dup {
			dst = append(dst, Found{Entry: e, Match: &ms[i]})
		}
	}
	out := dst[:start]
	for _, f := range dst[start:] {
		if f.Entry.Kind == catalog.KindSymptom && relatedTo(dst[start:], f.Entry.ID) {
			continue
		}
		out = append(out, f)
	}
	return out
}

func relatedTo(found []Found, faqID string) bool {
	for _, f := range found {
		if f.Entry.Kind != catalog.KindErrorCode {
			continue
		}
		for _, id := range f.Entry.Related {
			if id == faqID {
				return true
			}
		}
	}
	return false
}

// Found is one entry a record revealed, with the match that revealed it.
type Found struct {
	Entry *catalog.Entry
	Match *rules.Match
}

// CompileRules compiles rule files (the built-in ones first, by the
// caller) and checks what they yield against the catalog: a rule that
// yields an id the catalog lacks is a fault at the id's position, with the
// closest ids suggested. Faults of both kinds come back together as
// rules.Faults.
func CompileRules(cat *catalog.Catalog, files ...rules.File) (*rules.Set, error) {
	set, err := rules.Compile(files...)
	if err != nil {
		return nil, err
	}
	var faults rules.Faults
	for _, r := range set.Rules() {
		if r.YieldID == "" || cat.ByID(r.YieldID) != nil {
			continue
		}
		msg := fmt.Sprintf("yield id %q is not in the catalog (see `wedadiag catalog`)", r.YieldID)
		if s := cat.Suggest(r.YieldID, 3); len(s) > 0 {
			msg += "; did you mean " + strings.Join(s, ", ")
		}
		faults = append(faults, rules.Fault{File: r.File, Line: r.YieldLine, Col: r.YieldCol, Rule: r.ID, Msg: msg})
	}
	if len(faults) > 0 {
		return nil, faults
	}
	return set, nil
}

// LoadRules compiles the built-in rules with the rule files that paths
// name added to them (rules.LoadFiles: globs allowed, later files override
// by id) and checks them against cat: what `scan`, `run` and every reload
// load.
func LoadRules(cat *catalog.Catalog, paths []string) (*rules.Set, error) {
	files, err := rules.LoadFiles(paths)
	if err != nil {
		return nil, err
	}
	set, err := CompileRules(cat, append(rules.Builtin(), files...)...)
	if err != nil {
		return nil, fmt.Errorf("rules:\n%w", err)
	}
	return set, nil
}
