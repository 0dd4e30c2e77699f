package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wedadiag/wedadiag/catalog"
)

// entryJSON is an entry as `catalog` and `explain` print it: the stored
// fields plus its title and remedy in the chosen language.
type entryJSON struct {
	*catalog.Entry
	Title   string   `json:"title"`
	Remedy  string   `json:"remedy"`
	RelQ    []string `json:"related_questions,omitempty"`
	DomainZ string   `json:"domain_zh"`
}

func toJSON(c *catalog.Catalog, e *catalog.Entry, lang string) entryJSON {
	j := entryJSON{Entry: e, Title: e.Title(lang), Remedy: e.Remedy(lang), DomainZ: e.DomainZh()}
	for _, r := range c.Related(e) {
		j.RelQ = append(j.RelQ, r.Title(lang))
	}
	return j
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// newCatalogCmd builds `wedadiag catalog`.
func newCatalogCmd() *cobra.Command {
	var format, domain, kind, lang, source string
	var ruleFiles []string
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "List every WeDa error code and FAQ entry wedadiag knows",
		Long: `List the catalog: every row of the WeDa FAQ's error-code tables (数据源, APIS,
流程, 用户权限, 企业工作台) and every FAQ question with its answer, as embedded
in this binary, then the platform tier: CloudBase, wx.cloud, cloud function
(SCF) and Tencent Cloud API codes the FAQ does not list, marked [platform]
(source "platform" in JSON), whose remedies wedadiag wrote from the official
docs. FAQ Chinese text is the FAQ's, verbatim; --lang en shows our English
rendering of titles and remedies. With --rules, the custom entries those rule
files define (entries:, ids custom/…) follow, marked [custom].`,
		Example: `  wedadiag catalog
  wedadiag catalog --domain datasource
  wedadiag catalog --kind symptom --format json | jq '.entries[] | select(.loggable)'
  wedadiag catalog --source platform
  wedadiag catalog --rules my-rules.yaml --source custom`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkChoice("format", format, "text", "json"); err != nil {
				return err
			}
			if err := checkChoice("lang", lang, "zh", "en"); err != nil {
				return err
			}
			if source != "" {
				if err := checkChoice("source", source, catalog.SourceFAQ, catalog.SourcePlatform, catalog.SourceCustom); err != nil {
					return err
				}
			}
			if kind != "" {
				if err := checkChoice("kind", kind, string(catalog.KindErrorCode), string(catalog.KindSymptom)); err != nil {
					return err
				}
			}
			cat, err := loadCatalog(ruleFiles)
			if err != nil {
				return err
			}
			var list []*catalog.Entry
			rows := map[string]bool{}
			counts := map[string]int{}
			platform, platformCodes, custom := 0, 0, 0
			for _, e := range cat.Entries() {
				if domain != "" && e.Domain != domain || kind != "" && string(e.Kind) != kind || source != "" && e.Source != source {
					continue
				}
				list = append(list, e)
				if e.Source == catalog.SourceCustom {
					custom++
					continue
				}
				if e.Source == catalog.SourcePlatform {
					platform++
					platformCodes += len(e.Codes())
					continue
				}
				if e.Kind == catalog.KindErrorCode {
					rows[fmt.Sprintf("%s/%d", e.Domain, e.Row)] = true
					counts[e.Domain]++
				}
			}
			if domain != "" && len(list) == 0 {
				return usagef("no entries in domain %q (domains: %s; FAQ sections: %s; platform families: %s)",
					domain, strings.Join(sortedNames(catalog.Domains()), ", "), strings.Join(sortedNames(catalog.Sections()), ", "),
					strings.Join(sortedNames(catalog.PlatformFamilies()), ", "))
			}
			out := cmd.OutOrStdout()
			if format == "json" {
				var js []entryJSON
				questions := 0
				for _, e := range list {
					js = append(js, toJSON(cat, e, lang))
					if e.Kind == catalog.KindSymptom && e.Source != catalog.SourceCustom {
						questions++
					}
				}
				return writeJSON(out, map[string]any{
					"error_rows": len(rows), "error_entries": len(list) - questions - platform - custom,
					"questions": questions, "platform_entries": platform, "platform_codes": platformCodes, "custom_entries": custom,
					"entries": js,
				})
			}
			for _, e := range list {
				name := e.Code
				if e.Kind == catalog.KindSymptom {
					name = "-"
				}
				if e.Source == catalog.SourcePlatform || e.Source == catalog.SourceCustom {
					name += " [" + e.Source + "]"
				}
				fmt.Fprintf(out, "%-58s %-48s %-8s %s\n", e.ID, name, e.Severity, oneLine(e.Title(lang), 60))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&domain, "domain", "", "only this domain (datasource, apis, flow, permission, workbench), FAQ section or platform family (wxcloud, cloudbase, scf, tcapi)")
	cmd.Flags().StringVar(&kind, "kind", "", "only this kind: error_code or symptom")
	cmd.Flags().StringVar(&source, "source", "", "only this tier: faq (the WeDa FAQ's text) platform (CloudBase, wx.cloud, SCF and API codes, remedies written by wedadiag) or custom (entries: of --rules files)")
	cmd.Flags().StringVar(&lang, "lang", "zh", "language of titles and remedies: zh or en")
	cmd.Flags().StringArrayVar(&ruleFiles, "rules", nil, "rule file whose custom entries (entries:) to list too, marked [custom] (repeatable)")
	return cmd
}

func checkChoice(flag, v string, choices ...string) error {
	for _, c := range choices {
		if v == c {
			return nil
		}
	}
	return usagef("--%s %q: want one of %s", flag, v, strings.Join(choices, ", "))
}

// oneLine folds s onto one line and cuts it to n runes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
