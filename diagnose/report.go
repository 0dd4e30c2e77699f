package diagnose

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/internal/textutil"
)

// Report is the result of a scan: the object `scan --format json` prints.
type Report struct {
	Files     []string    `json:"files"`
	Lines     int64       `json:"lines"`
	Records   int64       `json:"records"`
	Diagnoses []Diagnosis `json:"diagnoses"`
	Unmatched []Unmatched `json:"unmatched"`
	// BadRecords counts records that were not clean, per reason
	// (invalid_utf8, nul_bytes, broken_json, line_too_long); they were
	// still diagnosed as far as they could be read.
	BadRecords map[string]int64 `json:"bad_records,omitempty"`
}

// WriteJSON writes r as one indented JSON object.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// words are the labels of the text and markdown reports per language.
type words struct {
	summary                                    string
	remedy, related, docs, samples, seen, noFx string
	unmatched, none, domain, sources, count    string
	bad                                        string
	platform                                   string // marks remedies written by wedadiag
	textMatch, alternatives                    string
	message                                    string // an unmatched template's message part
}

var vocab = map[string]words{
	"zh": {
		summary: "%d 个文件，%d 行，%d 条记录：%d 项诊断，%d 类未识别的错误",
		remedy:  "操作建议", related: "相关问题", docs: "文档", samples: "样例", seen: "首次/最近",
		noFx:      "FAQ 未给出操作建议",
		unmatched: "未识别的错误（可能是新的错误码）", none: "未发现 WeDa 错误。",
		domain: "领域", sources: "来源", count: "次数", bad: "异常记录",
		platform:  catalog.PlatformMarker["zh"],
		textMatch: "匹配方式: 文本相似度（非精确匹配），得分 %.1f", alternatives: "也可能是",
		message: "信息:",
	},
	"en": {
		summary: "%d files, %d lines, %d records: %d diagnoses, %d unmatched error templates",
		remedy:  "Remedy", related: "Related FAQ", docs: "Docs", samples: "Samples", seen: "First/last seen",
		noFx:      "the FAQ gives no action",
		unmatched: "Unmatched errors (maybe new codes)", none: "No WeDa errors found.",
		domain: "Domain", sources: "Sources", count: "Count", bad: "Bad records",
		platform:  catalog.PlatformMarker["en"],
		textMatch: "match: text similarity (not an exact match), score %.1f", alternatives: "Could also be",
		message: "message:",
	},
}

func wordsFor(lang string) words {
	if w, ok := vocab[lang]; ok {
		return w
	}
	return vocab["zh"]
}

// ANSI colours, used only when the caller says the output is a terminal.
var sevColour = map[string]string{"critical": "\x1b[1;31m", "error": "\x1b[31m", "warning": "\x1b[33m"}

const reset = "\x1b[0m"

// WriteText writes r for a terminal, grouped by severity; colour adds ANSI
// colours.
func (r *Report) WriteText(w io.Writer, lang string, colour bool) error {
	v := wordsFor(lang)
	p := &printer{w: w}
	p.printf(v.summary+"\n", len(r.Files), r.Lines, r.Records, len(r.Diagnoses), len(r.Unmatched))
	if b := r.badSummary(); b != "" {
		p.printf("%s: %s\n", v.bad, b)
	}
	if len(r.Diagnoses) == 0 {
		p.printf("\n%s\n", v.none)
	}
	sev := ""
	for _, d := range r.Diagnoses {
		if d.Severity != sev {
			sev = d.Severity
			head := strings.ToUpper(sev)
			if colour {
				head = sevColour[sev] + head + reset
			}
			p.printf("\n%s\n", head)
		}
		name := d.Code
		if name == "" {
			name = d.ID
		}
		if colour {
			name = "\x1b[1m" + name + reset
		}
		p.printf("\n  %s  ×%d  [%s · %s]  %s\n", name, d.Count, d.Domain, domainZh(d), strings.Join(d.Sources, ", "))
		p.printf("    %s\n", indent(d.Title, "    "))
		if d.FirstSeen != nil {
			p.printf("    %s: %s / %s\n", v.seen, d.FirstSeen.Format("2006-01-02T15:04:05Z07:00"), d.LastSeen.Format("2006-01-02T15:04:05Z07:00"))
		}
		p.printf("    %s: %s\n", v.remedy, indent(remedyText(d, v), "      "))
		if d.Match == MatchText {
			p.printf("    "+v.textMatch+"\n", d.Score)
		}
		for _, a := range d.Alternatives {
			p.printf("    %s: %s  %s\n", v.alternatives, a.ID, oneLine(a.Title, 100))
		}
		for _, q := range d.Related {
			p.printf("    %s: %s\n", v.related, q)
		}
		for _, doc := range d.Docs {
			p.printf("    %s: %s\n", v.docs, doc)
		}
		for _, s := range d.Samples {
			p.printf("    > %s\n", indent(oneLine(s, 300), "      "))
		}
		p.printf("    id: %s\n", d.ID)
	}
	if len(r.Unmatched) > 0 {
		p.printf("\n%s\n", v.unmatched)
		for _, u := range r.Unmatched {
			p.printf("  %6d  %s\n", u.Count, u.Template)
			if u.Message != "" && !strings.Contains(u.Template, u.Message) {
				p.printf("          %s %s\n", v.message, u.Message)
			}
		}
	}
	return p.err
}

