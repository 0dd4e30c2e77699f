package catalog

import "strings"

// opWords maps the Chinese words that name an operation in the error
// tables' 接口 and 场景 cells to the English words services log for it
// (method names such as revokeInstance, adminTransferTask). A record that
// carries one of them tells rows sharing a code and a message apart.
var opWords = []struct {
	zh string
	en []string
}{
	{"撤销", []string{"revoke", "withdraw", "recall"}},
	{"撤回", []string{"revoke", "withdraw", "recall"}},
	{"审批人", []string{"approver"}},
	{"审批", []string{"approve", "approval"}},
	{"会签", []string{"countersign"}},
	{"催办", []string{"urge", "remind"}},
	{"回退", []string{"rollback"}},
	{"转办", []string{"transfer", "delegate"}},
	{"跳过", []string{"skip"}},
	{"收藏", []string{"favorite", "favourite"}},
	{"草稿", []string{"draft"}},
	{"删除", []string{"delete", "remove"}},
	{"创建", []string{"create"}},
	{"修改", []string{"update", "modify"}},
	{"更新", []string{"update"}},
	{"管理后台", []string{"admin"}},
	{"工作台", []string{"workbench"}},
	// Not "message": every JSON error carries a Message key.
	{"消息", []string{"messages", "messagestatus", "messagecenter"}},
	{"发起人", []string{"initiator"}},
	{"发起", []string{"start", "launch", "initiate"}},
	{"画布", []string{"canvas"}},
	{"变量", []string{"variable"}},
	{"流转记录", []string{"history"}},
	{"流转状态", []string{"instancestatus", "flowstatus"}},
	{"待办", []string{"todo"}},
	{"组织架构", []string{"department", "dept"}},
	{"部门", []string{"department", "dept"}},
	{"超级管理员", []string{"superadmin", "super_admin"}},
	{"用户 ID", []string{"userid", "user_id"}},
	{"用户", []string{"user"}},
	{"数据鉴权", []string{"dataauth", "data_auth"}},
	{"资源鉴权", []string{"resourceauth", "resource_auth"}},
	{"批量", []string{"batch"}},
	{"应用类别", []string{"category"}},
	{"应用管理", []string{"manageapp", "appadmin"}},
	{"首页", []string{"home"}},
	{"实例", []string{"instance"}},
	{"节点", []string{"node"}},
	{"确认", []string{"confirm"}},
	{"个数", []string{"count"}},
}

// ctxTerm is one context word of a row: its Chinese form and the English
// ones, normalised.
type ctxTerm struct {
	zh     string
	en     []string
	weight float64 // 2 for a verb (撤销, 审批 …), 1 for an object
}

// opVerbs are the opWords that name what an operation does.
var opVerbs = map[string]bool{"撤销": true, "撤回": true, "审批": true, "会签": true, "催办": true, "回退": true,
	"转办": true, "跳过": true, "收藏": true, "删除": true, "创建": true, "修改": true, "更新": true, "发起": true, "确认": true}

// contextTerms returns the context words of a row's 接口 and 场景, longest
// Chinese words first (审批人 before 审批 does not also count 审批).
func contextTerms(e *Entry) []ctxTerm {
	src := normalize(e.Interface + " " + e.Scene)
	var out []ctxTerm
	for _, w := range opWords {
		zh := normalize(w.zh)
		if !strings.Contains(src, zh) {
			continue
		}
		src = strings.ReplaceAll(src, zh, "|")
		weight := 1.0
		if opVerbs[w.zh] {
			weight = 2
		}
		out = append(out, ctxTerm{zh: zh, en: w.en, weight: weight})
	}
	return out
}

// has reports whether normalised record text carries the term.
func (t ctxTerm) has(norm string) bool {
	if strings.Contains(norm, t.zh) {
		return true
	}
	for _, w := range t.en {
		if strings.Contains(norm, w) {
			return true
		}
	}
	return false
}

// contextScores scores rows by the context words of theirs that ctx() (a
// normalised record) carries, each word weighted by how few of the rows
// share it: a word every row has tells nothing. ctx is called only when
// some word tells the rows apart.
func contextScores(rows []*Entry, ctx func() string) []float64 {
	scores := make([]float64, len(rows))
	var small [32]termCount
	df := small[:0]
	for _, e := range rows {
		for _, t := range e.ctx {
			df = countTerm(df, t.zh)
		}
	}
	telling := false
	for _, d := range df {
		telling = telling || d.n < len(rows)
	}
	if !telling {
		return scores
	}
	text := ctx()
	if text == "" {
		return scores
	}
	for i, e := range rows {
		for _, t := range e.ctx {
			n := termDF(df, t.zh)
			if n == len(rows) || !t.has(text) {
				continue
			}
			scores[i] += t.weight / float64(n)
		}
	}
	return scores
}

// termCount is how many rows have a context word.
type termCount struct {
	zh string
	n  int
}

// countTerm counts one more row with the word zh.
func countTerm(df []termCount, zh string) []termCount {
	for i := range df {
		if df[i].zh == zh {
			df[i].n++
			return df
		}
	}
	return append(df, termCount{zh, 1})
}

func termDF(df []termCount, zh string) int {
	for _, d := range df {
		if d.zh == zh {
			return d.n
		}
	}
	return 0
}
