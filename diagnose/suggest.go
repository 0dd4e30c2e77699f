package diagnose

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/rules"
)

// Suggestion is a rule-file skeleton made from unmatched templates.
type Suggestion struct {
	// File is the rule file: one custom entry and one rule with examples
	// per template kept.
	File []byte
	// Kept counts the templates in File; Skipped lists why the others are
	// not (no specific literal, or their skeleton did not pass its
	// examples).
	Kept    int
	Skipped []string
}

// maskRe finds what Template masked, and runs of redaction stars: a rule
// cannot look for those.
var maskRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`<(?:s|n|id|uuid|time)>|\*{3,}`) })

// minSuggestLiteral is the shortest literal a suggested rule looks for.
const minSuggestLiteral = 6

// Suggest turns unmatched templates into a rule file to edit: per
// template, a custom entry (id custom/<words of the template>, its message
// part with the masked values as {0}, {1}, … placeholders, a title and a
// remedy to write) and a rule that finds the template's most specific
// literal and yields the entry, with the template's sample as the example
// that must match and a line without the literal as one that must not.
// Each skeleton is compiled with base and its examples run before it is
// kept, so the file passes `wedadiag rules check` and `rules test` as
// written.
func Suggest(base *catalog.Catalog, us []Unmatched) (*Suggestion, error) {
	out := &Suggestion{}
	var items [][]byte
	used := map[string]bool{}
	for i, u := range us {
		if u.Template == overflowTemplate || strings.TrimSpace(u.Sample) == "" {
			continue
		}
		lit := suggestLiteral(u)
		if lit == "" {
			out.Skipped = append(out.Skipped, fmt.Sprintf("%q: no literal of %d bytes or more to look for", u.Template, minSuggestLiteral))
			continue
		}
		slug := slugOf(lit, i+1, used)
		var item []byte
		for _, withMessage := range []bool{true, false} {
			b := suggestItem(u, lit, slug, withMessage)
			if checkSuggestion(base, b) == nil {
				item = b
				break
			}
		}
		if item == nil {
			out.Skipped = append(out.Skipped, fmt.Sprintf("%q: its skeleton does not pass its own examples", u.Template))
			continue
		}
		used[slug] = true
		items = append(items, item)
	}
	out.Kept = len(items)
	out.File = joinSuggestion(items, len(us))
	if err := checkSuggestion(base, out.File); err != nil {
		return nil, fmt.Errorf("suggested rules do not pass their examples: %w", err)
	}
	return out, nil
}

// suggestLiteral picks what the rule looks for: the longest literal run
// of the template's message part, else of the template, that the sample
// holds verbatim.
func suggestLiteral(u Unmatched) string {
	for _, t := range []string{u.Message, u.Template} {
		best := ""
		for _, seg := range maskRe().Split(t, -1) {
			seg = strings.TrimSpace(strings.Trim(strings.TrimSpace(seg), `,:;=`))
			if len(seg) < minSuggestLiteral || len(seg) <= len(best) || !strings.Contains(u.Sample, seg) || !hasLetter(seg) {
				continue
			}
			best = seg
		}
		if best != "" {
			if len(best) > 200 {
				best = strings.ToValidUTF8(best[:200], "")
			}
			return best
		}
	}
	return ""
}

func hasLetter(s string) bool {
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x2E7F {
			return true
		}
	}
	return false
}

