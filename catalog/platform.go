package catalog

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// Sources tell where an entry's text comes from.
const (
	// SourceFAQ marks the WeDa FAQ's own text (error tables and Q&As).
	SourceFAQ = "faq"
	// SourcePlatform marks the platform tier: CloudBase, wx.cloud, cloud
	// function and Tencent Cloud API codes the FAQ does not list, whose
	// remedies wedadiag wrote from the official documentation.
	SourcePlatform = "platform"
	// SourceCustom marks entries of user rule files.
	SourceCustom = "custom"
)

// platformFamilies are the families of the platform tier, with their
// Chinese names. They are the Domain of a platform entry.
var platformFamilies = map[string]string{
	"wxcloud":   "wx.cloud 云开发 SDK 错误码",
	"cloudbase": "云开发 CloudBase 错误码",
	"scf":       "云函数 SCF 状态码",
	"tcapi":     "腾讯云 API 3.0 公共错误码",
}

// PlatformFamilies returns the families of the platform tier with their
// Chinese names.
func PlatformFamilies() map[string]string { return copyMap(platformFamilies) }

// PlatformMarker says, per language, that a platform entry's text is ours.
var PlatformMarker = map[string]string{
	"zh": "平台错误码说明（wedadiag 编写，非 FAQ 原文）",
	"en": "platform code — remedy written by wedadiag, not FAQ text",
}

// PlatformMatch is one way a platform entry shows in a log besides its
// code in a code position: a literal the platform prints, or a status with
// literals that make it specific. Exactly one of Text and Status is set.
type PlatformMatch struct {
	Text   string   `json:"text,omitempty" yaml:"text"`
	Status int      `json:"status,omitempty" yaml:"status"`
	With   []string `json:"with,omitempty" yaml:"with"`
}

// rawPlatform is the YAML form of a platform entry; unknown keys are
// refused.
type rawPlatform struct {
	ID          string          `yaml:"id"`
	Source      string          `yaml:"source"`
	Family      string          `yaml:"family"`
	Code        string          `yaml:"code"`
	Aliases     []string        `yaml:"aliases"`
	Messages    []string        `yaml:"messages"`
	MeaningZh   string          `yaml:"meaning_zh"`
	MeaningEn   string          `yaml:"meaning_en"`
	Severity    string          `yaml:"severity"`
	RemedyZh    string          `yaml:"remedy_zh"`
	RemedyEn    string          `yaml:"remedy_en"`
	Docs        []string        `yaml:"docs"`
	Match       []PlatformMatch `yaml:"match"`
	UnlessCodes []string        `yaml:"unless_codes"`
	Examples    []string        `yaml:"examples"`
	Note        string          `yaml:"note"`
}

