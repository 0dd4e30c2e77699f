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
	// byMessage remembers ResolveMessageIn's rows by message.
	byMessage *fitMemo
}

type tellingRow struct {
	e     *Entry
	tmpls []template // literal ≥ minMessageBytes
}

// codeRows is one code's part of the resolution: its rows, the rows of
// the codes below it (rows first), the code normalised, its generic row,
// and the fits of the messages seen with it.
type codeRows struct {
	rows, all []*Entry
	ncode     string
	generic   *Entry
	memo      *fitMemo // nil for a code spelt with thousands separators
	firsts    *firstSegs
}

// messageFit is what ResolveCode works out from a code and a message
// alone: the message normalised and the rows it fits best (bestRows).
type messageFit struct {
	norm string
	rows []*Entry // shared: callers must not change it
	rank msgRank
}

// fitMemo remembers a code's messageFit by message: a log repeats few
// messages many times, and FailedOperation has a hundred rows. The fit is
// a pure function of the message, so a remembered one is the answer. It
// holds at most budget bytes of messages of at most memoKeyBytes each,
// and starts afresh when full.
type fitMemo struct {
	mu     sync.RWMutex
	m      map[string]messageFit
	bytes  int
	budget int
}

const (
	memoKeyBytes = 512
	// memoBytes bounds a code's memo, memoBytesMany one of a code whose
	// rows have memoManyTemplates messages or more.
	memoBytes         = 32 << 10
	memoBytesMany     = 256 << 10
	memoManyTemplates = 8
	// memoEntryBytes is what a remembered message costs besides its text
	// (map slot, headers): short messages are not free.
	memoEntryBytes = 96
)

// resolveIndex returns the resolution index, building it on first use.
func (c *Catalog) resolveIndex() *resolveIndex {
	ix := &c.ix
	ix.resOnce.Do(func() {
		byCode := c.t().byCode
		ix.res.codes = make(map[string]*codeRows, len(byCode))
		for code, rows := range byCode {
			ix.res.codes[code] = c.newCodeRows(code, rows)
		}
		ix.res.byMessage = &fitMemo{m: map[string]messageFit{}, budget: memoBytesMany}
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
	cr := &codeRows{rows: rows, all: all, ncode: normalize(code), generic: c.t().genericRow[baseCode(code)]}
	n := 0
	for _, e := range all {
		n += len(e.tmpls)
	}
	cr.firsts = newFirstSegs(all)
	cr.memo = &fitMemo{m: map[string]messageFit{}, budget: memoBytes}
	if n >= memoManyTemplates {
		cr.memo.budget = memoBytesMany
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

// fit returns the fit of msg to the code's rows, remembered.
func (cr *codeRows) fit(msg string) messageFit {
	if f, ok := cr.memo.lookup(msg); ok {
		return f
	}
	key := cr.memo.key(msg)
	norm := normalize(key)
	rows, rank := bestRowsOf(cr.all, norm, cr.firsts)
	f := messageFit{norm, rows, rank}
	cr.memo.store(key, f)
	return f
}

// lookup returns the fit remembered for msg.
func (m *fitMemo) lookup(msg string) (messageFit, bool) {
	if m == nil || msg == "" || len(msg) > memoKeyBytes {
		return messageFit{}, false
	}
	m.mu.RLock()
	f, ok := m.m[msg]
	m.mu.RUnlock()
	return f, ok
}

// key returns msg as store will keep it: a copy, since msg may be part of
// a record's buffer.
func (m *fitMemo) key(msg string) string {
	if m == nil || msg == "" || len(msg) > memoKeyBytes {
		return msg
	}
	return strings.Clone(msg)
}

// store remembers f as the fit of key (from m.key).
func (m *fitMemo) store(key string, f messageFit) {
	if m == nil || key == "" || len(key) > memoKeyBytes {
		return
	}
	size := len(key) + len(f.norm) + 8*len(f.rows) + memoEntryBytes
	m.mu.Lock()
	if m.bytes+size > m.budget {
		clear(m.m)
		m.bytes = 0
	}
	m.m[key] = f
	m.bytes += size
	m.mu.Unlock()
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
		rows = append(rows, c.t().byCode[code]...)
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
		for code := range c.t().byCode {
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
