package rules

import (
	"strings"

	"github.com/expr-lang/expr/vm"
)

// namesFields reports whether an expression of the set's rules may read
// the Event's Fields map. A Matcher whose set has none has its parser
// leave the map unfilled (parse.Parser.SkipFieldMap): Event.Field still
// reads every field. The test is on the source text, so a string that
// merely holds the word only costs filling the map.
func (s *Set) namesFields() bool {
	for _, r := range s.rules {
		for _, p := range [...]*vm.Program{r.when, r.yield[0], r.yield[1], r.yield[2]} {
			if p != nil && strings.Contains(p.Source().String(), "Fields") {
				return true
			}
		}
	}
	return false
}