// platformCode is how a platform code is spelled: a Tencent Cloud code
// (AuthFailure.SignatureExpire), an upper-snake CloudBase code
// (DATABASE_PERMISSION_DENIED) or a number (-504002, 433).
var platformCode = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(-?[0-9]+|[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*)$`)
})

// loadPlatform reads one platform-*.yaml file.
func (c *Catalog) loadPlatform(file string, data []byte) []error {
	return loadList(c, file, data, func(r rawPlatform) (string, *Entry, []string) {
		e, problems := buildPlatform(r)
		return r.ID, e, problems
	})
}

// buildPlatform turns a raw platform entry into an Entry and lists what is
// wrong with it.
func buildPlatform(r rawPlatform) (*Entry, []string) {
	var p []string
	need := func(field, v string) {
		if strings.TrimSpace(v) == "" {
			p = append(p, fmt.Sprintf("%s is empty", field))
		}
	}
	e := &Entry{
		ID: r.ID, Kind: KindErrorCode, Domain: r.Family, Severity: Severity(r.Severity), Source: SourcePlatform,
		Code: r.Code, Aliases: r.Aliases, Advice: r.RemedyZh, Docs: r.Docs,
		Meaning: r.MeaningZh, Messages: r.Messages, Match: r.Match, UnlessCodes: r.UnlessCodes,
		Examples: r.Examples, Note: r.Note,
		TitleEn: r.MeaningEn, RemedyEn: r.RemedyEn,
	}
	if len(r.Messages) > 0 {
		e.Message = r.Messages[0]
	}
	if r.Source != SourcePlatform {
		p = append(p, fmt.Sprintf("source %q: platform entries say source: platform", r.Source))
	}
	if !idPattern().MatchString(r.ID) {
		p = append(p, fmt.Sprintf("id %q: want <family>/<kebab-slug> in lower-case ASCII", r.ID))
	}
	if _, ok := platformFamilies[r.Family]; !ok {
		p = append(p, fmt.Sprintf("family %q: want one of %s", r.Family, keys(platformFamilies)))
	} else if !strings.HasPrefix(r.ID, r.Family+"/") {
		p = append(p, fmt.Sprintf("id %q does not start with its family %q", r.ID, r.Family))
	}
	if e.Severity.Rank() > 2 {
		p = append(p, fmt.Sprintf("severity %q: want critical, error or warning", r.Severity))
	}
	need("code", r.Code)
	need("meaning_zh", r.MeaningZh)
	need("meaning_en", r.MeaningEn)
	need("remedy_zh", r.RemedyZh)
	need("remedy_en", r.RemedyEn)
	for _, code := range append([]string{r.Code}, r.Aliases...) {
		if code != "" && !platformCode().MatchString(code) {
			p = append(p, fmt.Sprintf("code %q: want one code (Name.Sub, UPPER_SNAKE or a number)", code))
		}
	}
	if len(r.Docs) == 0 {
		p = append(p, "docs: at least one link to the official documentation")
	}
	for _, d := range r.Docs {
		if !strings.HasPrefix(d, "https://") {
			p = append(p, fmt.Sprintf("docs %q: want an https URL", d))
		}
	}
	if len(r.Examples) == 0 {
		p = append(p, "examples: at least one log line that shows the code")
	}
	for i, x := range r.Examples {
		if strings.TrimSpace(x) == "" {
			p = append(p, fmt.Sprintf("example %d is empty", i+1))
		}
	}
	for i, m := range r.Messages {
		if strings.TrimSpace(m) == "" {
			p = append(p, fmt.Sprintf("message %d is empty", i+1))
			continue
		}
		t, err := compileTemplate(m)
		if err != nil {
			p = append(p, fmt.Sprintf("message %d: %v", i+1, err))
			continue
		}
		if i == 0 {
			e.tmpl = t
		}
		e.tmpls = append(e.tmpls, t)
	}
	for i, m := range r.Match {
		if msg := checkPlatformMatch(m); msg != "" {
			p = append(p, fmt.Sprintf("match %d: %s", i+1, msg))
		}
	}
	for _, u := range r.UnlessCodes {
		if !platformCode().MatchString(u) {
			p = append(p, fmt.Sprintf("unless_codes %q: want a code", u))
		}
	}
	if len(r.UnlessCodes) > 0 && len(r.Match) == 0 {
		p = append(p, "unless_codes only qualifies match")
	}
	return e, p
}

func checkPlatformMatch(m PlatformMatch) string {
	switch {
	case (m.Text != "") == (m.Status != 0):
		return "want exactly one of text, status"
	case m.Status != 0 && (m.Status < 100 || m.Status > 999):
		return fmt.Sprintf("status %d is not an HTTP-like status", m.Status)
	case m.Status != 0 && len(m.With) == 0:
		return "a status needs `with` literals that make it specific"
	case m.Status == 0 && len(m.With) > 0:
		return "`with` only goes with status"
	case m.Text != "" && len(strings.TrimSpace(m.Text)) < 8:
		return fmt.Sprintf("text %q is too short to be specific", m.Text)
	}
	for _, w := range m.With {
		if strings.TrimSpace(w) == "" {
			return "empty `with` literal"
		}
	}
	return ""
}

// linkPlatform indexes the platform tier's codes after the FAQ tier's: a
// code the FAQ's tables already have keeps resolving to the FAQ row. Two
// platform entries may not share a code.
func (c *Catalog) linkPlatform(seen map[string]bool) []error {
	var errs []error
	owner := map[string]*Entry{}
	for _, e := range c.entries {
		if e.Source != SourcePlatform {
			continue
		}
		for _, code := range e.Codes() {
			if prev, ok := owner[code]; ok {
				errs = append(errs, fmt.Errorf("%s:%d: entry %q: duplicate code %q (first at %s:%d)", e.File, e.Line, e.ID, code, prev.File, prev.Line))
				continue
			}
			owner[code] = e
			if seen[code] {
				continue // the FAQ tier answers for it
			}
			seen[code] = true
			c.tabs.byCode[code] = append(c.tabs.byCode[code], e)
			if e.Domain == "scf" && isNumber(code) {
				// A status number in a code field is anyone's HTTP
				// status: explain finds it, logs match the entry by its
				// status name and match rules.
				continue
			}
			c.tabs.codes = append(c.tabs.codes, code)
		}
	}
	return errs
}

// Platform returns the entries of the platform tier, in file order.
func (c *Catalog) Platform() []*Entry {
	var out []*Entry
	for _, e := range c.entries {
		if e.Source == SourcePlatform {
			out = append(out, e)
		}
	}
	return out
}

// writePlatformText renders a platform entry for a terminal.
func (c *Catalog) writePlatformText(b *strings.Builder, e *Entry, lang string, line func(label, text string)) {
	en := lang == "en"
	fmt.Fprintf(b, "%s  [%s · %s %s]  %s\n", e.Code, e.Severity, e.Domain, e.DomainZh(), e.ID)
	label := func(zh, eng string) string {
		if en {
			return eng
		}
		return zh
	}
	line(label("来源", "Source"), PlatformMarker[map[bool]string{true: "en", false: "zh"}[en]])
	line(label("含义", "Meaning"), e.Title(lang))
	if len(e.Aliases) > 0 {
		line("aliases", strings.Join(e.Aliases, ", "))
	}
	for _, m := range e.Messages {
		line(label("平台输出", "Platform prints"), m)
	}
	line(label("操作建议", "Remedy"), e.Remedy(lang))
	line(label("说明", "Note"), e.Note)
	for _, d := range e.Docs {
		line(label("文档", "Docs"), d)
	}
}

func isNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
