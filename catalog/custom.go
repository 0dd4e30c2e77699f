package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/wedadiag/wedadiag/internal/yamlpos"
	"go.yaml.in/yaml/v3"
)

// Info is the severity of custom entries that need no action soon.
const Info Severity = "info"

// CustomMarker says, per language, that a custom entry's text is the
// user's own.
var CustomMarker = map[string]string{
	"zh": "自定义条目（来自规则文件的 entries:）",
	"en": "custom entry — from a rule file's entries:",
}

// CustomPrefix starts the id of every custom entry.
const CustomPrefix = "custom/"

// customID is how a custom entry's id is spelled: custom/<kebab-slug>.
var customID = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^custom/[a-z0-9][a-z0-9-]*$`) })

// customKeys are the fields of a custom entry, in the order the docs list
// them.
var customKeys = []string{"id", "code", "message", "title", "title_en", "remedy", "remedy_en", "severity", "docs", "related"}

// CustomKeys returns the fields a custom entry may have.
func CustomKeys() []string { return slices.Clone(customKeys) }

// CustomSeverities returns the severities a custom entry may have.
func CustomSeverities() []string { return []string{"critical", "error", "warning", "info"} }

// Fault is one thing wrong with a custom entry, at a 1-based line and
// column of its rule file.
type Fault struct {
	File      string
	Line, Col int
	Entry     string // the entry's id, "" when it has none yet
	Msg       string
}

func (f Fault) String() string {
	if f.Entry != "" {
		return fmt.Sprintf("%s:%d:%d: entry %q: %s", f.File, f.Line, f.Col, f.Entry, f.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", f.File, f.Line, f.Col, f.Msg)
}

// ParseCustom reads the `entries:` list of a rule file into entries. It
// looks at nothing else in the file (the rules are package rules' job) and
// returns nothing for a file YAML cannot read, whose fault rules reports.
// Checks that need the catalog (related ids, codes the catalog already
// has, ids given twice) are WithCustom's.
func ParseCustom(file string, data []byte) ([]*Entry, []Fault) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil
	}
	top := doc.Content[0]
	var list *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "entries" {
			list = top.Content[i+1]
		}
	}
	if list == nil || list.Kind == yaml.ScalarNode && list.Tag == "!!null" {
		return nil, nil
	}
	var faults []Fault
	add := func(n *yaml.Node, id, format string, a ...any) {
		faults = append(faults, Fault{File: file, Line: n.Line, Col: n.Column, Entry: id, Msg: fmt.Sprintf(format, a...)})
	}
	if list.Kind != yaml.SequenceNode {
		add(list, "", "`entries:` must be a list of entries ({id: custom/…, title: …, remedy: …}), found %s", yamlpos.NodeKind(list))
		return nil, faults
	}
	var out []*Entry
	for _, n := range list.Content {
		e, fs := parseCustomEntry(file, n)
		faults = append(faults, fs...)
		if len(fs) == 0 {
			out = append(out, e)
		}
	}
	return out, faults
}

// customPos is where a custom entry and some of its fields are written.
type customPos struct {
	entry, code, related [2]int // line, column
}

// parseCustomEntry reads one entry of an `entries:` list.
func parseCustomEntry(file string, n *yaml.Node) (*Entry, []Fault) {
	var faults []Fault
	id := ""
	add := func(at *yaml.Node, format string, a ...any) {
		faults = append(faults, Fault{File: file, Line: at.Line, Col: at.Column, Entry: id, Msg: fmt.Sprintf(format, a...)})
	}
	if n.Kind != yaml.MappingNode {
		add(n, "an entry must be a mapping ({id: custom/…, title: …, remedy: …}), found %s", yamlpos.NodeKind(n))
		return nil, faults
	}
	for j := 0; j+1 < len(n.Content); j += 2 {
		if k, v := n.Content[j], n.Content[j+1]; k.Value == "id" && v.Kind == yaml.ScalarNode {
			id = v.Value
		}
	}
	e := &Entry{Source: SourceCustom, Domain: "custom", Severity: Error, File: file, Line: n.Line, Kind: KindSymptom,
		cpos: &customPos{entry: [2]int{n.Line, n.Column}}}
	e.cpos.code, e.cpos.related = e.cpos.entry, e.cpos.entry
	var title, remedy *yaml.Node
	seen := map[string]bool{}
	str := func(k, v *yaml.Node) (string, bool) {
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			add(v, "%s must be a string, found %s", k.Value, yamlpos.NodeKind(v))
			return "", false
		}
		return v.Value, true
	}
	for j := 0; j+1 < len(n.Content); j += 2 {
		k, v := n.Content[j], n.Content[j+1]
		if seen[k.Value] {
			add(k, "field %q given twice", k.Value)
			continue
		}
		seen[k.Value] = true
		switch k.Value {
		case "id":
			if s, ok := str(k, v); ok && !customID().MatchString(s) {
				add(v, "id %q: a custom entry's id is custom/ and a lower-case slug (custom/order-sync-timeout)", s)
			}
			e.ID = v.Value
		case "code":
			e.cpos.code = [2]int{v.Line, v.Column}
			if s, ok := str(k, v); ok {
				if !platformCode().MatchString(s) {
					add(v, "code %q: one code (Name.Sub, UPPER_SNAKE or a number)", s)
				}
				e.Code = s
			}
		case "message":
			if s, ok := str(k, v); ok {
				t, err := compileTemplate(s)
				if err != nil {
					add(v, "message: %v", err)
				}
				e.Message, e.tmpl, e.tmpls = s, t, []template{t}
			}
		case "title":
			if s, ok := str(k, v); ok {
				e.Meaning, title = s, v
			}
		case "title_en":
			if s, ok := str(k, v); ok {
				e.TitleEn = s
			}
		case "remedy":
			if s, ok := str(k, v); ok {
				e.Advice, remedy = s, v
			}
		case "remedy_en":
			if s, ok := str(k, v); ok {
				e.RemedyEn = s
			}
		case "severity":
			if s, ok := str(k, v); ok {
				if !slices.Contains(CustomSeverities(), s) {
					add(v, "severity %q: want one of %s", s, strings.Join(CustomSeverities(), ", "))
				}
				e.Severity = Severity(s)
			}
		case "docs":
			e.Docs = customList(k, v, add, func(s string) string {
				if !strings.HasPrefix(s, "https://") && !strings.HasPrefix(s, "http://") {
					return fmt.Sprintf("docs %q: want a URL", s)
				}
				return ""
			})
		case "related":
			e.cpos.related = [2]int{v.Line, v.Column}
			e.Related = customList(k, v, add, func(string) string { return "" })
		default:
			msg := fmt.Sprintf("unknown field %q (an entry has %s)", k.Value, strings.Join(customKeys, ", "))
			add(k, "%s", msg)
		}
	}
	if !seen["id"] {
		add(n, "missing id: custom/<slug>, the id a rule's yield names")
	}
	if title == nil || strings.TrimSpace(e.Meaning) == "" {
		add(n, "missing title: what the problem is, in a line")
	}
	if remedy == nil || strings.TrimSpace(e.Advice) == "" {
		add(n, "missing remedy: what to do about it")
	}
	if e.TitleEn == "" {
		e.TitleEn = e.Meaning
	}
	if e.RemedyEn == "" {
		e.RemedyEn = e.Advice
	}
	if e.Code != "" {
		e.Kind = KindErrorCode
	}
	return e, faults
}

func customList(k, v *yaml.Node, add func(*yaml.Node, string, ...any), check func(string) string) []string {
	if v.Kind != yaml.SequenceNode {
		add(v, "%s must be a list of strings, found %s", k.Value, yamlpos.NodeKind(v))
		return nil
	}
	var out []string
	for _, x := range v.Content {
		if x.Kind != yaml.ScalarNode || x.Tag == "!!null" {
			add(x, "%s entries must be strings, found %s", k.Value, yamlpos.NodeKind(x))
			continue
		}
		if msg := check(x.Value); msg != "" {
			add(x, "%s", msg)
			continue
		}
		out = append(out, x.Value)
	}
	return out
}

// WithCustom returns a catalog holding c's entries and the custom ones
// after them; c is not changed. A custom entry may not reuse an id, nor a
// code that c already explains (explain that code's own entry instead, or
// write a rule that yields the custom id), and its related ids must exist.
// Faults name the entry's position in its rule file.
func (c *Catalog) WithCustom(custom []*Entry) (*Catalog, []Fault) {
	if len(custom) == 0 {
		return c, nil
	}
	ct := c.t()
	out := &Catalog{
		entries: slices.Clone(c.entries),
		byID:    make(map[string]*Entry, len(c.byID)+len(custom)),
		tabs: &codeTables{
			byCode:  make(map[string][]*Entry, len(ct.byCode)+len(custom)),
			generic: ct.generic,
			codes:   slices.Clone(ct.codes),
			// Custom entries take no part in generic rows or the text index.
			genericRow: ct.genericRow,
			genericID:  ct.genericID,
		},
		text: c.text,
	}
	for k, v := range c.byID {
		out.byID[k] = v
	}
	for k, v := range ct.byCode {
		out.tabs.byCode[k] = v
	}
	var faults []Fault
	fault := func(e *Entry, at func(*customPos) [2]int, format string, a ...any) {
		pos := [2]int{e.Line, 1}
		if e.cpos != nil {
			pos = at(e.cpos)
		}
		faults = append(faults, Fault{File: e.File, Line: pos[0], Col: pos[1], Entry: e.ID, Msg: fmt.Sprintf(format, a...)})
	}
	atEntry := func(p *customPos) [2]int { return p.entry }
	atCode := func(p *customPos) [2]int { return p.code }
	atRelated := func(p *customPos) [2]int { return p.related }
	codeOwner := map[string]*Entry{}
	for _, e := range custom {
		if prev, ok := out.byID[e.ID]; ok {
			fault(e, atEntry, "id given to the entry at %s:%d too: custom ids are unique across rule files", prev.File, prev.Line)
			continue
		}
		if e.Code != "" {
			if rows := ct.byCode[e.Code]; len(rows) > 0 {
				fault(e, atCode, "code %s is already explained by %s (see `wedadiag explain %s`); to tell it apart, drop code and write a rule whose yield is {id: %s}", e.Code, rows[0].ID, e.Code, e.ID)
				continue
			}
			if prev, ok := codeOwner[e.Code]; ok {
				fault(e, atCode, "code %s is given to %s too (%s:%d)", e.Code, prev.ID, prev.File, prev.Line)
				continue
			}
		}
		bad := false
		for _, r := range e.Related {
			if c.byID[r] == nil && !containsID(custom, r) {
				fault(e, atRelated, "related %q is not a catalog id (see `wedadiag catalog`)", r)
				bad = true
			}
		}
		if bad {
			continue
		}
		out.byID[e.ID] = e
		out.entries = append(out.entries, e)
		if e.Code != "" {
			codeOwner[e.Code] = e
			out.tabs.byCode[e.Code] = []*Entry{e}
			out.tabs.codes = append(out.tabs.codes, e.Code)
		}
	}
	sort.Strings(out.tabs.codes)
	return out, faults
}

func containsID(es []*Entry, id string) bool {
	for _, e := range es {
		if e.ID == id {
			return true
		}
	}
	return false
}

// Custom returns the custom entries, in rule-file order.
func (c *Catalog) Custom() []*Entry {
	var out []*Entry
	for _, e := range c.entries {
		if e.Source == SourceCustom {
			out = append(out, e)
		}
	}
	return out
}

// CustomCodes returns the codes of the custom entries, sorted: the
// vocabulary of the rule that finds them in code positions.
func (c *Catalog) CustomCodes() []string {
	var out []string
	for _, e := range c.Custom() {
		if e.Code != "" {
			out = append(out, e.Code)
		}
	}
	sort.Strings(out)
	return out
}

// writeCustomText renders a custom entry for a terminal.
func (c *Catalog) writeCustomText(b *strings.Builder, e *Entry, lang string, line func(label, text string)) {
	en := lang == "en"
	label := func(zh, eng string) string {
		if en {
			return eng
		}
		return zh
	}
	head := e.ID
	if e.Code != "" {
		head = e.Code + "  [" + string(e.Severity) + " · custom]  " + e.ID
	} else {
		head += "  [" + string(e.Severity) + " · custom]"
	}
	fmt.Fprintln(b, head)
	line(label("来源", "Source"), CustomMarker[map[bool]string{true: "en", false: "zh"}[en]])
	line(label("标题", "Title"), e.Title(lang))
	line(label("错误信息", "Message"), e.Message)
	line(label("操作建议", "Remedy"), e.Remedy(lang))
	for _, r := range c.Related(e) {
		line(label("相关", "Related"), r.Title(lang)+"  ("+r.ID+")")
	}
	for _, d := range e.Docs {
		line(label("文档", "Docs"), d)
	}
	line(label("定义于", "Defined in"), fmt.Sprintf("%s:%d", e.File, e.Line))
}

// CustomFieldDoc documents one field of a custom entry, for docs/rules.md.
type CustomFieldDoc struct{ Name, Type, Required, Doc string }

// CustomFields documents every field of a custom entry, in the order of
// CustomKeys (a test keeps the two the same).
func CustomFields() []CustomFieldDoc {
	return []CustomFieldDoc{
		{"id", "string", "yes", "`custom/` and a lower-case slug (`custom/order-sync-timeout`): what a rule's `yield: {id: …}` names, the `id` label of metrics and alerts."},
		{"code", "string", "no", "A code of your own (`OrderSync.Timeout`, `ORDER_SYNC_TIMEOUT`, `-90001`). The built-in rule " + "`custom-error-code`" + " then finds it in code positions (or named by a record above info level) without a rule of yours. A code the catalog already explains is refused: write a rule that yields your id instead."},
		{"message", "string", "no", "The message the code prints, `{0}`, `{1}`, … for the parts that vary: it tells several entries of one code apart, and `explain` shows it."},
		{"title", "string", "yes", "The headline, in Chinese or any language: alert summary, status-page card, `explain`."},
		{"title_en", "string", "no", "The headline with `--lang en` / `lang: en` (default: title)."},
		{"remedy", "string", "yes", "What to do: the `remedy` annotation of alerts, the page, `scan`, `explain`."},
		{"remedy_en", "string", "no", "The remedy in English (default: remedy)."},
		{"severity", "string", "no", "critical, error (default), warning or info: the `severity` label."},
		{"docs", "list of URLs", "no", "Links shown with the remedy (your runbook)."},
		{"related", "list of ids", "no", "Catalog ids (FAQ, platform or custom) shown as related."},
	}
}
