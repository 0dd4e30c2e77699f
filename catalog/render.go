package catalog

import (
	"fmt"
	"io"
	"strings"
)

// labels of an entry's text form, per language.
var entryWords = map[string]map[string]string{
	"zh": {
		"message": "错误信息", "remedy": "操作建议", "question": "问题", "answer": "回答",
		"scene": "场景", "interface": "接口", "cause": "初步判断", "related": "相关问题",
		"codes": "相关错误码", "docs": "文档", "signals": "日志特征", "domain": "领域",
		"nofix": "（FAQ 未给出操作建议）", "faqcode": "FAQ 原文",
	},
	"en": {
		"message": "Message", "remedy": "Remedy", "question": "Question", "answer": "Answer",
		"scene": "Scene", "interface": "Interface", "cause": "Cause", "related": "Related FAQ",
		"codes": "Related codes", "docs": "Docs", "signals": "Log signals", "domain": "Domain",
		"nofix": "(the FAQ gives no action)", "faqcode": "As the FAQ prints it",
	},
}

// WriteText writes one entry for a terminal in a language ("zh": the FAQ's
// words verbatim; "en": our rendering). Related FAQ entries are looked up
// in c.
func (c *Catalog) WriteText(w io.Writer, e *Entry, lang string) error {
	v, ok := entryWords[lang]
	if !ok {
		v = entryWords["zh"]
	}
	var b strings.Builder
	line := func(label, text string) {
		if strings.TrimSpace(text) == "" {
			return
		}
		fmt.Fprintf(&b, "  %s: %s\n", label, strings.ReplaceAll(text, "\n", "\n    "))
	}
	switch {
	case e.Source == SourcePlatform:
		c.writePlatformText(&b, e, lang, line)
	case e.Source == SourceCustom:
		c.writeCustomText(&b, e, lang, line)
	case e.Kind == KindErrorCode:
		fmt.Fprintf(&b, "%s  [%s · %s %s]  %s\n", e.Code, e.Severity, e.Domain, e.DomainZh(), e.ID)
		if lang == "en" {
			fmt.Fprintf(&b, "  %s\n", e.TitleEn)
			line(v["message"], e.MessageEn)
		} else {
			line(v["message"], e.Message)
		}
		if e.FAQCode != "" {
			line(v["faqcode"], e.FAQCode)
		}
		if len(e.Aliases) > 0 {
			line("aliases", strings.Join(e.Aliases, ", "))
		}
		line(v["scene"], e.Scene)
		line(v["interface"], e.Interface)
		line(v["cause"], e.Cause)
		rem := e.Remedy(lang)
		if !e.HasAdvice() {
			rem = "- " + v["nofix"]
		}
		line(v["remedy"], rem)
		for _, r := range c.Related(e) {
			line(v["related"], r.Title(lang)+"  ("+r.ID+")")
		}
		for _, r := range c.Related(e) {
			for _, d := range r.Docs {
				line(v["docs"], d)
			}
		}
	case e.Kind == KindSymptom:
		fmt.Fprintf(&b, "%s  [%s · %s %s]\n", e.ID, e.Severity, e.Section, e.SectionZh)
		line(v["question"], e.Title(lang))
		line(v["answer"], e.Remedy(lang))
		if len(e.RelatedCodes) > 0 {
			line(v["codes"], strings.Join(e.RelatedCodes, ", "))
		}
		for _, d := range e.Docs {
			line(v["docs"], d)
		}
		var sig []string
		for _, s := range e.Signals {
			switch s.Kind() {
			case "code":
				sig = append(sig, s.Code)
			case "text":
				sig = append(sig, fmt.Sprintf("%q", s.Text))
			case "errcode":
				sig = append(sig, fmt.Sprintf("errCode %d", s.ErrCode))
			case "status":
				sig = append(sig, fmt.Sprintf("status %d with %s", s.Status, strings.Join(s.With, "|")))
			}
		}
		if len(sig) > 0 {
			line(v["signals"], strings.Join(sig, "; "))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
