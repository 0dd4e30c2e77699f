package main

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/wedadiag/wedadiag/catalog"
)

// errCase is one message an error-table row can produce: a record prints
// Code (the row's code or one of its aliases, "" for message-only formats)
// and Msg, one alternative of the row's 错误信息 cell, placeholders unfilled.
type errCase struct {
	Entry *catalog.Entry
	Msg   string
}

// dsFailure is what the 用户权限 rows whose cell reads "数据源相关错误同上"
// ("the data source errors above") print: the message of the rows above.
const dsFailure = "查询数据源出错"

// cellAlternatives lists, per row whose 错误信息 cell is not one message,
// the messages a real API returns, each on its own. Cells joined by "；" are
// split by alternatives(); this table holds the cells that need reading.
var cellAlternatives = map[string][]string{
	// "查询数据源出错（调用数据源失败或数据源返回 response 为空，会告警）；数据源返回的错误信息，直接返回给用户":
	// the parenthesis explains when, the second part says the data
	// source's own message is passed through (not a message of ours).
	"permission/query-user-failed":        {dsFailure},
	"permission/query-user-id-failed":     {dsFailure},
	"permission/query-super-admin-failed": {dsFailure},
	"permission/create-user-failed":       {dsFailure},
	"permission/update-user-failed":       {dsFailure, "更新 authorization 用户失败"},
	"permission/delete-user-failed":       {dsFailure, "删除用户失败"},
	"permission/create-department-failed": {dsFailure},
	"permission/update-department-failed": {dsFailure},
	"permission/delete-department-failed": {dsFailure},
	"permission/list-departments-failed":  {dsFailure},
	"permission/resource-auth-failed":     {dsFailure},
	"permission/data-auth-failed":         {dsFailure},
	"permission/batch-data-auth-failed":   {dsFailure},
	// Three messages in one cell, separated by a space and a period.
	"workbench/home-query-failed": {
		"查询用户/权限或者数据源出错",
		"数据库资源到期或者数据库读写次数超过套餐包限制。请升级套餐读写次数，或者等待第二天重置读写次数。如有问题，请在云数据库平台核对资源。",
		"数据源环境过期或者资源超出套餐包限制错误",
	},
}

// tableRow reports a row of the FAQ's error tables (the platform tier's
// entries are error codes too, measured as look-alikes: platform.go).
func tableRow(e *catalog.Entry) bool {
	return e.Kind == catalog.KindErrorCode && e.Source != catalog.SourcePlatform
}

// alternatives returns the messages a row can print, each on its own.
func alternatives(e *catalog.Entry) []string {
	if alts, ok := cellAlternatives[e.ID]; ok {
		return alts
	}
	var out []string
	for _, p := range strings.Split(e.Message, "；") {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// norm makes two renderings of one message compare equal: no spaces, no
// final full stop.
func norm(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u3000' {
			return -1
		}
		return r
	}, s)
	return strings.TrimRight(s, "。.")
}

// acceptSet returns the ids of every row that prints msg (an alternative,
// unfilled) under code (or a code below it, see codeFits), or under any
// code when code is "": the diagnoses that are right for a record showing
// them. Rows sharing code and message cannot be told apart from the
// record alone.
func acceptSet(entries []*catalog.Entry, code, msg string) []string {
	var ids []string
	for _, x := range entries {
		if !tableRow(x) {
			continue
		}
		if code != "" && !slices.ContainsFunc(x.Codes(), func(c string) bool { return codeFits(code, c) }) {
			continue
		}
		for _, a := range alternatives(x) {
			if norm(a) == norm(msg) {
				ids = append(ids, x.ID)
				break
			}
		}
	}
	return ids
}

// codeFits reports whether a record's code names a row's code: the same,
// or its parent in Tencent Cloud's dotted hierarchy (a log that prints
// FailedOperation for FailedOperation.FlexdbResourceOverdue).
func codeFits(printed, row string) bool {
	return printed == row || strings.HasPrefix(row, printed+".")
}

// errorCases returns every alternative of every error-table row.
func errorCases(entries []*catalog.Entry) []errCase {
	var out []errCase
	for _, e := range entries {
		if !tableRow(e) {
			continue
		}
		for _, a := range alternatives(e) {
			out = append(out, errCase{Entry: e, Msg: a})
		}
	}
	return out
}

// distinctive reports whether a message is long enough to be printed
// without its code and still name its row (短 generic ones such as 操作失败
// need a code).
func distinctive(msg string) bool { return utf8.RuneCountInString(msg) >= 8 }

var placeholder = regexp.MustCompile(`\{\d+\}|%s|x{4,}`)

// fill replaces the placeholders of a message with realistic values (at
// least one character each), chosen by the words just before them.
func fill(r *rand.Rand, msg string) string {
	var b strings.Builder
	last := 0
	for _, m := range placeholder.FindAllStringIndex(msg, -1) {
		b.WriteString(msg[last:m[0]])
		b.WriteString(fillValue(r, msg[:m[0]]))
		last = m[1]
	}
	b.WriteString(msg[last:])
	return b.String()
}

