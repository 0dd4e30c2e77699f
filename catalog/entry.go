package catalog

import "strings"

// Kind tells an error-code row from a FAQ answer.
type Kind string

// Kinds of entries.
const (
	KindErrorCode Kind = "error_code"
	KindSymptom   Kind = "symptom"
)

// Severity ranks how urgent an entry is.
type Severity string

// Severities, most urgent first.
const (
	Critical Severity = "critical" // service down, quota or resource exhausted or expired
	Error    Severity = "error"
	Warning  Severity = "warning" // a user's input, a stale page
)

// Rank orders severities: critical 0, error 1, warning 2, unknown 3.
func (s Severity) Rank() int {
	switch s {
	case Critical:
		return 0
	case Error:
		return 1
	case Warning:
		return 2
	}
	return 3
}

// Domains of the error-code tables, with the FAQ's names.
var errorDomains = map[string]string{
	"datasource": "数据源",
	"apis":       "APIS",
	"flow":       "流程",
	"permission": "用户权限",
	"workbench":  "企业工作台",
}

// Sections of the FAQ, with the FAQ's headings.
var faqSections = map[string]string{
	"practice":        "实践常见相关问题",
	"page":            "页面和组件相关问题",
	"datasource":      "数据源相关问题",
	"billing":         "计费相关问题",
	"platform":        "微搭平台相关问题",
	"flow-permission": "流程和用户权限相关问题",
	"collaboration":   "多人协同开发相关问题",
	"provider":        "服务商相关问题",
}

// Entry is one thing wedadiag can explain: a row of an error-code table
// (KindErrorCode) or a FAQ question with its answer (KindSymptom). Chinese
// fields are the FAQ's text verbatim; *En fields are our English rendering.
type Entry struct {
	ID   string `json:"id"`
	Kind Kind   `json:"kind"`
	// Source is where the text comes from: SourceFAQ, SourcePlatform or
	// SourceCustom.
	Source   string   `json:"source"`
	Domain   string   `json:"domain"`
	Severity Severity `json:"severity"`

	// Error-code rows.
	Row       int      `json:"row,omitempty"`
	Code      string   `json:"code,omitempty"`
	FAQCode   string   `json:"faq_code,omitempty"`
	Aliases   []string `json:"aliases,omitempty"`
	Message   string   `json:"message,omitempty"`
	Advice    string   `json:"advice,omitempty"`
	Cause     string   `json:"cause,omitempty"`
	Scene     string   `json:"scene,omitempty"`
	Interface string   `json:"interface,omitempty"`
	MessageEn string   `json:"message_en,omitempty"`
	// Related holds ids of FAQ entries whose answers concern this code.
	Related []string `json:"related,omitempty"`

	// FAQ entries.
	Section      string   `json:"section,omitempty"`
	SectionZh    string   `json:"section_zh,omitempty"`
	SubsectionZh string   `json:"subsection_zh,omitempty"`
	Question     string   `json:"question,omitempty"`
	Answer       string   `json:"answer,omitempty"`
	Attachment   string   `json:"attachment,omitempty"`
	Docs         []string `json:"docs,omitempty"`
	Loggable     bool     `json:"loggable,omitempty"`
	RelatedCodes []string `json:"related_codes,omitempty"`
	Signals      []Signal `json:"signals,omitempty"`

	TitleEn  string `json:"title_en"`
	RemedyEn string `json:"remedy_en"`

	// Messages lists, for an error-table cell that names several messages
	// (joined by "；", or one message and a note), each message a real API
	// returns on its own; nil when the cell is one message. For a platform
	// entry, the texts the platform prints.
	Messages []string `json:"messages,omitempty"`

	// Platform entries (Source platform): the meaning in Chinese (the
	// Title), how else a log shows the code,
	// codes whose presence leaves it to their entry, realistic log lines,
	// and a note on the facts used. Advice holds our Chinese remedy.
	Meaning     string          `json:"meaning,omitempty"`
	Match       []PlatformMatch `json:"match,omitempty"`
	UnlessCodes []string        `json:"unless_codes,omitempty"`
	Examples    []string        `json:"examples,omitempty"`
	Note        string          `json:"note,omitempty"`

	// File and Line locate the entry in the catalog data.
	File string `json:"-"`
	Line int    `json:"-"`

	tmpl  template   // compiled Message (the cell)
	tmpls []template // compiled Alternatives, in order
	ctx   []ctxTerm  // context words of Interface and Scene
	cpos  *customPos // where a custom entry's fields are written
}

