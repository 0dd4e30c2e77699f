package notify

import (
	"bytes"
	"embed"
	"fmt"
	"net/url"
	"os"
	"strings"
	"text/template"
	"time"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/internal/textutil"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// Data is what a message template ("wecom", "dingtalk", "feishu" and their
// ".title" companions) is executed with: the alerts of one message to one
// receiver.
type Data struct {
	Receiver string
	// Status is "firing" when any alert of the message fires, else
	// "resolved".
	Status string
	// Alerts are the alerts shown in this message (part); Firing and
	// Resolved count those of the whole notification.
	Alerts   []AlertData
	Firing   int
	Resolved int
	// Part and Parts number the messages a long notification was split
	// into (1 and 1 when it fits one); Omitted counts alerts left out of
	// the last part.
	Part, Parts int
	Omitted     int
	// ExternalURL is the status page.
	ExternalURL string
	// Test marks the sample alert of `wedadiag alert test`.
	Test bool
}

// AlertData is one alert as templates see it; the annotation templates
// ("summary", "description", "remedy", "docs") are executed with it.
type AlertData struct {
	Status string // "firing" or "resolved"
	// Repeat is true when the alert was sent before and still fires.
	Repeat bool
	Test   bool
	// Labels.
	ID, Code, Domain, Severity, Source string
	// DomainName is the FAQ's name of the domain or section.
	DomainName string
	// Title is the FAQ's error message (error codes) or question
	// (symptoms), Message the error message alone, Remedy the FAQ's fix:
	// verbatim for zh, our translation for en.
	Title, Message, Remedy string
	// Docs are links from the entry and its related FAQ entries.
	Docs []string
	// Related are the FAQ questions related to an error code.
	Related []string
	Count   int64
	// Threshold occurrences within Window fire the alert; ResolveAfter
	// without one resolves it.
	Threshold    int
	Window       time.Duration
	ResolveAfter time.Duration
	StartsAt     time.Time
	EndsAt       time.Time // zero while firing
	LastAt       time.Time
	// Sample is the latest log record's text, cut to fit the message;
	// empty when there was no room (or no sample).
	Sample string
	// URL is the alert's page on the status page (generatorURL).
	URL string
	// Compact asks for the shortest form: title, labels, count and remedy.
	Compact bool
}

// templates is the parsed template set of one receiver.
type templates struct {
	t    *template.Template
	lang string
}

var funcs = template.FuncMap{
	"ts": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02 15:04:05 MST")
	},
	"hm": func(t time.Time) string { return t.Format("15:04:05") },
	"dur": func(d time.Duration) string {
		s := d.String()
		if strings.HasSuffix(s, "m0s") {
			s = s[:len(s)-2]
		}
		if strings.HasSuffix(s, "h0m") {
			s = s[:len(s)-2]
		}
		return s
	},
	// inline makes text safe inside a one-line `code` span of robot
	// markdown: no backticks, no line breaks.
	"inline": func(s string) string {
		s = strings.ReplaceAll(s, "`", "'")
		return strings.Join(strings.Fields(s), " ")
	},
	"join": strings.Join,
	"severityZh": func(s string) string {
		switch s {
		case "critical":
			return "严重"
		case "error":
			return "错误"
		case "warning":
			return "警告"
		}
		return s
	},
	"linkText": func(u string) string {
		p, err := url.Parse(u)
		if err != nil || p.Host == "" {
			return u
		}
		return p.Host + strings.TrimSuffix(p.Path, "/")
	},
}