var slugWord = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[a-z0-9]+`) })

// slugOf makes an id slug from the literal's ASCII words, unique among
// used.
func slugOf(lit string, n int, used map[string]bool) string {
	words := slugWord().FindAllString(strings.ToLower(lit), -1)
	var b strings.Builder
	for _, w := range words {
		if b.Len()+len(w) > 40 {
			break
		}
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		b.WriteString(w)
	}
	slug := b.String()
	if slug == "" {
		slug = "unmatched-" + strconv.Itoa(n)
	}
	for k, s := 2, slug; ; k++ {
		if !used[s] {
			return s
		}
		s = fmt.Sprintf("%s-%d", slug, k)
	}
}

// placeholders turns a template's masks into {0}, {1}, … .
func placeholders(t string) string {
	n := 0
	return maskRe().ReplaceAllStringFunc(t, func(string) string {
		n++
		return "{" + strconv.Itoa(n-1) + "}"
	})
}

type suggestEntry struct {
	ID       string `yaml:"id"`
	Message  string `yaml:"message,omitempty"`
	Title    string `yaml:"title"`
	TitleEn  string `yaml:"title_en"`
	Remedy   string `yaml:"remedy"`
	RemedyEn string `yaml:"remedy_en"`
	Severity string `yaml:"severity"`
}

type suggestRule struct {
	ID          string            `yaml:"id"`
	Description string            `yaml:"description"`
	When        string            `yaml:"when"`
	Yield       map[string]string `yaml:"yield"`
	Examples    []suggestExample  `yaml:"examples"`
}

type suggestExample struct {
	Input string `yaml:"input"`
	Want  string `yaml:"want"`
}

// suggestItem writes one template's entry and rule as a rule file.
func suggestItem(u Unmatched, lit, slug string, withMessage bool) []byte {
	id := catalog.CustomPrefix + slug
	e := suggestEntry{
		ID:       id,
		Title:    "待确认：" + lit,
		TitleEn:  "To confirm: " + lit,
		Remedy:   fmt.Sprintf("TODO：写下处理办法（%d 条记录，样例见规则 custom-%s 的 examples）", u.Count, slug),
		RemedyEn: fmt.Sprintf("TODO: say what to do (%d records; the sample is in rule custom-%s's examples)", u.Count, slug),
		Severity: "error",
	}
	if withMessage {
		m := u.Message
		if m == "" {
			m = u.Template
		}
		e.Message = placeholders(m)
	}
	neg := "2024-01-01 00:00:00 INFO all is well"
	if strings.Contains(neg, lit) {
		neg = "-"
	}
	r := suggestRule{
		ID:          "custom-" + slug,
		Description: fmt.Sprintf("suggested from %d unmatched records: %s", u.Count, u.Template),
		When:        "has(" + strconv.Quote(lit) + ")",
		Yield:       map[string]string{"id": id},
		Examples:    []suggestExample{{Input: u.Sample, Want: id}, {Input: neg, Want: ""}},
	}
	doc := struct {
		Entries []suggestEntry `yaml:"entries"`
		Rules   []suggestRule  `yaml:"rules"`
	}{[]suggestEntry{e}, []suggestRule{r}}
	b, err := yaml.Marshal(doc)
	if err != nil {
		return nil
	}
	return b
}

// joinSuggestion merges one-item rule files into one, under a header.
func joinSuggestion(items [][]byte, templates int) []byte {
	var entries, rs strings.Builder
	for _, it := range items {
		var doc struct {
			Entries yaml.Node `yaml:"entries"`
			Rules   yaml.Node `yaml:"rules"`
		}
		if yaml.Unmarshal(it, &doc) != nil {
			continue
		}
		for _, part := range []struct {
			n  *yaml.Node
			sb *strings.Builder
		}{{&doc.Entries, &entries}, {&doc.Rules, &rs}} {
			b, err := yaml.Marshal(part.n)
			if err != nil {
				continue
			}
			for _, line := range strings.SplitAfter(string(b), "\n") {
				if line != "" {
					part.sb.WriteString("  " + line)
				}
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Suggested by `wedadiag rules suggest` from %d unmatched error templates (%d kept).\n", templates, len(items))
	b.WriteString("# Edit each entry's title and remedy (and severity), narrow each rule's `when`,\n")
	b.WriteString("# then check it: wedadiag rules test THIS_FILE. Schema: docs/rules.md.\n")
	if len(items) == 0 {
		b.WriteString("entries: []\nrules: []\n")
		return []byte(b.String())
	}
	b.WriteString("entries:\n" + entries.String() + "rules:\n" + rs.String())
	return []byte(b.String())
}

// checkSuggestion compiles a suggested rule file with base and runs its
// examples.
func checkSuggestion(base *catalog.Catalog, data []byte) error {
	k, err := Compile(base, rules.File{Name: "suggested.yaml", Data: data})
	if err != nil {
		return err
	}
	res := NewResolver(k.Catalog)
	for _, x := range rules.Test(k.Set, res.ResolveID) {
		if !x.Pass {
			return fmt.Errorf("rule %s: example at line %d wants %q, got %v", x.Rule, x.Line, x.Want, x.Got)
		}
	}
	return nil
}