func fillValue(r *rand.Rand, before string) string {
	switch {
	case strings.HasSuffix(before, "数据源 ") || strings.HasSuffix(before, "数据源"):
		return pick(r, "order_info", "crm_customer", "sys_user_ext", "asset_ledger", "visit_record")
	case strings.HasSuffix(before, "方法 ") || strings.HasSuffix(before, "方法"):
		return pick(r, "wedaGetRecords", "getCustomerList", "syncOrder", "queryInventory", "createTicket")
	case strings.HasSuffix(before, "状态码"):
		return pick(r, "502", "500", "404", "403", "504")
	case strings.HasSuffix(before, "：") && strings.Contains(before, "地址"):
		return pick(r, "htp://crm.example.com/api", "//10.0.3.7:8080/orders", "crm.internal/list?x=1")
	case strings.HasSuffix(before, "JSON 字符串："):
		return pick(r, "<html><head><title>502 Bad Gateway</title>", "Internal Server Error", "{code:0,data:[}")
	case strings.HasSuffix(before, "错误信息："):
		return pick(r, "[TencentCloudSDKException]message:The SecretId is not found requestId:7f3e1a2b", "AuthFailure.SignatureExpure: 签名过期", "ResourceNotFound: 资源不存在")
	case strings.HasSuffix(before, "："):
		return pick(r, "Unexpected token } in JSON at position 17", "header value contains newline", "multipart/form-data; boundary missing", "application/x-protobuf")
	case strings.HasSuffix(before, "变量 ") || strings.HasSuffix(before, "变量类型 "):
		return pick(r, "applicantDept", "formData.amount", "leaveDays", "approverList")
	case strings.HasSuffix(before, "参数 "):
		return pick(r, "instanceId", "taskId", "pageSize", "startTime")
	case strings.HasSuffix(before, "执行 "):
		return pick(r, "update", "create", "delete", "wedaBatchUpdate")
	case strings.HasSuffix(before, "角色 ID 为："):
		return pick(r, "1704863251", "2101987734", "role_7f3a")
	case strings.HasSuffix(before, "环境 "):
		return pick(r, "lowcode-4g7x2c1f", "weda-prod-8h3k")
	case strings.HasSuffix(before, "_"):
		return pick(r, "model", "custom")
	case strings.HasSuffix(before, "配置"):
		return pick(r, "审批节点「部门经理审批」", "节点 UserTask_1x9k")
	}
	return pick(r, "field_a", "amount", "deptCode")
}

func pick(r *rand.Rand, xs ...string) string { return xs[r.IntN(len(xs))] }

// opNames gives the English action a service would log for each 接口 or
// 场景 of the FAQ's tables (our naming; the FAQ gives only Chinese).
var opNames = map[string]string{
	"发起流程": "startFlow", "审批流程": "approveTask", "企业工作台查询流程列表": "listFlows",
	"审批页面查询实例": "getApprovalInstance", "会签": "countersignTask", "审批页面查询画布": "getFlowCanvas",
	"企业工作台查询审批人列表": "listApprovers", "企业工作台查询待办实例个数": "countTodoInstances",
	"企业工作台查询发起人列表": "listInitiators", "催办": "urgeTask", "撤销": "revokeInstance", "回退": "rollbackTask",
	"企业工作台查询发起流程": "listStartableFlows", "收藏流程": "favoriteFlow", "企业工作台查询收藏的流程": "listFavoriteFlows",
	"发起流程后查询任务": "getTaskAfterStart", "审批页面查询流转记录": "getInstanceHistory",
	"查询可回退节点列表": "listRollbackNodes", "查询实例流转状态": "getInstanceStatus",
	"审批页面查询变量详情": "getInstanceVariables", "企业工作台查询各类任务个数": "countTasks",
	"消息中心查询消息": "listMessages", "消息中心更新消息状态": "updateMessageStatus", "消息中心查询消息个数": "countMessages",
	"确认下一节点审批人任务": "confirmNextApprover", "管理后台查询实例操作": "adminGetInstanceActions",
	"管理后台跳过任务": "adminSkipTask", "管理后台转办": "adminTransferTask", "企业工作台删除草稿": "deleteDraft",
	"管理后台回退任务": "adminRollbackTask",
	"查询用户":     "queryUser", "查询用户 ID": "queryUserId", "查询超级管理员": "querySuperAdmin", "创建用户": "createUser",
	"修改用户": "updateUser", "删除用户": "deleteUser", "创建组织架构": "createDepartment", "更新组织架构": "updateDepartment",
	"删除组织架构": "deleteDepartment", "查询组织架构列表": "listDepartments", "资源鉴权": "checkResourceAuth",
	"数据鉴权": "checkDataAuth", "批量数据鉴权": "batchCheckDataAuth",
	"企业工作台首页": "loadWorkbenchHome", "创建应用类别": "createAppCategory", "系统设置-应用管理": "manageApps",
}

// opContext returns the operation a record of the row names, in English and
// Chinese: the row's 接口, or its 场景 where that names one operation. A
// record carrying it lets a matcher tell rows that share code and message
// apart; rows without one get "" (formats then use a neutral word).
func opContext(e *catalog.Entry) (en, zh string) {
	zh = e.Interface
	if zh == "" && (e.Domain == "permission" || e.Domain == "workbench") {
		zh = e.Scene
	}
	return opNames[zh], zh
}
