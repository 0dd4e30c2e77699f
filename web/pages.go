package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// contentSecurity is the policy of every page: scripts and styles come
// only from the daemon's own embedded files, so log text that slipped
// through as markup could not run.
const contentSecurity = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// pageTemplates are the pages' templates, parsed on first use: a command
// that serves no page pays nothing for them.
var pageTemplates = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").Funcs(template.FuncMap{
		"lines": func(s string) []string { return strings.Split(s, "\n") },
		"nofix": func(s string) bool { return strings.TrimSpace(s) == "-" },
		"join":  func(sep string, s []string) string { return strings.Join(s, sep) },
		"severities": func() []string {
			return []string{string(catalog.Critical), string(catalog.Error), string(catalog.Warning), "info"}
		},
	}).ParseFS(templateFS, "templates/*.html"))
})

type pages struct{ o Options }

func newPages(o Options) *pages { return &pages{o: o} }

// static serves the page's script and style sheet.
func static() http.Handler {
	sub, _ := fs.Sub(staticFS, "static") // the directory is embedded: no error
	return http.StripPrefix("/static/", http.FileServerFS(sub))
}

// pageWords are the words of the pages per language, made on first use
// (a map literal would be built at every start of every command).
var pageWords = sync.OnceValue(func() map[string]map[string]string {
	return map[string]map[string]string{
		"zh": {
			"title": "wedadiag 诊断", "live": "当前诊断", "none": "窗口内未发现 WeDa 错误。",
			"count": "次数", "first": "首次", "last": "最近", "sources": "来源", "remedy": "操作建议",
			"related": "相关问题", "docs": "文档", "samples": "样例", "unmatched": "未识别的错误",
			"message": "错误信息", "question": "问题", "answer": "回答", "scene": "场景",
			"nofix": "FAQ 未给出操作建议", "other": "English", "otherlang": "en", "back": "返回",
			"choices": "这个错误码出现在多行中，需结合错误信息区分：", "notfound": "目录中没有这个条目", "codes": "相关错误码", "domain": "领域", "severity": "级别",
			"updated": "更新于", "ago": "秒前", "refresh": "刷新", "auto": "每 %d 秒自动刷新", "noauto": "自动刷新已关闭",
			"health": "运行状态", "source": "来源", "files": "文件", "rate": "行/秒", "behind": "待处理",
			"lastrec": "最近记录", "receivers": "告警接收方", "queue": "队列", "lasterr": "最近错误", "lastsent": "最近发送",
			"noreceivers": "未配置接收方：只在本页和 /metrics 上显示诊断。", "config": "配置",
			"reloadok": "已加载", "reloadfail": "重新加载失败，仍使用之前的配置", "nofiles": "没有匹配的文件，仍在等待",
			"fromend": "首次启动时已存在的内容从文件末尾开始跟随，之前的内容不会读取（用 --from-start 读取已有内容）。",
			"search":  "按错误码或文字搜索", "filter": "筛选", "showing": "显示", "all": "全部",
			"match": "匹配方式", "matchrule": "规则", "matchtext": "文本", "score": "得分", "alts": "也可能是",
			"trend": "近一小时", "peak": "峰值", "permin": " 次/分", "offset": "偏移", "request": "请求 ID",
			"times": "时间按", "stream": "流", "nomatch": "没有符合筛选条件的诊断。", "template": "模板", "never": "—",
		},
		"en": {
			"title": "wedadiag diagnoses", "live": "Live diagnoses", "none": "No WeDa errors in the window.",
			"count": "Count", "first": "First seen", "last": "Last seen", "sources": "Sources", "remedy": "Remedy",
			"related": "Related FAQ", "docs": "Docs", "samples": "Samples", "unmatched": "Unmatched errors",
			"message": "Message", "question": "Question", "answer": "Answer", "scene": "Scene",
			"nofix": "the FAQ gives no action", "other": "中文", "otherlang": "zh", "back": "Back",
			"choices": "This code appears in several rows; the message tells them apart:", "notfound": "no such catalog entry", "codes": "Related codes", "domain": "Domain", "severity": "Severity",
			"updated": "Updated", "ago": "s ago", "refresh": "Refresh", "auto": "auto-refresh every %d s", "noauto": "auto-refresh off",
			"health": "Health", "source": "Source", "files": "Files", "rate": "Lines/s", "behind": "Behind",
			"lastrec": "Last record", "receivers": "Alert receivers", "queue": "Queue", "lasterr": "Last error", "lastsent": "Last sent",
			"noreceivers": "No receivers: diagnoses show here and on /metrics only.", "config": "Configuration",
			"reloadok": "loaded", "reloadfail": "reload failed; the previous configuration runs", "nofiles": "no file matches yet; still watching",
			"fromend": "Files found at the first start are followed from their end: what they held before is not read (--from-start reads it).",
			"search":  "Search code or text", "filter": "Filter", "showing": "showing", "all": "all",
			"match": "Matched by", "matchrule": "rule", "matchtext": "text", "score": "score", "alts": "Could also be",
			"trend": "last hour", "peak": "peak", "permin": "/min", "offset": "offset", "request": "request id",
			"times": "Times in", "stream": "stream", "nomatch": "No diagnosis matches the filter.", "template": "Template", "never": "—",
		},
	}
})

