package catalog

import (
	"slices"
	"strings"
	"testing"
)

// Every 错误信息 cell that lists several messages is split, and only
// those: the list is the audit of every row of every table against the
// FAQ (cells joined by "；", the "数据源相关错误同上" cells that refer to the
// data-source message above, and the 企业工作台首页 cell of three messages
// joined by spaces).
func TestSplitCells(t *testing.T) {
	c := mustDefault(t)
	ds := []string{"查询数据源出错"}
	want := map[string][]string{
		"permission/query-user-failed":        ds,
		"permission/query-user-id-failed":     ds,
		"permission/query-super-admin-failed": ds,
		"permission/create-user-failed":       ds,
		"permission/update-user-failed":       {"查询数据源出错", "更新 authorization 用户失败"},
		"permission/delete-user-failed":       {"查询数据源出错", "删除用户失败"},
		"permission/create-department-invalid-value": {"JSON 解析 data 失败", "部门标识，departmentCode 不能超过15个字符，支持字母或数字开头",
			"部门名称，departmentName不能超过32个字符，必填项", "没有查询到对应的上级部门", "创建部门时没有设置深度", "子部门层级超过15层，无法添加"},
		"permission/update-department-invalid-value": {"JSON 解析 data 失败", "部门名称，departmentName 不能超过32个字符，必填项",
			"ParentCode 对应部门不存在", "不能将上级部门设置为自己", "修改的目标部门不存在", "上级部门不能是本部门的下级部门", "迁移后的节点大于15层", "部门名称重复"},
		"permission/create-department-failed": ds,
		"permission/update-department-failed": ds,
		"permission/delete-department-failed": ds,
		"permission/list-departments-failed":  ds,
		"permission/resource-auth-failed":     ds,
		"permission/data-auth-failed":         ds,
		"permission/batch-data-auth-failed":   ds,
		"workbench/home-query-failed": {"查询用户/权限或者数据源出错",
			"数据库资源到期或者数据库读写次数超过套餐包限制。请升级套餐读写次数，或者等待第二天重置读写次数。如有问题，请在云数据库平台核对资源。",
			"数据源环境过期或者资源超出套餐包限制错误"},
		"workbench/app-admin-app-not-found": {"用户不存在", "用户环境下不存在该应用"},
	}
	seen := 0
	for _, e := range c.Entries() {
		if e.Kind != KindErrorCode || e.Source == SourcePlatform {
			continue
		}
		w, split := want[e.ID]
		if !split {
			if len(e.Messages) > 0 {
				t.Errorf("%s: split into %q, not in the audited list", e.ID, e.Messages)
			}
			if got := e.Alternatives(); len(got) != 1 || got[0] != e.Message {
				t.Errorf("%s: alternatives %q, want the cell", e.ID, got)
			}
			continue
		}
		seen++
		if !slices.Equal(e.Messages, w) {
			t.Errorf("%s: messages %q, want %q", e.ID, e.Messages, w)
		}
		if strings.ContainsAny(e.Message, "；") && len(e.Messages) < 2 && e.Messages[0] != "查询数据源出错" {
			t.Errorf("%s: a cell joined by ； split into one message", e.ID)
		}
	}
	if seen != len(want) {
		t.Errorf("%d of %d audited rows found", seen, len(want))
	}
}

func TestMessagesValidated(t *testing.T) {
	for _, tc := range []struct {
		cell string
		msgs []string
		bad  bool
	}{
		{"一；二", nil, true},
		{"一；二", []string{"一", "二"}, false},
		{"一；二", []string{"一；二"}, true},
		{"一", []string{"一"}, true},
		{"一", nil, false},
		{"数据源相关错误同上", []string{"查询数据源出错"}, false},
		{"一；二", []string{"一", "一"}, true},
		{"一；二", []string{"一", " "}, true},
	} {
		if got := len(checkMessages(tc.cell, tc.msgs)) > 0; got != tc.bad {
			t.Errorf("checkMessages(%q, %q) faulty=%v, want %v", tc.cell, tc.msgs, got, tc.bad)
		}
	}
}

