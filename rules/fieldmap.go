package rules

import (
	"strings"

	"github.com/expr-lang/expr/vm"
)

// namesFields reports whether an expression that the set's rules run on
// the VM may read the Event's Fields map. A Matcher whose set has none has
// its parser leave the map unfilled (parse.Parser.SkipFieldMap): checks
// (check.go) read fields through Event.Field, which works either way. The
// test is on the source text, so a string that merely holds the word only
// costs filling the map.
func (s *Set) namesFields() bool {
	names := func(p *vm.Program) bool {
		return p != nil && strings.Contains(p.Source().String(), "Fields")
	}
	for _, r := range s.rules {
		if !r.namesFields {
			continue
		}
		// Only a rule whose source names Fields is compiled here (a
		// deferred one through its Once, which orders this read after
		// its compilation in another goroutine).
		r.ready()
		if r.check == nil && names(r.when) {
			return true
		}
		for i, p := range r.yield {
			if r.yieldCheck[i] == nil && names(p) {
				return true
			}
		}
	}
	return false
}
