package catalog

import (
	"strings"
	"sync"
)

// codeIndex maps lower-cased codes, and their last dotted part, to the
// codes they spell; built on first use. It holds the resolution index
// too, built apart on first use.
type codeIndex struct {
	once   sync.Once
	exact  map[string][]string // lower-cased code → codes
	suffix map[string][]string // lower-cased last part(s) → codes
	ids    map[string]string   // lower-cased id → id

	resOnce sync.Once
	res     resolveIndex
}

// resolveIndex is what ResolveCode and ResolveMessageIn need of the
// catalog, worked out once rather than for every record.
type resolveIndex struct {
	codes map[string]*codeRows // each code and alias as the catalog spells it
	// telling are the error-table rows with a message telling enough to
	// identify them without their code, and those messages, in file order.
	telling []tellingRow
}

type tellingRow struct {
	e     *Entry
	tmpls []template // literal ≥ minMessageBytes
}

// codeRows is one code's part of the resolution: its rows, the rows of
// the codes below it (rows first), the code normalised, its generic row,
// and for a code of many messages the best rows of the messages seen.
type codeRows struct {
	rows, all []*Entry
	ncode     string
	generic   *Entry
	memo      *rowsMemo // nil: ranking the rows costs less than a look-up
}

// rowsMemo remembers bestRows of a code for normalised messages: a log
// repeats few messages many times, and FailedOperation has a hundred rows.
// Ranking is a pure function of the message, so a remembered answer is
// the answer. It holds at most memoEntries messages of memoKeyBytes at
// most, and starts afresh when full.
type rowsMemo struct {
	mu sync.Mutex
	m  map[string]rowsFit
}

type rowsFit struct {
	rows []*Entry // shared: callers must not change it
	rank msgRank
}

const (
	// memoTemplates is how many messages a code's rows must have for
	// their ranking to be remembered.
	memoTemplates = 8
	memoEntries   = 512
	memoKeyBytes  = 1 << 10
)

// resolveIndex returns the resolution index, building it on first use.
func (c *Catalog) resolveIndex() *resolveIndex {
	ix := &c.ix
	ix.resOnce.Do(func() {
		ix.res.codes = make(map[string]*codeRows, len(c.byCode))
		for code, rows := range c.byCode {
			ix.res.codes[code] = c.newCodeRows(code, rows)
		}
		for _, e := range c.entries {
			// The platform tier's texts are matched by its own rules.
			if e.Kind != KindErrorCode || e.Source == SourcePlatform {
				continue
			}
			var ts []template
			for _, t := range e.tmpls {
				if t.literal >= minMessageBytes {
					ts = append(ts, t)
				}
			}
			if len(ts) > 0 {
				ix.res.telling = append(ix.res.telling, tellingRow{e: e, tmpls: ts})
			}
		}
	})
	return &ix.res
}

func (c *Catalog) newCodeRows(code string, rows []*Entry) *codeRows {
	// A new slice: rows is the catalog's own.
	all := append(append(make([]*Entry, 0, len(rows)+4), rows...), c.family(code)...)
	cr := &codeRows{rows: rows, all: all, ncode: normalize(code), generic: c.genericRow[baseCode(code)]}
	n := 0
	for _, e := range all {
		n += len(e.tmpls)
	}
	if n >= memoTemplates {
		cr.memo = &rowsMemo{m: map[string]rowsFit{}}
	}
	return cr
}

// codeRowsOf returns the resolution of a code, nil when the catalog does
// not know it.
func (c *Catalog) codeRowsOf(code string) *codeRows {
	if cr, ok := c.resolveIndex().codes[code]; ok {
		return cr
	}
	// Spelt with thousands separators: rare, worked out each time.
	rows := c.ByCode(code)
	if len(rows) == 0 {
		return nil
	}
	cr := c.newCodeRows(code, rows)
	cr.memo = nil
	return cr
}

// bestRows is bestRows(cr.all, norm), remembered for a code of many rows.
func (cr *codeRows) bestRows(norm string) ([]*Entry, msgRank) {
	if cr.memo == nil || norm == "" || len(norm) > memoKeyBytes {
		return bestRows(cr.all, norm)
	}
	m := cr.memo
	m.mu.Lock()
	fit, ok := m.m[norm]
	m.mu.Unlock()
	if ok {
		return fit.rows, fit.rank
	}
	rows, rank := bestRows(cr.all, norm)
	m.mu.Lock()
	if len(m.m) >= memoEntries {
		clear(m.m)
	}
	m.m[strings.Clone(norm)] = rowsFit{rows: rows, rank: rank}
	m.mu.Unlock()
	return rows, rank
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
