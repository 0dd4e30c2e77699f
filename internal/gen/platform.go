package gen

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/record"
	"github.com/wedadiag/wedadiag/rules"
)

// platformRule is the rule of a platform entry that shows in logs other
// than by its code in a code position: a literal the platform prints, or
// a status with literals that make it specific. Records that carry one of
// the entry's unless_codes are left to that code's entry.
func platformRule(e *catalog.Entry) builtinRule {
	r := builtinRule{
		ID:          e.ID,
		Description: "platform code " + e.Code + ": " + e.TitleEn,
		Yield:       map[string]string{"id": e.ID},
	}
	var terms []string
	for _, m := range e.Match {
		if m.Text != "" {
			terms = append(terms, "has("+strconv.Quote(m.Text)+")")
			continue
		}
		var with []string
		for _, w := range m.With {
			with = append(with, "has("+strconv.Quote(w)+")")
		}
		terms = append(terms, fmt.Sprintf("Status == %d && (%s)", m.Status, strings.Join(with, " || ")))
	}
	// Only records above info level: a literal in an INFO or DEBUG line is
	// talk about the failure, not the failure.
	r.When = `Level != "debug" && Level != "info" && (` + strings.Join(terms, " || ") + `)`
	if len(e.UnlessCodes) > 0 {
		r.Codes = append(r.Codes, e.UnlessCodes...)
		var not []string
		for _, c := range e.UnlessCodes {
			not = append(not, strconv.Quote(c)+" in Codes")
		}
		r.When += ` && !(` + strings.Join(not, " || ") + `)`
	}
	return r
}

// platformNegatives are records that mention platform codes without
// being errors: a code inside an id, in an INFO line, in docs text. The
// code rule must diagnose none of them.
var platformNegatives = []string{
	`2024-06-21T08:00:01.000+08:00 INFO [order] created order ord-504003-7f2a for user 1001`,
	`{"level":"error","msg":"retrying","traceId":"trace-504003","attempt":2}`,
	`2024-06-21T08:00:02.000+08:00 INFO [docs] on DATABASE_PERMISSION_DENIED check the collection's security rules`,
	`2024-06-21T08:00:03.000+08:00 DEBUG [auth] retry policy for AuthFailure.SignatureExpire set to 1`,
	`{"level":"info","msg":"http","code":433,"path":"/api/v1/orders"}`,
}

// placePlatformExamples puts each example of each platform entry under the
// rule that diagnoses it: the code rule when the example carries the code,
// else the entry's own rule. An example that no rule resolves to its
// entry, or that also yields another diagnosis, is an error: the data and
// the engine must agree before the file is written.
func placePlatformExamples(cat *catalog.Catalog, rs []builtinRule) error {
	var buf bytes.Buffer
	if err := yaml.NewEncoder(&buf).Encode(map[string]any{"rules": rs}); err != nil {
		return err
	}
	files := []rules.File{}
	for _, f := range rules.Builtin() {
		if f.Name != "builtin/catalog.yaml" {
			files = append(files, f)
		}
	}
	files = append(files, rules.File{Name: BuiltinRulesPath, Data: buf.Bytes()})
	set, err := rules.Compile(files...)
	if err != nil {
		return fmt.Errorf("generated rules do not compile:\n%w", err)
	}
	index := map[string]int{}
	for i, r := range rs {
		index[r.ID] = i
	}
	m := set.NewMatcher()
	res := diagnose.NewResolver(cat)
	var bad []string
	for _, e := range cat.Platform() {
		for _, ex := range e.Examples {
			rec := record.Record{Source: "example", Text: []byte(ex), Lines: strings.Count(ex, "\n") + 1, End: int64(len(ex))}
			out := m.Match(&rec)
			found := res.ResolveAll(out.Matches, nil)
			if len(found) != 1 || found[0].Entry != e {
				var got []string
				for _, f := range found {
					got = append(got, f.Entry.ID)
				}
				bad = append(bad, fmt.Sprintf("%s:%d: entry %q: example %q diagnoses %v, want only %s", e.File, e.Line, e.ID, ex, got, e.ID))
				continue
			}
			i, ok := index[found[0].Match.Rule]
			if !ok {
				bad = append(bad, fmt.Sprintf("%s:%d: entry %q: example %q is diagnosed by rule %q outside the generated file", e.File, e.Line, e.ID, ex, found[0].Match.Rule))
				continue
			}
			rs[i].Examples = append(rs[i].Examples, builtinExample{Input: ex, Want: e.ID})
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%d platform examples fail:\n%s", len(bad), strings.Join(bad, "\n"))
	}
	for i := range rs {
		if e := cat.ByID(rs[i].ID); e != nil && e.Source == catalog.SourcePlatform && len(rs[i].Examples) == 0 {
			bad = append(bad, fmt.Sprintf("%s:%d: entry %q: no example shows its match rule (a status or text without the code)", e.File, e.Line, e.ID))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%d platform rules lack an example:\n%s", len(bad), strings.Join(bad, "\n"))
	}
	for i := range rs {
		switch {
		case rs[i].ID == "weda-error-code":
			for _, n := range platformNegatives {
				rs[i].Examples = append(rs[i].Examples, builtinExample{Input: n})
			}
		case cat.ByID(rs[i].ID) != nil && cat.ByID(rs[i].ID).Source == catalog.SourcePlatform:
			rs[i].Examples = append(rs[i].Examples,
				builtinExample{Input: `2024-06-21T08:00:00.000+08:00 INFO [weda-runtime] page /pages/home/index rendered in 412ms, errors=0`},
				builtinExample{Input: `2024-06-21T08:00:00.000+08:00 INFO [scf] retry policy: a task timed out after 3 seconds is retried once; memory=256MB statusCode=433`})
		}
	}
	return nil
}
