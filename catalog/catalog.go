package catalog

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"sort"
	"strings"
	"sync"
)

//go:embed data/*.yaml
var embedded embed.FS

// Catalog is the loaded, validated knowledge base. It is immutable and safe
// for concurrent use.
type Catalog struct {
	entries []*Entry
	byID    map[string]*Entry
	// tabs are the lookups by code. Read them through t(): the built-in
	// catalog builds them on first use (lazy), as most runs that start
	// never look a code up (a scan of an empty file, --help, version).
	tabs *codeTables
	lazy *lazyTables // non-nil when tabs are built on first use
	ix   codeIndex
	text *lazyText
}

// codeTables index a catalog's entries by code.
type codeTables struct {
	byCode  map[string][]*Entry // code and aliases → entries, in file order
	generic map[string]bool
	// genericRow is the row a generic code's record falls back on when
	// its message fits none of the code's rows.
	genericRow map[string]*Entry
	genericID  map[string]string
	codes      []string // every code and alias, sorted
}

func newCodeTables() *codeTables {
	return &codeTables{byCode: map[string][]*Entry{}, generic: map[string]bool{},
		genericRow: map[string]*Entry{}, genericID: map[string]string{}}
}

// lazyTables is what the code tables of the built-in catalog are built
// from on first use.
type lazyTables struct {
	once    sync.Once
	generic []genericCode
}

// t returns the code tables, building them on first use when that was
// deferred.
func (c *Catalog) t() *codeTables {
	if l := c.lazy; l != nil {
		l.once.Do(c.buildCompiled)
	}
	return c.tabs
}

var loadDefault = sync.OnceValues(func() (*Catalog, error) {
	if compiledEntries == nil {
		// Built with -tags yamlsource (see catalog_yamlsource.go): no
		// compiled catalog, read the YAML.
		sub, err := fs.Sub(embedded, "data")
		if err != nil {
			return nil, err
		}
		return Load(sub)
	}
	return fromCompiled(compiledEntries, compiledGeneric)
})

// Default returns the catalog built into the binary, made once: from the
// Go values that `wedadiag generate catalog` compiles from data/*.yaml
// (catalog_gen.go; GoSource), so that start-up decodes no YAML.
func Default() (*Catalog, error) { return loadDefault() }

// fromCompiled makes the catalog of entries that GoSource wrote: loaded,
// validated, linked and compiled already; only the lookup maps are built,
// those by code on first use.
func fromCompiled(entries []Entry, generic []genericCode) (*Catalog, error) {
	c := &Catalog{tabs: newCodeTables(), lazy: &lazyTables{generic: generic}}
	c.entries = make([]*Entry, len(entries))
	c.byID = make(map[string]*Entry, len(entries))
	for i := range entries {
		e := &entries[i]
		c.entries[i] = e
		c.byID[e.ID] = e
	}
	c.text = &lazyText{entries: c.entries}
	return c, nil
}

// buildCompiled builds the code tables of a catalog made by fromCompiled.
// The generator checked the catalog as Load does (TestCompiledEqualsYAML
// holds the two equal), so the checks cannot fail here.
func (c *Catalog) buildCompiled() {
	for _, g := range c.lazy.generic {
		c.tabs.generic[g.Code] = true
		if g.Row != "" {
			c.tabs.genericID[g.Code] = g.Row
		}
	}
	errs := c.indexCodes()
	errs = append(errs, c.linkGeneric()...)
	if len(errs) > 0 {
		panic(fmt.Sprintf("catalog_gen.go does not link (run go generate ./catalog): %v", errors.Join(errs...)))
	}
}

func newCatalog() *Catalog {
	return &Catalog{byID: map[string]*Entry{}, tabs: newCodeTables()}
}

// lazyText is a text index built on first use: most runs (a scan whose
// records all carry codes, a catalog listing) never rank text.
type lazyText struct {
	once    sync.Once
	entries []*Entry
	ix      *TextIndex
}

func (t *lazyText) get() *TextIndex {
	t.once.Do(func() { t.ix = newTextIndex(t.entries) })
	return t.ix
}