// Alternatives returns the messages an error-code row can print, each on
// its own: Messages when the cell lists several, else the cell.
func (e *Entry) Alternatives() []string {
	if len(e.Messages) > 0 {
		return e.Messages
	}
	if e.Message == "" {
		return nil
	}
	return []string{e.Message}
}

// Signal is one thing a log line carries when a FAQ entry's problem
// happens. Exactly one of Code, Text, All, ErrCode and Status is set.
type Signal struct {
	Code string `json:"code,omitempty" yaml:"code"`
	Text string `json:"text,omitempty" yaml:"text"`
	// All holds literals that must all occur in the record, in any order:
	// how a symptom reads when apps word it each their own way
	// (["备案", "管理员", "负责人"]).
	All []string `json:"all,omitempty" yaml:"all"`
	// Unless holds literals that cancel the signal: a record with one of
	// them tells of another problem ("即将" of a usage warning against
	// traffic used up).
	Unless  []string `json:"unless,omitempty" yaml:"unless"`
	ErrCode int      `json:"errcode,omitempty" yaml:"errcode"`
	Status  int      `json:"status,omitempty" yaml:"status"`
	With    []string `json:"with,omitempty" yaml:"with"`
	Example string   `json:"example,omitempty" yaml:"example"`
	Source  string   `json:"source,omitempty" yaml:"source"`
	Note    string   `json:"note,omitempty" yaml:"note"`
}

// Kind names which form of signal s is: "code", "text", "all", "errcode"
// or "status".
func (s Signal) Kind() string {
	switch {
	case s.Code != "":
		return "code"
	case s.Text != "":
		return "text"
	case len(s.All) > 0:
		return "all"
	case s.ErrCode != 0:
		return "errcode"
	case s.Status != 0:
		return "status"
	}
	return ""
}

// DomainZh returns the FAQ's name of the entry's domain or section.
func (e *Entry) DomainZh() string {
	if e.Source == SourceCustom {
		return "自定义"
	}
	if e.Kind == KindSymptom {
		return e.SectionZh
	}
	if e.Source == SourcePlatform {
		return platformFamilies[e.Domain]
	}
	return errorDomains[e.Domain]
}

// Title returns the entry's headline in a language ("zh" or "en"): the
// question of a FAQ entry, the message of an error code.
func (e *Entry) Title(lang string) string {
	if lang == "en" {
		return e.TitleEn
	}
	if e.Source == SourceCustom {
		return e.Meaning
	}
	if e.Kind == KindSymptom {
		return e.Question
	}
	if e.Source == SourcePlatform {
		return e.Meaning
	}
	return e.Message
}

// Remedy returns what to do, in a language: the 操作建议 of an error code or
// the answer of a FAQ entry, verbatim for "zh".
func (e *Entry) Remedy(lang string) string {
	if lang == "en" {
		return e.RemedyEn
	}
	if e.Kind == KindSymptom && e.Source != SourceCustom {
		return e.Answer
	}
	return e.Advice
}

// Codes returns the code and its aliases.
func (e *Entry) Codes() []string {
	if e.Code == "" {
		return e.Aliases
	}
	return append([]string{e.Code}, e.Aliases...)
}

// MessageLiterals returns the text of an error-code row's message between
// its placeholders ({0}, %s, xxxx), as the FAQ writes it: what a log line
// printing the message must contain verbatim.
func (e *Entry) MessageLiterals() []string { return e.tmpl.raw }

// AlternativeLiterals returns MessageLiterals per alternative message.
func (e *Entry) AlternativeLiterals() [][]string {
	out := make([][]string, len(e.tmpls))
	for i, t := range e.tmpls {
		out[i] = t.raw
	}
	return out
}

// HasAdvice reports whether the FAQ gives an action for this entry ("-"
// marks a cell without one).
func (e *Entry) HasAdvice() bool {
	return strings.TrimSpace(e.Remedy("zh")) != "-"
}
