package catalog

import (
	"strings"
	"sync"
)

// codeIndex maps lower-cased codes, and their last dotted part, to the
// codes they spell; built on first use.
type codeIndex struct {
	once   sync.Once
	exact  map[string][]string // lower-cased code → codes
	suffix map[string][]string // lower-cased last part(s) → codes
	ids    map[string]string   // lower-cased id → id
}

// LookupCode finds the rows of a code as a person types it: exactly, then
// ignoring case, then by the code without its prefix
// (FlexdbResourceOverdue for FailedOperation.FlexdbResourceOverdue,
// flexdbresourceoverdue too). canonical is the code as the catalog spells
// it; when a prefix-less name fits several codes, all their rows come back
// and canonical is "".
func (c *Catalog) LookupCode(q string) (rows []*Entry, canonical string) {
	q = strings.TrimSpace(q)
	if r := c.ByCode(q); len(r) > 0 {
		return r, q
	}
	ix := c.index()
	lq := strings.ToLower(stripSeparators(q))
	codes := ix.exact[lq]
	if len(codes) == 0 {
		codes = ix.suffix[lq]
	}
	for _, code := range codes {
		rows = append(rows, c.byCode[code]...)
	}
	if len(codes) == 1 {
		canonical = codes[0]
	}
	return rows, canonical
}

// LookupID finds an entry by id, ignoring case.
func (c *Catalog) LookupID(q string) *Entry {
	if e := c.ByID(q); e != nil {
		return e
	}
	if id, ok := c.index().ids[strings.ToLower(strings.TrimSpace(q))]; ok {
		return c.byID[id]
	}
	return nil
}

func (c *Catalog) index() *codeIndex {
	ix := &c.ix
	ix.once.Do(func() {
		ix.exact, ix.suffix, ix.ids = map[string][]string{}, map[string][]string{}, map[string]string{}
		add := func(m map[string][]string, k, code string) {
			for _, have := range m[k] {
				if have == code {
					return
				}
			}
			m[k] = append(m[k], code)
		}
		for code := range c.byCode {
			lc := strings.ToLower(code)
			add(ix.exact, lc, code)
			// Every tail after a dot: AuthFailure.SignatureExpire → signatureexpire;
			// FnError.HTTP.InvalidURL → http.invalidurl, invalidurl.
			for i := strings.IndexByte(lc, '.'); i >= 0; {
				tail := lc[i+1:]
				if tail != "" {
					add(ix.suffix, tail, code)
				}
				j := strings.IndexByte(tail, '.')
				if j < 0 {
					break
				}
				i += j + 1
			}
		}
		for id := range c.byID {
			ix.ids[strings.ToLower(id)] = id
		}
	})
	return ix
}