// link indexes codes and checks cross references: related FAQ ids exist,
// related codes exist, generic codes exist.
func (c *Catalog) link() []error {
	errs := c.indexCodes()
	for _, e := range c.entries {
		for _, id := range e.Related {
			if r, ok := c.byID[id]; !ok || r.Kind != KindSymptom {
				errs = append(errs, fmt.Errorf("%s:%d: entry %q: related %q is not a FAQ entry", e.File, e.Line, e.ID, id))
			}
		}
		for _, code := range e.RelatedCodes {
			if _, ok := c.tabs.byCode[code]; !ok {
				errs = append(errs, fmt.Errorf("%s:%d: entry %q: related code %q is in no error table", e.File, e.Line, e.ID, code))
			}
		}
	}
	errs = append(errs, c.linkGeneric()...)
	for _, e := range c.entries {
		e.ctx = contextTerms(e)
	}
	// A FAQ entry that names a code makes the code's rows point back at
	// it; so does one whose log signal is a row's message (or part of it):
	// its answer is about that row.
	for _, e := range c.entries {
		for _, code := range e.RelatedCodes {
			for _, row := range c.tabs.byCode[code] {
				if !contains(row.Related, e.ID) {
					row.Related = append(row.Related, e.ID)
				}
			}
		}
		for _, s := range e.Signals {
			if s.Text == "" {
				continue
			}
			text := normalize(s.Text)
			for _, row := range c.entries {
				if row.Kind == KindErrorCode && strings.Contains(normalize(row.Message), text) && !contains(row.Related, e.ID) {
					row.Related = append(row.Related, e.ID)
				}
			}
		}
	}
	return errs
}

// indexCodes maps every code and alias to its rows, the FAQ tier first,
// and lists them sorted.
func (c *Catalog) indexCodes() []error {
	seen := map[string]bool{}
	for _, e := range c.entries {
		if e.Kind != KindErrorCode || e.Source == SourcePlatform {
			continue
		}
		for _, code := range e.Codes() {
			c.tabs.byCode[code] = append(c.tabs.byCode[code], e)
			if !seen[code] {
				seen[code] = true
				c.tabs.codes = append(c.tabs.codes, code)
			}
		}
	}
	// The FAQ tier first: the platform tier adds only codes it lacks.
	errs := c.linkPlatform(seen)
	sort.Strings(c.tabs.codes)
	return errs
}

// linkGeneric checks that generic codes exist and finds the rows they
// fall back on.
func (c *Catalog) linkGeneric() []error {
	var errs []error
	for code := range c.tabs.generic {
		if _, ok := c.tabs.byCode[code]; !ok {
			errs = append(errs, fmt.Errorf("generic-codes.yaml: %q is in no error table", code))
		}
	}
	for code, id := range c.tabs.genericID {
		e := c.byID[id]
		if e == nil || !contains(e.Codes(), code) {
			errs = append(errs, fmt.Errorf("generic-codes.yaml: row %q of %q is not a row of that code", id, code))
			continue
		}
		c.tabs.genericRow[code] = e
	}
	return errs
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func keys(m map[string]string) string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	sort.Strings(k)
	return strings.Join(k, ", ")
}

// Entries returns every entry: error-code rows in domain and row order,
// then FAQ entries in file order, then the platform tier in file order.
func (c *Catalog) Entries() []*Entry { return c.entries }

// ByID returns the entry with that id, or nil.
func (c *Catalog) ByID(id string) *Entry { return c.byID[id] }

// ByCode returns the rows of a code (or alias), exactly as spelled,
// case-sensitive: the FAQ tables' rows, or when they lack the code, the
// platform tier's entry. A numeric code may carry thousands separators.
func (c *Catalog) ByCode(code string) []*Entry {
	byCode := c.t().byCode
	if r, ok := byCode[code]; ok {
		return r
	}
	if n := stripSeparators(code); n != code {
		return byCode[n]
	}
	return nil
}

// Codes returns every code and alias of the error tables and of the
// platform tier, sorted.
func (c *Catalog) Codes() []string { return c.t().codes }

// IsGeneric reports whether a code is shared by every Tencent Cloud API
// (FailedOperation, InvalidParameter, …), so that only a matching message
// tells which row it is.
func (c *Catalog) IsGeneric(code string) bool { return c.t().generic[code] }

// Related returns the FAQ entries an error-code row links to.
func (c *Catalog) Related(e *Entry) []*Entry {
	var out []*Entry
	for _, id := range e.Related {
		if r := c.byID[id]; r != nil {
			out = append(out, r)
		}
	}
	return out
}

// Domains returns the error-table domains with their FAQ names.
func Domains() map[string]string { return copyMap(errorDomains) }

// Sections returns the FAQ sections with their headings.
func Sections() map[string]string { return copyMap(faqSections) }

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func stripSeparators(code string) string {
	if !strings.Contains(code, ",") {
		return code
	}
	s := strings.ReplaceAll(code, ",", "")
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && !(i == 0 && s[i] == '-') {
			return code
		}
	}
	return s
}

// BySignal returns the FAQ entries that list code (an error code or a
// numeric errCode) among their log signals.
func (c *Catalog) BySignal(code string) []*Entry {
	var out []*Entry
	for _, e := range c.entries {
		for _, s := range e.Signals {
			if s.Code != "" && s.Code == code || s.ErrCode != 0 && fmt.Sprint(s.ErrCode) == code {
				out = append(out, e)
				break
			}
		}
	}
	return out
}