// loadTemplates parses the embedded templates of a language, then the
// user's file (if any), whose {{define}} blocks replace the embedded ones,
// and checks that every template runs on a sample message.
func loadTemplates(lang, file string) (*templates, error) {
	t, err := template.New(lang).Funcs(funcs).Option("missingkey=error").ParseFS(templateFS, "templates/"+lang+".tmpl")
	if err != nil {
		return nil, fmt.Errorf("embedded templates: %w", err)
	}
	if file != "" {
		src, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		if _, err := t.New(file).Parse(string(src)); err != nil {
			return nil, err
		}
	}
	ts := &templates{t: t, lang: lang}
	cat, err := catalog.Default()
	if err != nil {
		return nil, err
	}
	msg := testMessage(cat, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	r := renderer{tmpl: ts, cat: cat, receiver: "check", externalURL: "http://localhost:9894/"}
	d := r.data(msg, msg.alerts, fitFull)
	for _, name := range []string{"summary", "description", "remedy", "docs"} {
		if _, err := ts.exec(name, d.Alerts[0]); err != nil {
			return nil, err
		}
	}
	for _, name := range []string{"wecom", "dingtalk", "dingtalk.title", "feishu", "feishu.title"} {
		if _, err := ts.exec(name, d); err != nil {
			return nil, err
		}
	}
	return ts, nil
}

func (ts *templates) exec(name string, data any) (string, error) {
	var b bytes.Buffer
	if err := ts.t.ExecuteTemplate(&b, name, data); err != nil {
		return "", err
	}
	return b.String(), nil
}

// renderer turns messages into what one receiver shows.
type renderer struct {
	tmpl        *templates
	cat         *catalog.Catalog
	receiver    string
	externalURL string
	loc         *time.Location // nil: the times' own
}

// in shows t in the renderer's zone.
func (r *renderer) in(t time.Time) time.Time {
	if r.loc == nil || t.IsZero() {
		return t
	}
	return t.In(r.loc)
}

// Fit levels: how much of each alert a message shows.
const (
	fitFull    = iota // everything, samples up to maxSampleFull
	fitShort          // samples up to maxSampleShort
	fitCompact        // title, labels, count and remedy
)

const (
	maxSampleFull  = 512
	maxSampleShort = 120
)

func (r *renderer) data(m *message, alerts []snapshot, level int) Data {
	firing, resolved := m.counts()
	d := Data{
		Receiver: r.receiver, Status: "resolved", Firing: firing, Resolved: resolved,
		Part: 1, Parts: 1, ExternalURL: r.externalURL, Test: m.kind == kindTest,
	}
	if firing > 0 {
		d.Status = "firing"
	}
	for i := range alerts {
		d.Alerts = append(d.Alerts, r.alertData(&alerts[i], level))
	}
	return d
}

func (r *renderer) alertData(s *snapshot, level int) AlertData {
	e, lang := s.entry, r.tmpl.lang
	a := AlertData{
		Status: "resolved", Repeat: s.repeat, Test: s.test,
		ID: e.ID, Code: e.Code, Domain: e.Domain, Severity: string(e.Severity), Source: s.source,
		DomainName: e.DomainZh(),
		Title:      e.Title(lang), Remedy: e.Remedy(lang),
		Count: s.count, Threshold: s.threshold, Window: s.window, ResolveAfter: s.resolve,
		StartsAt: r.in(s.startsAt), EndsAt: r.in(s.endsAt), LastAt: r.in(s.lastAt),
		URL: generatorURL(r.externalURL, e.ID), Compact: level >= fitCompact,
		Docs: []string{}, Related: []string{},
	}
	if s.firing {
		a.Status = "firing"
	}
	if lang == "en" {
		a.Message = e.MessageEn
		a.DomainName = e.Domain
	} else {
		a.Message = e.Message
	}
	a.Docs = append(a.Docs, e.Docs...)
	if r.cat != nil {
		for _, rel := range r.cat.Related(e) {
			a.Related = append(a.Related, rel.Title(lang))
			for _, d := range rel.Docs {
				if !slicesContains(a.Docs, d) {
					a.Docs = append(a.Docs, d)
				}
			}
		}
	}
	switch level {
	case fitFull:
		a.Sample = textutil.Cut(s.sample, maxSampleFull)
	case fitShort:
		a.Sample = textutil.Cut(s.sample, maxSampleShort)
	}
	return a
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// generatorURL points at the entry on the status page.
func generatorURL(base, id string) string {
	if base == "" {
		return ""
	}
	return strings.TrimSuffix(base, "/") + "/#" + id
}

// annotations are the summary, description, remedy and docs of an alert,
// in the receiver's language.
func (r *renderer) annotations(s *snapshot) (map[string]string, error) {
	a := r.alertData(s, fitFull)
	out := map[string]string{}
	for _, name := range []string{"summary", "description", "remedy", "docs"} {
		v, err := r.tmpl.exec(name, a)
		if err != nil {
			return nil, err
		}
		if v = strings.TrimSpace(v); v != "" {
			out[name] = v
		}
	}
	return out, nil
}

// fitMarkdown renders a message with the template name so that each part
// passes fits: it shortens samples, then drops details, then splits the
// alerts over at most maxParts messages (the last one saying how many were
// left out), and as a last resort cuts the text at a rune boundary with
// "…". limit is the byte budget fits enforces, used for that last cut.
func (r *renderer) fitMarkdown(name string, m *message, limit int, fits func(string) bool) ([]fitPart, error) {
	// The whole message in one part, shortening as needed.
	for level := fitFull; level <= fitCompact; level++ {
		d := r.data(m, m.alerts, level)
		s, err := r.tmpl.exec(name, d)
		if err != nil {
			return nil, err
		}
		if fits(s) {
			return []fitPart{{s, d}}, nil
		}
	}
	// Split: the richest level whose packing needs at most maxParts
	// messages, else the most compact one, leaving out what does not fit.
	var groups [][]snapshot
	level := fitFull
	for ; level <= fitCompact; level++ {
		var err error
		if groups, err = r.pack(name, m, level, fits); err != nil {
			return nil, err
		}
		if len(groups) <= maxParts {
			break
		}
	}
	level = min(level, fitCompact)
	omitted := 0
	if len(groups) > maxParts {
		for _, g := range groups[maxParts:] {
			omitted += len(g)
		}
		groups = groups[:maxParts]
	}
	var out []fitPart
	for i, g := range groups {
		om := 0
		if i == len(groups)-1 {
			om = omitted
		}
		for {
			d := r.part(m, g, level, i+1, len(groups), om)
			s, err := r.tmpl.exec(name, d)
			if err != nil {
				return nil, err
			}
			if fits(s) || len(g) == 1 {
				if !fits(s) {
					s = textutil.Cut(s, limit)
				}
				out = append(out, fitPart{s, d})
				break
			}
			// The "left out" line did not fit: leave out one more.
			g = g[:len(g)-1]
			om++
		}
	}
	return out, nil
}

// pack groups the alerts of m greedily into messages that pass fits at a
// level, keeping room for the part numbers and the "left out" line. An
// alert too big on its own makes a group of its own.
func (r *renderer) pack(name string, m *message, level int, fits func(string) bool) ([][]snapshot, error) {
	var groups [][]snapshot
	for i := 0; i < len(m.alerts); {
		j := i + 1
		for j < len(m.alerts) {
			s, err := r.tmpl.exec(name, r.part(m, m.alerts[i:j+1], level, maxParts, maxParts, len(m.alerts)))
			if err != nil {
				return nil, err
			}
			if !fits(s) {
				break
			}
			j++
		}
		groups = append(groups, m.alerts[i:j])
		i = j
	}
	return groups, nil
}

// fitPart is one message of a notification: its text and the data it was
// rendered from.
type fitPart struct {
	text string
	data Data
}

// maxParts is the most messages one notification is split into on a robot.
const maxParts = 5

func (r *renderer) part(m *message, alerts []snapshot, level, part, parts, omitted int) Data {
	d := r.data(m, alerts, level)
	d.Part, d.Parts, d.Omitted = part, parts, omitted
	return d
}