// filter is the status page's filter, from the query string (the form
// works without JavaScript; the script applies it as one types).
type filter struct {
	Severity, Domain, Source, Q string
}

func filterOf(r *http.Request) filter {
	q := r.URL.Query()
	return filter{Severity: q.Get("severity"), Domain: q.Get("domain"), Source: q.Get("source"), Q: strings.TrimSpace(q.Get("q"))}
}

// hides reports whether f hides a card whose searchable text is text.
func (f filter) hides(d *diagnose.Diagnosis, text string) bool {
	switch {
	case f.Severity != "" && d.Severity != f.Severity,
		f.Domain != "" && d.Domain != f.Domain,
		f.Source != "" && !slices.Contains(d.Sources, f.Source):
		return true
	}
	return f.Q != "" && !strings.Contains(strings.ToLower(text), strings.ToLower(f.Q))
}

// card is one diagnosis as the page shows it.
type card struct {
	diagnose.Diagnosis
	Resolution resolution
	Trend      trend
	Shown      []shownSample
	Hidden     bool
}

// resolution is how the diagnosis was reached and whose entry it is, read
// by its JSON names (match, score, alternatives, source) so the page shows
// them whenever the pipeline reports them.
type resolution struct {
	// Origin is whose words the title and remedy are: faq, platform or
	// custom (a user's rule file); the page marks the last two.
	Origin       string        `json:"source"`
	Match        string        `json:"match"`
	Score        float64       `json:"score"`
	Alternatives []alternative `json:"alternatives"`
}

type alternative struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Remedy string `json:"remedy"`
}

// shownSample is a sample with where it came from, its time in the page's
// zone.
type shownSample struct {
	diagnose.Sample
	When string
}

// trend is the inline chart of a diagnosis's last hour.
type trend struct {
	Bars       []bar
	Total, Max int64
}

type bar struct{ X, Y, H float64 }

// trendHeight is the chart's height in its own units (the viewBox).
const trendHeight = 24

func trendOf(counts []int64) trend {
	t := trend{}
	for _, n := range counts {
		t.Total += n
		t.Max = max(t.Max, n)
	}
	if t.Max == 0 {
		return t
	}
	for i, n := range counts {
		if n == 0 {
			continue
		}
		h := max(float64(n)/float64(t.Max)*trendHeight, 2)
		t.Bars = append(t.Bars, bar{X: float64(i), Y: trendHeight - h, H: h})
	}
	return t
}

// statusData is what status.html renders.
type statusData struct {
	W         map[string]string
	Lang      string
	Version   string
	Updated   time.Time
	Zone      string
	Health    *Health
	Cards     []card
	Visible   int
	Filter    filter
	Domains   []string
	Sources   []string
	Unmatched []diagnose.Unmatched
	// Every is how often the script refreshes the page, in seconds (0:
	// never): ?refresh=N, default 10.
	Every   int
	fmtTime func(time.Time) string
}

// refreshOf reads ?refresh=N (seconds, 0 turns it off; "30s" works too).
func refreshOf(r *http.Request) int {
	v := strings.TrimSuffix(r.URL.Query().Get("refresh"), "s")
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return defaultRefresh
	}
	return min(n, 3600)
}

// defaultRefresh is how often the status page refreshes, in seconds.
const defaultRefresh = 10

// At formats a time in the page's zone.
func (d *statusData) At(t *time.Time) string {
	if t == nil || t.IsZero() {
		return d.W["never"]
	}
	return d.fmtTime(*t)
}

// Short formats a time of the health strip: the time of day when it is
// today, else the date and minute.
func (d *statusData) Short(t *time.Time) string {
	if t == nil || t.IsZero() {
		return d.W["never"]
	}
	s, today := d.fmtTime(*t), d.fmtTime(d.Updated)
	if s[:10] == today[:10] {
		return s[11:]
	}
	return s[5:16]
}

// UpdatedAt is when the page was made, in its zone.
func (d *statusData) UpdatedAt() string { return d.fmtTime(d.Updated) }

// UpdatedISO is when the page was made, for the script.
func (d *statusData) UpdatedISO() string { return d.Updated.UTC().Format(time.RFC3339) }

// Rate formats a rate of lines per second.
func (d *statusData) Rate(x float64) string {
	switch {
	case x == 0:
		return "0"
	case x < 10:
		return fmt.Sprintf("%.1f", x)
	}
	return fmt.Sprintf("%.0f", x)
}

// Bytes formats a byte count.
func (d *statusData) Bytes(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
}

// Score formats a resolution's score.
func (d *statusData) Score(x float64) string { return fmt.Sprintf("%.2g", x) }

