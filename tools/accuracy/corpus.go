package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/wedadiag/wedadiag/catalog"
)

// Kinds of labelled records.
const (
	kindCoded   = "coded"   // carries an error-table row's message (and usually its code)
	kindSymptom = "symptom" // shows a FAQ question's problem
	// kindPlatform: see platform.go.
)

// Label says what one record of the corpus must be diagnosed as.
type Label struct {
	File    string   `json:"file"`
	Line    int      `json:"line"`   // 1-based, first line of the record
	Offset  int64    `json:"offset"` // byte offset of its first byte
	End     int64    `json:"end"`    // just past its last newline
	Kind    string   `json:"kind"`
	Format  string   `json:"format"`
	Primary string   `json:"primary"` // the row or question it was written for
	Accept  []string `json:"accept"`  // every id that is a right diagnosis
	Text    string   `json:"-"`
}

// file is one corpus file being written.
type file struct {
	name   string
	buf    bytes.Buffer
	lines  int
	benign int // benign lines
}

func (f *file) add(text string) (line int, off, end int64) {
	line, off = f.lines+1, int64(f.buf.Len())
	f.buf.WriteString(text)
	f.buf.WriteByte('\n')
	f.lines += strings.Count(text, "\n") + 1
	return line, off, int64(f.buf.Len())
}

// Corpus is the generated corpus: its files and labels.
type Corpus struct {
	Files  map[string]*file
	Labels []Label
}

// BenignLines counts the benign lines of every file.
func (c *Corpus) BenignLines() int {
	n := 0
	for _, f := range c.Files {
		n += f.benign
	}
	return n
}

// Generate builds the corpus from a seed and the catalog entries.
func Generate(seed uint64, entries []*catalog.Entry, benignFiles int) *Corpus {
	entries = faqEntries(entries)
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	c := &Corpus{Files: map[string]*file{}}
	byID := map[string]*catalog.Entry{}
	for _, e := range entries {
		byID[e.ID] = e
	}
	gens := map[string]*gen{}
	get := func(name string) (*file, *gen) {
		f, ok := c.Files[name]
		if !ok {
			f = &file{name: name + ".log"}
			c.Files[name] = f
			gens[name] = &gen{r: rand.New(rand.NewPCG(seed, uint64(len(gens))+1)), now: time.Date(2024, 6, 21, 8, 0, 0, 0, time.UTC)}
		}
		return f, gens[name]
	}
	benign := func(fm *format, n int) {
		f, g := get(fm.Name)
		for range n {
			var s string
			switch {
			case fm.Benign != nil && g.r.IntN(3) > 0:
				s = fm.Benign(g)
			case fm.Codes == codeNeeded || fm.Codes == rawOnly:
				s = fmt.Sprintf("%s INFO %s", g.local(), benignMsg(g))
			default:
				s = fm.Render(g, pick(g.r, "info", "info", "debug"), "", benignMsg(g))
			}
			f.add(s)
			f.benign++
		}
	}
	// add writes a few benign lines, then the record that render writes.
	add := func(fm *format, render func(g *gen) string, kind, primary string, accept []string) {
		benign(fm, 2+r.IntN(10))
		f, g := get(fm.Name)
		if e := byID[primary]; e != nil && kind == kindCoded {
			g.opEn, g.opZh = opContext(e)
		}
		text := render(g)
		g.opEn, g.opZh = "", ""
		line, off, end := f.add(text)
		c.Labels = append(c.Labels, Label{File: f.name, Line: line, Offset: off, End: end,
			Kind: kind, Format: fm.Name, Primary: primary, Accept: accept, Text: text})
	}
	var withCode, msgOnly, anyText []*format
	for i := range formats {
		fm := &formats[i]
		switch fm.Codes {
		case codeNeeded:
			withCode = append(withCode, fm)
		case codeOptional:
			withCode = append(withCode, fm)
			anyText = append(anyText, fm)
		case messageOnly:
			msgOnly = append(msgOnly, fm)
			anyText = append(anyText, fm)
		}
	}
	// Round-robin over shuffled formats, so every format gets records.
	next := func(list []*format, k *int) *format {
		if *k%len(list) == 0 {
			r.Shuffle(len(list), func(i, j int) { list[i], list[j] = list[j], list[i] })
		}
		fm := list[*k%len(list)]
		*k++
		return fm
	}
	var kc, km, ks int
	for _, ec := range errorCases(entries) {
		e := ec.Entry
		// Twice with the row's code, once with each alias.
		codes := []string{e.Code, e.Code}
		if e.Code == "" {
			codes = nil
		}
		codes = append(codes, e.Aliases...)
		for _, code := range codes {
			fm := next(withCode, &kc)
			accept := acceptSet(entries, code, ec.Msg)
			if !slices.Contains(accept, e.ID) {
				accept = append(accept, e.ID)
			}
			add(fm, func(g *gen) string { return fm.Render(g, "error", code, fill(g.r, ec.Msg)) }, kindCoded, e.ID, accept)
		}
		if distinctive(ec.Msg) {
			fm := next(msgOnly, &km)
			add(fm, func(g *gen) string { return fm.Render(g, "error", "", fill(g.r, ec.Msg)) }, kindCoded, e.ID, acceptSet(entries, "", ec.Msg))
		}
	}
	for _, s := range symptoms {
		accept := append([]string{s.ID}, s.Also...)
		for _, p := range s.Phrases {
			for range 2 {
				fm := next(anyText, &ks)
				add(fm, func(g *gen) string { return fm.Render(g, "error", "", p) }, kindSymptom, s.ID, accept)
			}
		}
		for _, raw := range s.Raw {
			add(formatByName(raw.Format), func(g *gen) string {
				t := g.tick()
				return strings.NewReplacer("{ts}", t.Format("2006-01-02 15:04:05"), "{clf}", t.Format("02/Jan/2006:15:04:05 -0700"),
					"{rid}", g.rid()).Replace(raw.Text)
			}, kindSymptom, s.ID, accept)
		}
	}
	for _, pc := range platformCases {
		for range 2 {
			list, k := anyText, &ks
			if pc.Code != "" {
				list, k = withCode, &kc
			}
			fm := next(list, k)
			add(fm, func(g *gen) string { return fm.Render(g, "error", pc.Code, pc.Msg) }, kindPlatform, "platform:"+pc.Name, nil)
		}
	}
	for i := range formats {
		benign(&formats[i], 20) // a benign tail after the last record
	}
	addBenignFiles(c, get, entries, benignFiles)
	return c
}

// Write writes the corpus files and labels.tsv into dir.
func (c *Corpus) Write(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	for _, f := range c.Files {
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, f.buf.Bytes(), 0o644); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b strings.Builder
	b.WriteString("file\tline\toffset\tend\tkind\tformat\tprimary\taccept\n")
	for _, l := range c.Labels {
		fmt.Fprintf(&b, "%s\t%d\t%d\t%d\t%s\t%s\t%s\t%s\n", l.File, l.Line, l.Offset, l.End, l.Kind, l.Format, l.Primary, strings.Join(l.Accept, ","))
	}
	return paths, os.WriteFile(filepath.Join(dir, "labels.tsv"), []byte(b.String()), 0o644)
}

// faqEntries keeps the FAQ's own entries: the corpus is written for the FAQ's
// rows and questions; platform look-alikes are cases of their own, scored
// apart, whatever tier later diagnoses them.
func faqEntries(entries []*catalog.Entry) []*catalog.Entry {
	var out []*catalog.Entry
	for _, e := range entries {
		if e.Source == "" || e.Source == catalog.SourceFAQ {
			out = append(out, e)
		}
	}
	return out
}
