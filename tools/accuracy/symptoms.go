package main

// symptom is a FAQ question that can show in a log, and how logs word it.
// Which questions can show in a log was decided from the FAQ (the seed),
// question by question: a prompt, a failed publish, a billing notice, a
// status or an error the platform or the app prints. Questions whose answer
// is only "how to" or a link (cloud functions: platform codes, not the FAQ)
// are left out.
type symptom struct {
	ID string
	// Also lists other FAQ entries that answer the same log equally well.
	Also []string
	// Phrases are messages as the platform, the WeChat tools or the app
	// print them, in Chinese and English.
	Phrases []string
	// Raw are whole records of a given format (format name → lines), for
	// symptoms that show as a status line or a notice rather than a message.
	Raw []rawRecord
}

type rawRecord struct {
	Format string
	Text   string // may hold {ts} (a timestamp) and {rid} (a request id)
}

var symptoms = []symptom{
	{ID: "faq/mp-republished-as-h5-blank", Phrases: []string{
		"TypeError: wx.getSystemInfoSync is not a function",
		"ReferenceError: wx is not defined at Object.onPageLoad (index.js:12)",
		"Uncaught (in promise) TypeError: wx.requestPayment is not a function",
		"H5 页面渲染失败：wx.login 在 Web 端不可用，页面白屏",
	}},
	{ID: "faq/mp-main-package-over-limit", Phrases: []string{
		"上传失败：source size 2413KB exceed max limit 2MB",
		"小程序发布失败：主包大小 2.6MB 超过 2MB 限制，请使用分包",
		"Error: main package size 2.31 MB exceeds the 2 MB limit, please use subpackages",
		"代码包大小超出限制（主包 2187 KB > 2048 KB），发布中止",
	}},
	{ID: "faq/datasource-method-call-failed", Phrases: []string{
		"调用数据源方法失败：调用方法失败，内部错误",
		"callDataSource getCustomerList 报错：操作失败，内部错误",
		"data source method wedaCreate failed: internal error, operation failed",
		"数据源方法调用失败（内部错误），请检查提交的数据和字段类型",
	}},
	{ID: "faq/portal-404-index-html-deleted", Phrases: []string{
		"访问企业工作台报错 404：adminportal/index.html 不存在",
		"Failed to load resource: the server responded with a status of 404 () https://lowcode-4g7x2c1f.tcloudbaseapp.com/adminportal/",
		"数据管理后台打开 404 Not Found，静态托管 adminportal 目录下无 index.html",
	}, Raw: []rawRecord{
		{"nginx-access", `10.2.3.4 - - [{clf}] "GET /adminportal/ HTTP/1.1" 404 548 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0 Safari/537.36"`},
		{"nginx-access", `172.16.0.9 - - [{clf}] "GET /adminportal/index.html HTTP/2.0" 404 162 "https://console.cloud.tencent.com/" "Mozilla/5.0 Chrome/119.0"`},
	}},
	{ID: "faq/cdn-traffic-exhausted-app-unreachable", Also: []string{"faq/cdn-traffic-used-up-access"}, Phrases: []string{
		"CDN 流量包已用尽，静态网站托管已暂停服务，页面无法访问",
		"您的环境 lowcode-4g7x2c1f 的 CDN 流量已耗尽，自定义应用将无法打开",
		"static hosting suspended: CDN traffic package used up, app unreachable",
	}, Raw: []rawRecord{
		{"billing-notice", "{ts} 【腾讯云】尊敬的用户，您的云开发环境 lowcode-4g7x2c1f 的 CDN 流量包已用尽，静态托管服务已停止，请及时购买流量包。"},
	}},
	{ID: "faq/cdn-traffic-used-up-access", Phrases: []string{
		"用量告警：环境 lowcode-4g7x2c1f CDN 流量已使用 80%",
		"CDN 流量即将用完（已用 85%），用完后小程序和 H5 将无法访问",
		"usage alert: CDN traffic at 82% of the package for env weda-prod-8h3k",
	}, Raw: []rawRecord{
		{"billing-notice", "{ts} 【腾讯云】用量告警：您的云开发环境 weda-prod-8h3k CDN 流量已用量达到 80%，用尽后网站将无法访问。"},
	}},
	{ID: "faq/app-tutorial-greyed-out-env-package", Phrases: []string{
		"环境 lowcode-4g7x2c1f 已欠费隔离，请购买环境包后恢复使用",
		"当前环境不可用：环境包已到期，请购买环境包",
		"environment weda-prod-8h3k is isolated (欠费隔离), buy an environment package to restore it",
	}, Raw: []rawRecord{
		{"billing-notice", "{ts} 【腾讯云】您的云开发环境 lowcode-4g7x2c1f 因欠费已被隔离，环境资源暂停服务，请续费环境包。"},
	}},
	{ID: "faq/data-resource-access-limit", Phrases: []string{
		"数据库读写次数已用完，今日请求被拒绝",
		"云数据库读操作次数已达套餐上限，请查看环境总览",
		"database read/write quota of the package exhausted for env lowcode-4g7x2c1f",
	}, Raw: []rawRecord{
		{"billing-notice", "{ts} 【腾讯云】用量告警：环境 weda-prod-8h3k 数据库读写次数已使用 90%，超出后将无法读写。"},
	}},
	{ID: "faq/flow-delete-error", Phrases: []string{
		"无法删除：操作失败。该流程已被流程实例引用，不能删除",
		"删除流程失败：流程已被实例引用，请先删除流程实例",
		"delete flow failed: the flow is referenced by flow instances",
	}},
	{ID: "faq/internal-user-cannot-approve", Phrases: []string{
		"审批失败：当前内部用户无该流程的访问权限",
		"approve task rejected: internal user has no access permission on this flow",
		"内部用户没有流程访问权限，无法审批该任务",
	}},
	{ID: "faq/wecom-notification", Phrases: []string{
		"企业微信通知发送失败：接收人不是企业微信成员",
		"send wecom message failed: errcode=81013, errmsg=user & party & tag all invalid",
		"企业微信消息推送失败 invaliduser: zhangsan|lisi",
		"WeCom notify failed: errcode 60111 invalid userid",
	}, Raw: []rawRecord{
		{"wecom-notify", `{ts} notify channel=wecom result=failed resp={"errcode":81013,"errmsg":"user & party & tag all invalid","invaliduser":"wanger"}`},
	}},
	{ID: "faq/data-admin-administrator-no-permission", Phrases: []string{
		"数据管理后台提示：administrator 无权限，请关联角色",
		"403 Forbidden: user administrator has no permission in data management, bind a role first",
		"administrator 暂无数据管理权限",
	}},
	{ID: "faq/preview-has-data-published-none", Phrases: []string{
		"发布后列表无数据：默认访客角色没有数据模型 order_info 的查询权限",
		"published app returns no rows: role 'visitor' lacks read permission on data model crm_customer",
		"数据模型权限不足，当前角色无法查询记录（编辑器预览正常）",
	}},
	{ID: "faq/published-page-no-permission", Phrases: []string{
		"访问页面提示：您没有权限访问该页面",
		"当前用户无该应用访问权限，请联系管理员在角色与权限中配置",
		"page /pages/order/index: no permission to access this page",
	}},
	{ID: "faq/provider-certification-failed", Phrases: []string{
		"提交服务商认证失败：AppSecret 错误",
		"服务商认证失败，未收到 component_verify_ticket 推送",
		"provider certification failed: invalid appsecret (errcode 40125)",
		"服务商认证失败：授权事件接收 URL 必须为 HTTPS",
	}},
	{ID: "faq/scan-add-mini-program-failed", Phrases: []string{
		"扫码添加小程序失败：第三方平台未全网发布",
		"添加小程序失败，该小程序不在授权测试小程序列表中",
		"scan to add mini program failed: component not released to all",
	}},
	{ID: "faq/batch-publish-failed", Phrases: []string{
		"批量发布小程序失败：代码上传密钥错误",
		"batch publish failed for wx8f3a2b1c: invalid upload key",
		"批量发布失败 3/10：AppId 与代码上传密钥不匹配",
	}},
	{ID: "faq/mp-filing-admin-owner-mismatch", Phrases: []string{
		"小程序备案校验未通过：管理员和负责人不一致",
		"备案提交失败，小程序管理员与主体负责人需为同一人",
		"ICP filing rejected: mini program admin and person in charge differ",
	}},
	{ID: "faq/mp-filing-network-security-platform", Phrases: []string{
		"请在网络安全服务平台完成备案（涉及前置审批类目）",
		"小程序已备案，但仍提示需在网络安全服务平台备案",
		"filing check: this mini program needs pre-approval filing on the network security service platform",
	}},
	{ID: "faq/no-editable-fields-prompt", Phrases: []string{
		"当前页面无具备编辑权限的任何字段",
		"管理数据源失败：当前页面无具备编辑权限的字段，请升级工作台",
		"no field on this page is editable for the current user",
	}},
	{ID: "faq/record-locked-by-flow", Phrases: []string{
		"该记录正在流程审批中，无法编辑",
		"删除记录失败：数据记录已触发流程，审批结束前不可删除",
		"record 8f2c91 is locked by a running approval flow and cannot be edited",
	}},
	{ID: "faq/workflow-deletion", Phrases: []string{
		"已发布的流程不支持删除",
		"删除失败：流程已发布，暂不支持删除已发布的流程",
		"cannot delete a published workflow; only unpublished flows in the trial environment can be deleted",
	}},
	{ID: "faq/browser-version-requirement", Phrases: []string{
		"当前浏览器版本过低，请使用 Chrome 86 及以上版本",
		"浏览器不兼容：检测到 Chrome 80，编辑器需要 Chrome 86+",
		"Unsupported browser: Chrome 79 detected, WeDa editor requires Chrome 86 or later",
	}},
	{ID: "faq/five-internal-users-limit", Also: []string{"faq/internal-users-purchase"}, Phrases: []string{
		"企业内部用户数已达上限（5/5），请增购用户数",
		"添加成员失败：内部用户数超出套餐赠送的 5 个",
		"internal user quota exceeded: 5 of 5 internal users in use",
	}},
	{ID: "faq/location-component-mini-program", Phrases: []string{
		"getLocation:fail the api need to be declared in the requiredPrivateInfos field in app.json/ext.json",
		"地图定位组件在小程序端调用失败：未配置位置信息权限",
		"chooseLocation:fail auth deny",
	}},
	{ID: "faq/flow-publish-environment", Phrases: []string{
		"预览环境触发流程失败：流程没有未发布版本",
		"企业工作台预览环境无法触发流程：请编辑并保存以生成未发布版本",
		"trigger flow in preview failed: the flow has no unpublished version",
	}},
	{ID: "faq/anonymous-data-trigger-flow", Phrases: []string{
		"匿名用户不支持数据触发流程，已跳过",
		"数据触发流程失败：触发用户为匿名用户（小程序登录用户）",
		"data trigger ignored: anonymous users cannot trigger a flow",
	}},
	{ID: "faq/sub-account-authorization", Phrases: []string{
		"子账号无权限访问微搭，请主账号授权 QcloudLowCodeFullAccess 策略",
		"当前子账号未被授权访问低代码平台，请联系主账号在访问管理中授权",
		"UnauthorizedOperation: sub-account 100012345678 is not authorized for lowcode:DescribeApps, attach QcloudLowCodeFullAccess",
	}},
	{ID: "faq/website-icp-filing", Phrases: []string{
		"该域名未备案，暂时无法访问",
		"自定义域名 www.example.cn 未完成 ICP 备案，已被拦截",
		"domain app.example.com has no ICP filing, access blocked",
	}},
	{ID: "faq/provider-migration-authorized-mps", Phrases: []string{
		"商家小程序授权已失效，请重新扫码授权",
		"存量小程序 wx8f3a2b1c 未授权给当前第三方平台，请商家扫码授权后再管理发布",
		"authorizer wx8f3a2b1c: errcode 61003 component is not authorized by this account, ask the merchant to scan and authorize again",
	}},
}