// A placeholder stands for at least one character; a whole literal
// message ranks above a template.
func TestPlaceholders(t *testing.T) {
	for _, tc := range []struct {
		tmpl, text string
		full       bool
	}{
		{"参数 {0} 无效，请修改后重试", "参数 taskId 无效，请修改后重试", true},
		{"参数 {0} 无效，请修改后重试", "参数无效，请修改后重试", false},
		{"参数 {0} 无效，请修改后重试", "参数  无效，请修改后重试", false}, // only spaces: nothing
		{"HTTP 请求失败，状态码{0}", "HTTP 请求失败，状态码502", true},
		{"HTTP 请求失败，状态码{0}", "HTTP 请求失败，状态码", false},
		{"{0}失败", "同步失败", true},
		{"{0}失败", "失败", false},
		{"环境 %s_%s  应用类别超过限制", "环境 lowcode-1_model 应用类别超过限制", true},
		{"环境 %s_%s  应用类别超过限制", "环境 _ 应用类别超过限制", false},
		{"根据角色获取用户信息失败，角色 ID 为：xxxxxxx", "根据角色获取用户信息失败，角色 ID 为：", false},
		{"根据角色获取用户信息失败，角色 ID 为：xxxxxxx", "根据角色获取用户信息失败，角色 ID 为：17048", true},
		{"任务不存在", "任务不存在", true},
	} {
		tm, err := compileTemplate(tc.tmpl)
		if err != nil {
			t.Fatal(err)
		}
		if _, full := tm.match(normalize(tc.text)); full != tc.full {
			t.Errorf("%q on %q: full=%v, want %v", tc.tmpl, tc.text, full, tc.full)
		}
	}
	c := mustDefault(t)
	for _, tc := range []struct{ code, msg, want string }{
		{"FailedOperation", "参数无效，请修改后重试", "flow/confirm-next-approver-invalid-parameter"},
		{"FailedOperation", "参数 taskId 无效，请修改后重试", "flow/node-invalid-parameter"},
		{"InvalidParameter", "页面类型无效", "flow/approval-page-get-instance-invalid-page-type"},
	} {
		r := c.ResolveCode(tc.code, tc.msg, "")
		if r.Entry == nil || r.Entry.ID != tc.want && !containsEntry(r.Alternatives, c.ByID(tc.want)) {
			t.Errorf("ResolveCode(%q, %q) = %+v, want %s", tc.code, tc.msg, r.Entry, tc.want)
		}
	}
}

// Rows that share a code and a message are told apart by the context
// words of their 接口 and 场景; without any, the record fits all of them
// and the others come back as alternatives.
func TestResolveContext(t *testing.T) {
	c := mustDefault(t)
	for _, tc := range []struct {
		code, msg, record string
		want              string
		alts              int // minimum number of alternatives
	}{
		{"FailedOperation", "任务不存在", `revokeInstance failed: {"code":"FailedOperation","message":"任务不存在"}`, "flow/revoke-task-not-found", 0},
		{"FailedOperation", "任务不存在", `撤销 失败 FailedOperation 任务不存在`, "flow/revoke-task-not-found", 0},
		{"FailedOperation", "任务不存在", `countersignTask FailedOperation: 任务不存在`, "flow/countersign-task-not-found", 0},
		{"FailedOperation", "任务不存在", `[adminTransferTask] FailedOperation 任务不存在`, "flow/admin-transfer-task-not-found", 0},
		{"FailedOperation", "任务不存在", `POST /approveTask FailedOperation 任务不存在`, "flow/approve-task-not-found", 0},
		{"FailedOperation", "任务不存在", `FailedOperation 任务不存在`, "flow/approve-task-not-found", 4},
		{"FailedOperation", "查询数据源出错", `deleteDepartment: FailedOperation 查询数据源出错`, "permission/delete-department-failed", 0},
		{"FailedOperation", "锁异常", `revokeInstance FailedOperation 锁异常`, "flow/revoke-lock-error", 0},
		{"FailedOperation", "锁异常", `FailedOperation 锁异常`, "flow/countersign-lock-error", 1},
		{"UserNotExist", "用户不存在", `UserNotExist 用户不存在`, "permission/update-user-not-exist", 1},
	} {
		r := c.ResolveCode(tc.code, tc.msg, tc.record)
		if r.Entry == nil || r.Entry.ID != tc.want || len(r.Alternatives) < tc.alts || tc.alts == 0 && len(r.Alternatives) > 0 {
			var got string
			if r.Entry != nil {
				got = r.Entry.ID
			}
			t.Errorf("%s: got %s alternatives %v, want %s with ≥%d", tc.record, got, ids(r.Alternatives), tc.want, tc.alts)
		}
	}
}

// A message without its code: a telling one resolves, a short generic one
// does not.
func TestResolveMessageWithoutCode(t *testing.T) {
	c := mustDefault(t)
	for _, tc := range []struct{ text, want string }{
		{"启用失败：存在循环调用，启用流程失败，请检查自定义 API 方法、数据模型事件", "flow/start-circular-call"},
		{"部门下有子级部门，不能直接删除，请先删除子级部门", "permission/delete-department-has-children"},
		{"用户环境下不存在该应用 appId=app-1", "workbench/app-admin-app-not-found"},
		{"操作失败", ""},
		{"参数错误", ""},
		{"任务不存在", ""},
		{"查询数据源出错", ""},
	} {
		got := ""
		if e := c.ResolveMessage(tc.text); e != nil {
			got = e.ID
		}
		if got != tc.want {
			t.Errorf("ResolveMessage(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
