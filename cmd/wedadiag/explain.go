package main

import (
	"fmt"
	"math"
	"strings"
	"unicode"

	"github.com/spf13/cobra"
	"github.com/wedadiag/wedadiag/catalog"
)

// newExplainCmd builds `wedadiag explain`.
func newExplainCmd() *cobra.Command {
	var format, lang string
	var ruleFiles []string
	cmd := &cobra.Command{
		Use:   "explain CODE|TEXT",
		Short: "Explain a WeDa error code or message, with the FAQ's remedy",
		Long: `Explain what a WeDa error code, a Tencent Cloud code that reveals a known
problem, an error message or a description of a symptom means, and how the
WeDa FAQ says to fix it. A code is matched as the FAQ spells it, else
ignoring case, else without its prefix (FlexdbResourceOverdue finds
FailedOperation.FlexdbResourceOverdue); numeric codes may carry thousands
separators. Other text is searched across codes, messages, FAQ questions and
answers, and the best matches are shown ranked.

Codes the FAQ does not list — CloudBase, wx.cloud errCode, cloud function
(SCF) status and Tencent Cloud API codes — come from the platform tier: their
remedies are written by wedadiag from the official docs, not FAQ text, and say
so (source "platform"). A code both know is answered by the FAQ.

Exits 1, suggesting the closest codes, when nothing matches.`,
		Example: `  wedadiag explain FailedOperation.FlexdbResourceOverdue
  wedadiag explain flexdbresourceoverdue
  wedadiag explain 100,038
  wedadiag explain -- -504003
  wedadiag explain DATABASE_PERMISSION_DENIED
  wedadiag explain "CDN 流量耗尽"
  wedadiag explain --lang en FnError.HTTP.InvalidURL
  wedadiag explain --format json UserError.DsNotFound
  wedadiag explain --rules my-rules.yaml custom/order-sync-timeout`,
		Args: args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, argv []string) error {
			if err := checkChoice("format", format, "text", "json"); err != nil {
				return err
			}
			if err := checkChoice("lang", lang, "zh", "en"); err != nil {
				return err
			}
			cat, err := loadCatalog(ruleFiles)
			if err != nil {
				return err
			}
			query := strings.TrimSpace(strings.Join(argv, " "))
			found, how, score := lookup(cat, query)
			out := cmd.OutOrStdout()
			if len(found) == 0 {
				sugg := cat.Suggest(query, 5)
				msg := fmt.Sprintf("nothing in the WeDa catalog matches %q", query)
				if len(sugg) > 0 {
					msg += "; did you mean: " + strings.Join(sugg, ", ")
				}
				if format == "json" {
					if err := writeJSON(out, map[string]any{"query": query, "matches": []any{}, "suggestions": sugg}); err != nil {
						return err
					}
				}
				fmt.Fprintln(cmd.ErrOrStderr(), "wedadiag: "+msg)
				return exitError{exitFail}
			}
			if format == "json" {
				js := []entryJSON{}
				for _, e := range found {
					js = append(js, toJSON(cat, e, lang))
				}
				res := map[string]any{"query": query, "match": how, "matches": js}
				if how == "text" {
					res["score"] = math.Round(score*100) / 100
				}
				return writeJSON(out, res)
			}
			if how == "text" {
				// Say that this is a ranked guess, as the scan report does.
				if lang == "en" {
					fmt.Fprintf(cmd.OutOrStdout(), "match: text similarity (not an exact match), score %.1f\n\n", score)
				} else {
					fmt.Fprintf(cmd.OutOrStdout(), "匹配方式: 文本相似度（非精确匹配），得分 %.1f\n\n", score)
				}
			}
			return writeExplanation(cmd, cat, query, how, found, lang)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&lang, "lang", "zh", "language: zh (the FAQ's words) or en")
	cmd.Flags().StringArrayVar(&ruleFiles, "rules", nil, "rule file whose custom entries (entries:) to know too (repeatable)")
	return cmd
}

// lookup finds what a query names: an id, an error code (all of its rows),
// a code or errCode that reveals FAQ symptoms, else the best text matches.
// how says which of these it was.
func lookup(cat *catalog.Catalog, q string) ([]*catalog.Entry, string, float64) {
	if e := cat.LookupID(q); e != nil {
		return []*catalog.Entry{e}, "id", 0
	}
	if rows, _ := cat.LookupCode(q); len(rows) > 0 {
		return rows, "code", 0
	}
	if es := cat.BySignal(q); len(es) > 0 {
		return es, "signal", 0
	}
	if looksLikeCode(q) {
		return nil, "code", 0
	}
	if e := cat.ResolveMessage(q); e != nil {
		return []*catalog.Entry{e}, "message", 0
	}
	// The daemon's ranked text matcher, with its threshold: what it would
	// diagnose for an error record carrying this text. A query is a
	// description of a failure, so it needs no failure words of its own.
	if m, ok := cat.MatchTextLevel(q, catalog.LevelQuery, catalog.TextThreshold); ok {
		return append([]*catalog.Entry{m.Entry}, m.Alternatives...), "text", m.Score
	}
	var out []*catalog.Entry
	for _, h := range cat.Search(q, 5) {
		out = append(out, h.Entry)
	}
	return out, "search", 0
}

// looksLikeCode tells a code (ASCII, no spaces, with a dot, a capital
// inside or digits only) from free text.
func looksLikeCode(q string) bool {
	if q == "" || strings.ContainsAny(q, " \t") {
		return false
	}
	upperInside, dot, digits := false, false, 0
	for i, r := range q {
		switch {
		case r > unicode.MaxASCII:
			return false
		case r == '.':
			dot = true
		case unicode.IsDigit(r) || r == ',' || r == '-':
			digits++
		case unicode.IsUpper(r) && i > 0:
			upperInside = true
		}
	}
	return dot || upperInside || digits == len(q)
}

func writeExplanation(cmd *cobra.Command, cat *catalog.Catalog, q, how string, found []*catalog.Entry, lang string) error {
	out := cmd.OutOrStdout()
	switch {
	case how == "code" && len(found) > 1:
		if cat.IsGeneric(found[0].Code) || len(found) > 3 {
			if lang == "en" {
				fmt.Fprintf(out, "%s appears in %d rows of the WeDa error tables; the message tells them apart:\n\n", q, len(found))
			} else {
				fmt.Fprintf(out, "%s 出现在 WeDa 错误码表的 %d 行中，需结合错误信息区分：\n\n", q, len(found))
			}
			for _, e := range found {
				fmt.Fprintf(out, "  %-50s %s\n      → %s\n", e.ID, oneLine(e.Title(lang), 70), oneLine(e.Remedy(lang), 90))
			}
			return nil
		}
	case how == "search" && len(found) > 1:
		if err := cat.WriteText(out, found[0], lang); err != nil {
			return err
		}
		if lang == "en" {
			fmt.Fprintln(out, "\nAlso matching:")
		} else {
			fmt.Fprintln(out, "\n其他匹配：")
		}
		for _, e := range found[1:] {
			name := e.Code
			if name == "" {
				name = e.ID
			}
			fmt.Fprintf(out, "  %s  %s\n", name, oneLine(e.Title(lang), 70))
		}
		return nil
	}
	for i, e := range found {
		if i > 0 {
			fmt.Fprintln(out)
		}
		if err := cat.WriteText(out, e, lang); err != nil {
			return err
		}
	}
	return nil
}
