package catalog

import (
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/wedadiag/wedadiag/internal/yamlpos"
	"go.yaml.in/yaml/v3"
)

// Loading the catalog from its YAML files (data/*.yaml, or a user's
// directory): decoding, validation with file:line faults, and building
// entries. The built-in catalog is compiled from this path at build time
// (gosource.go) and read from Go values at run time (Default).

// Load reads and validates every *.yaml file at the top of fsys:
// errors-*.yaml (error-code rows), faq-*.yaml (FAQ entries),
// platform-*.yaml (the platform tier, see platform.go) and
// generic-codes.yaml. All faults are reported together, each as
// "file:line: message".
func Load(fsys fs.FS) (*Catalog, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	// Error tables in the FAQ's order, then the FAQ sections in its order.
	order := map[string]int{}
	for i, n := range []string{"errors-datasource", "errors-apis", "errors-flow", "errors-permission", "errors-workbench",
		"faq-practice", "faq-page", "faq-datasource", "faq-billing", "faq-platform", "faq-flow-permission",
		"faq-collaboration", "faq-provider"} {
		order[n+".yaml"] = i + 1
	}
	sort.SliceStable(names, func(i, j int) bool {
		oi, oj := order[names[i]], order[names[j]]
		if oi == 0 || oj == 0 {
			if oi != oj {
				return oi != 0
			}
			return names[i] < names[j]
		}
		return oi < oj
	})
	c := newCatalog()
	var errs []error
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		switch {
		case strings.HasPrefix(name, "errors-"):
			errs = append(errs, c.loadEntries(name, data, KindErrorCode)...)
		case strings.HasPrefix(name, "faq-"):
			errs = append(errs, c.loadEntries(name, data, KindSymptom)...)
		case strings.HasPrefix(name, "platform-"):
			errs = append(errs, c.loadPlatform(name, data)...)
		case name == "generic-codes.yaml":
			errs = append(errs, c.loadGeneric(name, data)...)
		default:
			errs = append(errs, fmt.Errorf("%s: unknown catalog file (want errors-*.yaml, faq-*.yaml, platform-*.yaml or generic-codes.yaml)", name))
		}
	}
	if len(errs) == 0 {
		errs = c.link()
	}
	if len(errs) == 0 {
		c.text = &lazyText{entries: c.entries}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// rawEntry is the YAML form of an Entry; unknown keys are refused.
type rawEntry struct {
	ID        string   `yaml:"id"`
	Domain    string   `yaml:"domain"`
	Row       int      `yaml:"row"`
	Code      string   `yaml:"code"`
	FAQCode   string   `yaml:"faq_code"`
	Aliases   []string `yaml:"aliases"`
	Message   string   `yaml:"message"`
	Messages  []string `yaml:"messages"`
	Advice    string   `yaml:"advice"`
	Cause     string   `yaml:"cause"`
	Scene     string   `yaml:"scene"`
	Interface string   `yaml:"interface"`
	MessageEn string   `yaml:"message_en"`
	Related   []string `yaml:"related"`

	Section      string   `yaml:"section"`
	SectionZh    string   `yaml:"section_zh"`
	SubsectionZh string   `yaml:"subsection_zh"`
	Question     string   `yaml:"question"`
	Answer       string   `yaml:"answer"`
	Attachment   string   `yaml:"attachment"`
	Docs         []string `yaml:"docs"`
	Loggable     *bool    `yaml:"loggable"`
	RelatedCodes []string `yaml:"related_codes"`
	Signals      []Signal `yaml:"signals"`

	Severity string `yaml:"severity"`
	TitleEn  string `yaml:"title_en"`
	RemedyEn string `yaml:"remedy_en"`
}

var idPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z][a-z-]*/[a-z0-9][a-z0-9-]*$`) })

func (c *Catalog) loadEntries(file string, data []byte, kind Kind) []error {
	return loadList(c, file, data, func(r rawEntry) (string, *Entry, []string) {
		e, problems := build(r, kind)
		return r.ID, e, problems
	})
}

// loadList reads a data file that is one YAML list of entries: each item is
// decoded strictly into an R and built into an Entry (build returns the
// raw id, the entry and what is wrong with it). Every fault is listed at
// its file and line; an entry with a fault or a repeated id is left out.
func loadList[R any](c *Catalog, file string, data []byte, build func(R) (string, *Entry, []string)) []error {
	items, err := listItems(file, data, "a list of entries")
	if err != nil {
		return []error{err}
	}
	var errs []error
	for _, item := range items {
		var raw R
		if err := decodeStrict(file, item, &raw); err != nil {
			errs = append(errs, err)
			continue
		}
		id, e, problems := build(raw)
		e.File, e.Line = file, item.Line
		for _, p := range problems {
			errs = append(errs, fmt.Errorf("%s:%d: entry %q: %s", file, item.Line, id, p))
		}
		if len(problems) > 0 {
			continue
		}
		if prev, ok := c.byID[e.ID]; ok {
			errs = append(errs, fmt.Errorf("%s:%d: duplicate id %q (first at %s:%d)", file, item.Line, e.ID, prev.File, prev.Line))
			continue
		}
		c.byID[e.ID] = e
		c.entries = append(c.entries, e)
	}
	return errs
}

// listItems reads a data file that is one YAML list and returns its items;
// a syntax error, an empty file or another shape is an error at its
// position (want names the shape expected).
func listItems(file string, data []byte, want string) ([]*yaml.Node, error) {
	root, err := yamlpos.Parse(file, data)
	if err != nil {
		return nil, err
	}
	if root == nil {
		return nil, fmt.Errorf("%s: empty file", file)
	}
	if root.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s:%d: want %s", file, root.Line, want)
	}
	return root.Content, nil
}

// decodeStrict checks one mapping node against v's type (unknown keys,
// wrong shapes, each fault at its file:line:col, all of them) and decodes
// it into v.
func decodeStrict(file string, n *yaml.Node, v any) error {
	if _, faults := yamlpos.Check(file, n, reflect.TypeOf(v).Elem(), "yaml"); len(faults) > 0 {
		return faults
	}
	return n.Decode(v)
}

// build turns a raw entry into an Entry and lists what is wrong with it.
func build(r rawEntry, kind Kind) (*Entry, []string) {
	var p []string
	need := func(field, v string) {
		if strings.TrimSpace(v) == "" {
			p = append(p, fmt.Sprintf("%s is empty", field))
		}
	}
	e := &Entry{
		ID: r.ID, Kind: kind, Domain: r.Domain, Severity: Severity(r.Severity),
		Row: r.Row, Code: r.Code, FAQCode: r.FAQCode, Aliases: r.Aliases,
		Message: r.Message, Messages: r.Messages, Advice: r.Advice, Cause: r.Cause, Scene: r.Scene,
		Interface: r.Interface, MessageEn: r.MessageEn, Related: r.Related,
		Section: r.Section, SectionZh: r.SectionZh, SubsectionZh: r.SubsectionZh,
		Question: r.Question, Answer: r.Answer, Attachment: r.Attachment, Docs: r.Docs,
		RelatedCodes: r.RelatedCodes, Signals: r.Signals,
		TitleEn: r.TitleEn, RemedyEn: r.RemedyEn, Source: SourceFAQ,
	}
	if !idPattern().MatchString(r.ID) {
		p = append(p, fmt.Sprintf("id %q: want <domain>/<kebab-slug> in lower-case ASCII", r.ID))
	}
	if e.Severity.Rank() > 2 {
		p = append(p, fmt.Sprintf("severity %q: want critical, error or warning", r.Severity))
	}
	need("title_en", r.TitleEn)
	need("remedy_en", r.RemedyEn)
	switch kind {
	case KindErrorCode:
		if _, ok := errorDomains[r.Domain]; !ok {
			p = append(p, fmt.Sprintf("domain %q: want one of %s", r.Domain, keys(errorDomains)))
		}
		if !strings.HasPrefix(r.ID, r.Domain+"/") {
			p = append(p, fmt.Sprintf("id %q does not start with its domain %q", r.ID, r.Domain))
		}
		if r.Row < 1 {
			p = append(p, "row must be 1 or more")
		}
		need("code", r.Code)
		need("message", r.Message)
		need("advice", r.Advice)
		need("message_en", r.MessageEn)
		if strings.ContainsAny(r.Code, " ,/") {
			p = append(p, fmt.Sprintf("code %q: one code, without separators (the FAQ's spelling goes to faq_code)", r.Code))
		}
		for _, a := range r.Aliases {
			if strings.ContainsAny(a, " ,/") || a == "" {
				p = append(p, fmt.Sprintf("alias %q: one code, without separators", a))
			}
		}
		if t, err := compileTemplate(r.Message); err != nil {
			p = append(p, "message: "+err.Error())
		} else {
			e.tmpl = t
		}
		p = append(p, checkMessages(r.Message, r.Messages)...)
		for i, m := range e.Alternatives() {
			t, err := compileTemplate(m)
			if err != nil {
				p = append(p, fmt.Sprintf("messages %d: %s", i+1, err))
				continue
			}
			e.tmpls = append(e.tmpls, t)
		}
		if err := samePlaceholders(r.Message, r.MessageEn); err != nil {
			p = append(p, "message_en: "+err.Error())
		}
		if r.Question != "" || r.Answer != "" || len(r.Signals) > 0 || r.Section != "" {
			p = append(p, "error-code rows take no question, answer, section or signals")
		}
	case KindSymptom:
		zh, ok := faqSections[r.Section]
		if !ok {
			p = append(p, fmt.Sprintf("section %q: want one of %s", r.Section, keys(faqSections)))
		} else if r.SectionZh != zh {
			p = append(p, fmt.Sprintf("section_zh %q: section %q is %q", r.SectionZh, r.Section, zh))
		}
		if !strings.HasPrefix(r.ID, "faq/") {
			p = append(p, fmt.Sprintf("id %q: FAQ ids start with faq/", r.ID))
		}
		e.Domain = r.Section
		need("question", r.Question)
		need("answer", r.Answer)
		if r.Loggable == nil {
			p = append(p, "loggable is missing (true or false)")
		} else {
			e.Loggable = *r.Loggable
		}
		if e.Loggable && len(r.Signals) == 0 {
			p = append(p, "loggable entries need signals")
		}
		if !e.Loggable && len(r.Signals) > 0 {
			p = append(p, "signals on an entry that is not loggable")
		}
		for i, s := range r.Signals {
			if msg := checkSignal(s); msg != "" {
				p = append(p, fmt.Sprintf("signal %d: %s", i+1, msg))
			}
		}
		for _, d := range r.Docs {
			if !strings.HasPrefix(d, "https://") && !strings.HasPrefix(d, "http://") {
				p = append(p, fmt.Sprintf("docs %q: want a URL", d))
			}
		}
		if r.Code != "" || r.Message != "" || r.Advice != "" {
			p = append(p, "FAQ entries take no code, message or advice (use related_codes)")
		}
	}
	return e, p
}

func checkSignal(s Signal) string {
	n := 0
	for _, set := range []bool{s.Code != "", s.Text != "", len(s.All) > 0, s.ErrCode != 0, s.Status != 0} {
		if set {
			n++
		}
	}
	switch {
	case n != 1:
		return "want exactly one of code, text, all, errcode, status"
	case s.Status != 0 && len(s.With) == 0:
		return "a status needs `with` literals that make it specific"
	case s.Status != 0 && (s.Status < 100 || s.Status > 999):
		return fmt.Sprintf("status %d is not an HTTP-like status", s.Status)
	case s.Status == 0 && len(s.With) > 0:
		return "`with` only goes with status"
	case strings.TrimSpace(s.Example) == "":
		return "example is empty"
	case strings.TrimSpace(s.Source) == "":
		return "source is empty"
	case s.Text != "" && len([]rune(strings.TrimSpace(s.Text))) < 4:
		return fmt.Sprintf("text %q is too short to be specific", s.Text)
	case len(s.Unless) > 0 && s.Status != 0:
		return "`unless` goes with code, text, all or errcode, not status"
	case len(s.All) == 1:
		return "`all` needs two or more literals (one is a text signal)"
	}
	if len(s.All) > 0 {
		n := 0
		for _, l := range s.All {
			r := len([]rune(strings.TrimSpace(l)))
			if r < 2 {
				return fmt.Sprintf("all: literal %q is too short", l)
			}
			n += r
		}
		if n < 5 {
			return fmt.Sprintf("all: %q together are too short to be specific", s.All)
		}
	}
	return ""
}

var placeholderRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{\d+\}|%[sd]`) })