func (p *pages) location() *time.Location {
	if p.o.Location != nil {
		if l := p.o.Location(); l != nil {
			return l
		}
	}
	return time.Local
}

func (p *pages) statusData(r *http.Request) *statusData {
	lang := langOf(r, p.o.Lang())
	loc := p.location()
	now := time.Now()
	d := &statusData{
		W: pageWords()[lang], Lang: lang, Version: p.o.Version, Updated: now,
		Zone:    fmt.Sprintf("%s (UTC%s)", loc, now.In(loc).Format("-07:00")),
		Filter:  filterOf(r),
		Every:   refreshOf(r),
		fmtTime: func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04:05") },
	}
	if p.o.Health != nil {
		h := p.o.Health()
		h.Reload.Error = safeReloadError(h.Reload.Error)
		d.Health = &h
	}
	var diags []diagnose.Diagnosis
	if p.o.Diagnoses != nil {
		diags = p.o.Diagnoses(lang)
	}
	domains, sources := map[string]bool{}, map[string]bool{}
	for _, dg := range diags {
		c := card{Diagnosis: dg, Trend: trendOf(dg.Trend)}
		if raw, err := json.Marshal(dg); err == nil {
			_ = json.Unmarshal(raw, &c.Resolution) // fields it lacks stay empty
		}
		c.Shown = shownSamples(dg, d.fmtTime)
		c.Hidden = d.Filter.hides(&dg, searchText(&c))
		if !c.Hidden {
			d.Visible++
		}
		domains[dg.Domain] = true
		for _, s := range dg.Sources {
			sources[s] = true
		}
		d.Cards = append(d.Cards, c)
	}
	if d.Health != nil {
		for _, s := range d.Health.Sources {
			sources[s.Name] = true
		}
	}
	d.Domains, d.Sources = sortedKeys(domains), sortedKeys(sources)
	if p.o.Unmatched != nil {
		d.Unmatched = p.o.Unmatched(20)
	}
	return d
}

// searchText is what the server-side search looks in; the script searches
// the card's visible text, which holds the same.
func searchText(c *card) string {
	parts := []string{c.ID, c.Code, c.Title, c.Message, c.Remedy, c.Domain}
	parts = append(parts, c.Sources...)
	parts = append(parts, c.Related...)
	for _, s := range c.Shown {
		parts = append(parts, s.Text, s.Path, s.RequestID)
	}
	return strings.Join(parts, "\n")
}

func shownSamples(d diagnose.Diagnosis, fmtTime func(time.Time) string) []shownSample {
	var out []shownSample
	if len(d.SampleInfo) > 0 {
		for _, s := range d.SampleInfo {
			v := shownSample{Sample: s}
			if s.Time != nil {
				v.When = fmtTime(*s.Time)
			}
			out = append(out, v)
		}
		return out
	}
	for _, s := range d.Samples {
		out = append(out, shownSample{Sample: diagnose.Sample{Text: s}})
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		if k != "" {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// safeReloadError shows where a refused reload's faults are, never the
// configuration's content.
func safeReloadError(msg string) string {
	if msg == "" {
		return ""
	}
	return strings.TrimSpace(faultPositions(errString(msg)))
}

type errString string

func (e errString) Error() string { return string(e) }

func (p *pages) status(w http.ResponseWriter, r *http.Request) {
	p.render(w, "status.html", p.statusData(r))
}

// live serves the part of the status page that changes, for the script's
// refresh.
func (p *pages) live(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	p.render(w, "live", p.statusData(r))
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
	cat := p.o.Catalog
	if p.o.Catalogs != nil {
		cat = p.o.Catalogs()
	}
	if cat != nil {
		e = cat.LookupID(id)
		if e == nil {
			// /explain/<code>: a code, in any case, with or without its prefix.
			rows, _ := cat.LookupCode(id)
			if len(rows) == 1 {
				e = rows[0]
			} else if len(rows) > 1 {
				p.render(w, "explain.html", explainData{W: pageWords()[lang], Lang: lang, Title: id, Choices: rows})
				return
			}
		}
	}
	if e == nil {
		w.Header().Set("Content-Security-Policy", contentSecurity)
		w.WriteHeader(http.StatusNotFound)
		p.render(w, "explain.html", explainData{W: pageWords()[lang], Lang: lang, Title: id})
		return
	}
	d := explainData{W: pageWords()[lang], Lang: lang, Entry: e, Title: e.Title(lang), Remedy: e.Remedy(lang),
		Related: cat.Related(e)}
	p.render(w, "explain.html", d)
}

func (p *pages) render(w http.ResponseWriter, name string, data any) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", contentSecurity)
	h.Set("X-Content-Type-Options", "nosniff")
	if err := pageTemplates().ExecuteTemplate(w, name, data); err != nil && p.o.Logger != nil {
		p.o.Logger.Warn("render page", "page", name, "err", err)
	}
}
