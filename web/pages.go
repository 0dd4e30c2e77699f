package web

import (
	"embed"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
)

//go:embed templates/*.html
var templateFS embed.FS

var tmpl = template.Must(template.New("").Funcs(template.FuncMap{
	"lines": func(s string) []string { return strings.Split(s, "\n") },
	"time": func(t *time.Time) string {
		if t == nil {
			return "-"
		}
		return t.Format("2006-01-02 15:04:05Z07:00")
	},
	"nofix": func(s string) bool { return strings.TrimSpace(s) == "-" },
}).ParseFS(templateFS, "templates/*.html"))

type pages struct{ o Options }

func newPages(o Options) *pages { return &pages{o: o} }

// words of the pages per language.
var pageWords = map[string]map[string]string{
	"zh": {
		"title": "wedadiag 诊断", "live": "当前诊断", "none": "窗口内未发现 WeDa 错误。",
		"count": "次数", "first": "首次", "last": "最近", "sources": "来源", "remedy": "操作建议",
		"related": "相关问题", "docs": "文档", "samples": "样例", "unmatched": "未识别的错误",
		"message": "错误信息", "question": "问题", "answer": "回答", "scene": "场景",
		"nofix": "FAQ 未给出操作建议", "other": "English", "otherlang": "en", "back": "返回",
		"notfound": "目录中没有这个条目", "choices": "这个错误码出现在多行中，需结合错误信息区分：", "codes": "相关错误码", "domain": "领域", "severity": "级别",
	},
	"en": {
		"title": "wedadiag diagnoses", "live": "Live diagnoses", "none": "No WeDa errors in the window.",
		"count": "Count", "first": "First seen", "last": "Last seen", "sources": "Sources", "remedy": "Remedy",
		"related": "Related FAQ", "docs": "Docs", "samples": "Samples", "unmatched": "Unmatched errors",
		"message": "Message", "question": "Question", "answer": "Answer", "scene": "Scene",
		"nofix": "the FAQ gives no action", "other": "中文", "otherlang": "zh", "back": "Back",
		"notfound": "no such catalog entry", "choices": "This code appears in several rows; the message tells them apart:", "codes": "Related codes", "domain": "Domain", "severity": "Severity",
	},
}

type statusData struct {
	W         map[string]string
	Lang      string
	Version   string
	Now       string
	Diagnoses []diagnose.Diagnosis
	Unmatched []diagnose.Unmatched
}

func (p *pages) status(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r, p.o.Lang())
	d := statusData{W: pageWords[lang], Lang: lang, Version: p.o.Version, Now: time.Now().UTC().Format(time.RFC3339)}
	if p.o.Diagnoses != nil {
		d.Diagnoses = p.o.Diagnoses(lang)
	}
	if p.o.Unmatched != nil {
		d.Unmatched = p.o.Unmatched(20)
	}
	p.render(w, "status.html", d)
}

type explainData struct {
	// Choices are the rows a code names when it names several.
	Choices []*catalog.Entry
	W       map[string]string
	Lang    string
	Entry   *catalog.Entry
	Title   string
	Remedy  string
	Related []*catalog.Entry
}

func (p *pages) explain(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r, p.o.Lang())
	id := r.PathValue("id")
	var e *catalog.Entry
	if p.o.Catalog != nil {
		e = p.o.Catalog.LookupID(id)
		if e == nil {
			// /explain/<code>: a code, in any case, with or without its prefix.
			rows, _ := p.o.Catalog.LookupCode(id)
			if len(rows) == 1 {
				e = rows[0]
			} else if len(rows) > 1 {
				p.render(w, "explain.html", explainData{W: pageWords[lang], Lang: lang, Title: id, Choices: rows})
				return
			}
		}
	}
	if e == nil {
		w.WriteHeader(http.StatusNotFound)
		p.render(w, "explain.html", explainData{W: pageWords[lang], Lang: lang, Title: id})
		return
	}
	d := explainData{W: pageWords[lang], Lang: lang, Entry: e, Title: e.Title(lang), Remedy: e.Remedy(lang),
		Related: p.o.Catalog.Related(e)}
	p.render(w, "explain.html", d)
}

func (p *pages) render(w http.ResponseWriter, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := tmpl.ExecuteTemplate(w, name, data); err != nil && p.o.Logger != nil {
		p.o.Logger.Warn("render page", "page", name, "err", err)
	}
}