// samePlaceholders checks that a translation keeps the original's
// placeholders.
func samePlaceholders(orig, tr string) error {
	a := placeholderRE().FindAllString(orig, -1)
	b := placeholderRE().FindAllString(tr, -1)
	sort.Strings(a)
	sort.Strings(b)
	if strings.Join(a, " ") != strings.Join(b, " ") {
		return fmt.Errorf("placeholders %v differ from the message's %v", b, a)
	}
	return nil
}

// genericCode is one item of generic-codes.yaml.
type genericCode struct {
	Code string `yaml:"code"`
	// Row is the id of the row that stands for the code when a record's
	// message fits none of its rows ("" for none: the code's first row
	// does, with the others as alternatives).
	Row string `yaml:"row"`
}

func (c *Catalog) loadGeneric(file string, data []byte) []error {
	items, err := listItems(file, data, "a list of {code, row}")
	if err != nil {
		return []error{err}
	}
	var errs []error
	for _, item := range items {
		var g genericCode
		if err := decodeStrict(file, item, &g); err != nil {
			errs = append(errs, err)
			continue
		}
		if g.Code == "" {
			errs = append(errs, fmt.Errorf("%s:%d: code is empty", file, item.Line))
			continue
		}
		c.tabs.generic[g.Code] = true
		if g.Row != "" {
			c.tabs.genericID[g.Code] = g.Row
		}
	}
	return errs
}
