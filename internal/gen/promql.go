package gen

import (
	"fmt"
	"sort"
	"strings"
)

// promqlKeywords are the PromQL words that are not metric names:
// aggregation operators, modifiers and set operators.
var promqlKeywords = map[string]bool{
	"sum": true, "avg": true, "count": true, "min": true, "max": true, "group": true,
	"stddev": true, "stdvar": true, "topk": true, "bottomk": true, "quantile": true,
	"count_values": true, "limitk": true, "limit_ratio": true,
	"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true,
	"bool": true, "offset": true, "and": true, "or": true, "unless": true, "atan2": true,
	"inf": true, "nan": true,
}

// labelListKeywords are followed by a parenthesised list of label names.
var labelListKeywords = map[string]bool{
	"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true,
}

// metricNames returns the metric names a PromQL expression selects, sorted
// and without repeats. It is a lexer, not a parser (promtool checks the
// syntax): it skips strings, label matchers, ranges, numbers, functions,
// keywords and label lists, and what is left are metric names. A selector
// by __name__ is refused, since its metric could not be checked.
func metricNames(expr string) ([]string, error) {
	seen := map[string]bool{}
	depth := 0 // inside {…}
	i := 0
	skipSpace := func(j int) int {
		for j < len(expr) && strings.ContainsRune(" \t\r\n", rune(expr[j])) {
			j++
		}
		return j
	}
	for i < len(expr) {
		c := expr[i]
		switch {
		case c == '"' || c == '\'' || c == '`':
			j := i + 1
			for j < len(expr) && expr[j] != c {
				if expr[j] == '\\' && c != '`' {
					j++
				}
				j++
			}
			if j >= len(expr) {
				return nil, fmt.Errorf("unterminated string at offset %d", i)
			}
			i = j + 1
		case c == '{':
			depth++
			i++
		case c == '}':
			depth--
			i++
		case c == '[':
			j := strings.IndexByte(expr[i:], ']')
			if j < 0 {
				return nil, fmt.Errorf("unterminated range at offset %d", i)
			}
			i += j + 1
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(expr) && expr[i+1] >= '0' && expr[i+1] <= '9':
			for i < len(expr) && (isIdentByte(expr[i]) || expr[i] == '.') {
				i++
			}
		case isIdentStart(c):
			j := i
			for j < len(expr) && isIdentByte(expr[j]) {
				j++
			}
			word := expr[i:j]
			i = j
			if depth > 0 {
				if word == "__name__" {
					return nil, fmt.Errorf("a selector by __name__ names no metric that can be checked")
				}
				continue // a label name
			}
			next := skipSpace(i)
			lower := strings.ToLower(word)
			switch {
			case labelListKeywords[lower]:
				if next < len(expr) && expr[next] == '(' {
					k := strings.IndexByte(expr[next:], ')')
					if k < 0 {
						return nil, fmt.Errorf("unterminated label list at offset %d", next)
					}
					i = next + k + 1
				}
			case promqlKeywords[lower]:
			case next < len(expr) && expr[next] == '(':
				// a function call
			default:
				seen[word] = true
			}
		default:
			i++
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out, nil
}

func isIdentStart(c byte) bool {
	return c == '_' || c == ':' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isIdentByte(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

// checkNames fails when expr selects a metric outside allowed.
func checkNames(expr string, allowed map[string]bool) error {
	ns, err := metricNames(expr)
	if err != nil {
		return fmt.Errorf("%s: %w", expr, err)
	}
	for _, n := range ns {
		if !allowed[n] {
			return fmt.Errorf("%s: metric %q is not one the daemon exports", expr, n)
		}
	}
	return nil
}