// WriteMarkdown writes r as Markdown that fits a ticket or a WeCom robot
// message: headings, bold, lists, inline code and quotes only.
func (r *Report) WriteMarkdown(w io.Writer, lang string) error {
	v := wordsFor(lang)
	p := &printer{w: w}
	p.printf("# wedadiag\n\n"+v.summary+"\n", len(r.Files), r.Lines, r.Records, len(r.Diagnoses), len(r.Unmatched))
	if len(r.Diagnoses) == 0 {
		p.printf("\n%s\n", v.none)
	}
	sev := ""
	for _, d := range r.Diagnoses {
		if d.Severity != sev {
			sev = d.Severity
			p.printf("\n## %s\n", sev)
		}
		name := d.Code
		if name == "" {
			name = d.ID
		}
		p.printf("\n### `%s` ×%d\n\n", name, d.Count)
		p.printf("**%s**\n\n", mdEscape(oneLine(d.Title, 500)))
		p.printf("- %s: %s (%s)\n", v.domain, d.Domain, domainZh(d))
		if len(d.Sources) > 0 {
			p.printf("- %s: %s\n", v.sources, strings.Join(d.Sources, ", "))
		}
		if d.FirstSeen != nil {
			p.printf("- %s: %s / %s\n", v.seen, d.FirstSeen.Format("2006-01-02T15:04:05Z07:00"), d.LastSeen.Format("2006-01-02T15:04:05Z07:00"))
		}
		p.printf("- **%s**: %s\n", v.remedy, mdEscape(oneLine(remedyText(d, v), 2000)))
		if d.Match == MatchText {
			p.printf("- "+v.textMatch+"\n", d.Score)
		}
		for _, a := range d.Alternatives {
			p.printf("- %s: `%s` %s\n", v.alternatives, a.ID, mdEscape(oneLine(a.Title, 200)))
		}
		for _, q := range d.Related {
			p.printf("- %s: %s\n", v.related, mdEscape(q))
		}
		for _, doc := range d.Docs {
			p.printf("- %s: [%s](%s)\n", v.docs, doc, doc)
		}
		for _, s := range d.Samples {
			p.printf("\n> %s\n", mdEscape(oneLine(s, 300)))
		}
		p.printf("\n`%s`\n", d.ID)
	}
	if len(r.Unmatched) > 0 {
		p.printf("\n## %s\n\n", v.unmatched)
		for _, u := range r.Unmatched {
			p.printf("- ×%d `%s`\n", u.Count, strings.ReplaceAll(u.Template, "`", "'"))
			if u.Message != "" && !strings.Contains(u.Template, u.Message) {
				p.printf("  %s `%s`\n", v.message, strings.ReplaceAll(u.Message, "`", "'"))
			}
		}
	}
	return p.err
}

// badSummary lists the bad-record counts, "broken_json 2, nul_bytes 1".
func (r *Report) badSummary() string {
	var keys []string
	for k, n := range r.BadRecords {
		if n > 0 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, r.BadRecords[k]))
	}
	return strings.Join(parts, ", ")
}

func remedyText(d Diagnosis, v words) string {
	if strings.TrimSpace(d.Remedy) == "-" {
		return "- (" + v.noFx + ")"
	}
	if d.Source == catalog.SourcePlatform {
		return d.Remedy + " [" + v.platform + "]"
	}
	return d.Remedy
}

func domainZh(d Diagnosis) string {
	if d.Entry != nil {
		return d.Entry.DomainZh()
	}
	if z, ok := catalog.Domains()[d.Domain]; ok {
		return z
	}
	return d.Domain
}

// oneLine folds text onto one line and cuts it to n bytes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	return textutil.Cut(s, n)
}

func indent(s, pad string) string { return strings.ReplaceAll(s, "\n", "\n"+pad) }

// mdEscape keeps text from being read as Markdown structure.
func mdEscape(s string) string {
	r := strings.NewReplacer("*", `\*`, "_", `\_`, "`", "'", "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;", "#", `\#`)
	return r.Replace(s)
}

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) printf(format string, a ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, a...)
	}
}
