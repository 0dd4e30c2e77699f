package gen

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/wedadiag/wedadiag/catalog"
)

// RulesFile and RulesTestFile are the names of the generated rule files
// under configs/prometheus; the test file names the rules file relative to
// itself, so promtool runs it from any directory.
const (
	RulesFile     = "rules.yml"
	RulesTestFile = "rules_test.yml"
)

type ruleFile struct {
	Groups []ruleGroup `yaml:"groups"`
}

type ruleGroup struct {
	Name  string `yaml:"name"`
	Rules []rule `yaml:"rules"`
}

type rule struct {
	Record      string            `yaml:"record,omitempty"`
	Alert       string            `yaml:"alert,omitempty"`
	Expr        string            `yaml:"expr"`
	For         string            `yaml:"for,omitempty"`
	Labels      map[string]string `yaml:"labels,omitempty"`
	Annotations *annotations      `yaml:"annotations,omitempty"`
}

// annotations of every alert, in this order. summary and remedy are the
// catalog's Chinese text verbatim for catalog alerts; *_en our English.
type annotations struct {
	Summary       string `yaml:"summary"`
	SummaryEn     string `yaml:"summary_en"`
	Description   string `yaml:"description"`
	DescriptionEn string `yaml:"description_en"`
	Remedy        string `yaml:"remedy"`
	RemedyEn      string `yaml:"remedy_en"`
	Docs          string `yaml:"docs,omitempty"`
	Explain       string `yaml:"explain,omitempty"`
}

// diagBy is the aggregation of diagnosis alerts: per job, source and entry,
// summed over the instances that report it.
const diagBy = "sum by (job, source, id, code, domain, severity)"

// recording rules: name, expression.
func recordingRules() []rule {
	r := func(name, expr string) rule { return rule{Record: name, Expr: expr} }
	return []rule{
		r("job_source_id:wedadiag_diagnoses:rate5m", diagBy+" (rate(wedadiag_diagnoses_total[5m]))"),
		r("job_severity:wedadiag_diagnoses:rate5m", "sum by (job, severity) (rate(wedadiag_diagnoses_total[5m]))"),
		r("job_domain:wedadiag_diagnoses:rate5m", "sum by (job, domain) (rate(wedadiag_diagnoses_total[5m]))"),
		r("job_source:wedadiag_lines:rate5m", "sum by (job, source) (rate(wedadiag_lines_total[5m]))"),
		r("job_source:wedadiag_bytes:rate5m", "sum by (job, source) (rate(wedadiag_bytes_total[5m]))"),
		r("job_source:wedadiag_records:rate5m", "sum by (job, source) (rate(wedadiag_records_total[5m]))"),
		r("job_source:wedadiag_unmatched_errors:rate5m", "sum by (job, source) (rate(wedadiag_unmatched_errors_total[5m]))"),
		r("job_source_reason:wedadiag_bad_records:rate5m", "sum by (job, source, reason) (rate(wedadiag_bad_records_total[5m]))"),
		r("job_rule:wedadiag_rule_errors:rate5m", "sum by (job, rule) (rate(wedadiag_rule_errors_total[5m]))"),
		r("job_receiver:wedadiag_alerts_sent:rate5m", "sum by (job, receiver) (rate(wedadiag_alerts_sent_total[5m]))"),
		r("job_receiver:wedadiag_alerts_failed:rate5m", "sum by (job, receiver) (rate(wedadiag_alerts_failed_total[5m]))"),
		r("job_receiver:wedadiag_alerts_dropped:rate5m", "sum by (job, receiver) (rate(wedadiag_alerts_dropped_total[5m]))"),
	}
}

// AlertName is the Prometheus alert of a catalog entry: WeDa and the id in
// CamelCase (datasource/flexdb-resource-overdue →
// WeDaDatasourceFlexdbResourceOverdue).
func AlertName(id string) string {
	var b strings.Builder
	b.WriteString("WeDa")
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '/' || r == '-' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// CriticalEntries returns the entries that get an alerting rule of their
// own: critical, and able to show up in a log.
func CriticalEntries(cat *catalog.Catalog) []*catalog.Entry {
	var out []*catalog.Entry
	for _, e := range cat.Entries() {
		if e.Severity == catalog.Critical && Diagnosable(e) {
			out = append(out, e)
		}
	}
	return out
}

var (
	alertNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*$`) })
	labelSafeRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9/-]+$`) })
)

// escapeTemplate keeps catalog text literal inside Prometheus's Go-template
// annotations: "{{" would start an action ({{params.AAA}} in the FAQ).
func escapeTemplate(s string) string { return strings.ReplaceAll(s, "{{", `{{ "{{" }}`) }

// docsOf returns an entry's links, or those of the FAQ answers it relates
// to, space-separated.
func docsOf(cat *catalog.Catalog, e *catalog.Entry) string {
	docs := e.Docs
	if len(docs) == 0 {
		for _, r := range cat.Related(e) {
			docs = append(docs, r.Docs...)
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, d := range docs {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return strings.Join(out, " ")
}

func entryAlert(cat *catalog.Catalog, e *catalog.Entry) rule {
	var zh, en string
	if e.Code != "" {
		zh = fmt.Sprintf("来源 {{ $labels.source }} 的日志在最近 5 分钟内出现 WeDa 错误码 %s（%s）。", e.Code, e.ID)
		en = fmt.Sprintf("The logs of source {{ $labels.source }} showed WeDa error code %s (%s) in the last 5 minutes.", e.Code, e.ID)
	} else {
		zh = fmt.Sprintf("来源 {{ $labels.source }} 的日志在最近 5 分钟内出现了 WeDa 常见问题 %s 的迹象。", e.ID)
		en = fmt.Sprintf("The logs of source {{ $labels.source }} showed signs of the WeDa FAQ problem %s in the last 5 minutes.", e.ID)
	}
	return rule{
		Alert:  AlertName(e.ID),
		Expr:   fmt.Sprintf(`%s (increase(wedadiag_diagnoses_total{id=%q}[5m])) > 0`, diagBy, e.ID),
		Labels: map[string]string{"severity": string(e.Severity)},
		Annotations: &annotations{
			Summary:       escapeTemplate(e.Title("zh")),
			SummaryEn:     escapeTemplate(e.Title("en")),
			Description:   zh,
			DescriptionEn: en,
			Remedy:        escapeTemplate(e.Remedy("zh")),
			RemedyEn:      escapeTemplate(e.Remedy("en")),
			Docs:          docsOf(cat, e),
			Explain:       "wedadiag explain " + e.ID,
		},
	}
}

// severityAlerts are the generic rules: a critical diagnosis that has no
// rule of its own (from a user's rule file), and errors and warnings that
// keep coming.
func severityAlerts(own []string) []rule {
	explain := &annotations{
		Remedy:   "运行 wedadiag explain {{ $labels.id }}，或打开 wedadiag 状态页，查看 WeDa 常见问题给出的原因和处理建议。",
		RemedyEn: "Run wedadiag explain {{ $labels.id }}, or open the wedadiag status page, for the cause and the remedy the WeDa FAQ gives.",
		Explain:  "wedadiag explain {{ $labels.id }}",
	}
	mk := func(name, sev, sel, window, cmp, zh, en, dzh, den string) rule {
		a := *explain
		a.Summary, a.SummaryEn, a.Description, a.DescriptionEn = zh, en, dzh, den
		return rule{Alert: name,
			Expr:        fmt.Sprintf(`%s (increase(wedadiag_diagnoses_total{%s}[%s])) %s`, diagBy, sel, window, cmp),
			Labels:      map[string]string{"severity": sev},
			Annotations: &a}
	}
	return []rule{
		mk("WeDaCriticalDiagnosis", "critical", fmt.Sprintf(`severity="critical", id!~%q`, strings.Join(own, "|")), "5m", "> 0",
			"严重问题：{{ $labels.id }}", "Critical problem: {{ $labels.id }}",
			"来源 {{ $labels.source }} 的日志在最近 5 分钟内出现严重级别的诊断 {{ $labels.id }}（错误码 {{ $labels.code }}）。",
			"The logs of source {{ $labels.source }} showed the critical diagnosis {{ $labels.id }} (code {{ $labels.code }}) in the last 5 minutes."),
		mk("WeDaErrorDiagnoses", "error", `severity="error"`, "10m", ">= 3",
			"反复出现错误：{{ $labels.id }}", "Repeated error: {{ $labels.id }}",
			"来源 {{ $labels.source }} 的日志在最近 10 分钟内至少 3 次出现 {{ $labels.id }}（错误码 {{ $labels.code }}）。",
			"The logs of source {{ $labels.source }} showed {{ $labels.id }} (code {{ $labels.code }}) at least 3 times in the last 10 minutes."),
		mk("WeDaWarningDiagnoses", "warning", `severity="warning"`, "30m", ">= 10",
			"频繁出现警告：{{ $labels.id }}", "Frequent warning: {{ $labels.id }}",
			"来源 {{ $labels.source }} 的日志在最近 30 分钟内至少 10 次出现 {{ $labels.id }}（错误码 {{ $labels.code }}）。",
			"The logs of source {{ $labels.source }} showed {{ $labels.id }} (code {{ $labels.code }}) at least 10 times in the last 30 minutes."),
	}
}

// selfAlerts watch wedadiag itself.
func selfAlerts() []rule {
	a := func(name, expr, forDur, sev string, ann annotations) rule {
		return rule{Alert: name, Expr: expr, For: forDur, Labels: map[string]string{"severity": sev}, Annotations: &ann}
	}
	return []rule{
		a("WeDaDiagDown", `up{job=~".*wedadiag.*"} == 0`, "5m", "error", annotations{
			Summary:       "wedadiag 无法抓取：{{ $labels.instance }}",
			SummaryEn:     "wedadiag cannot be scraped: {{ $labels.instance }}",
			Description:   "Prometheus 已 5 分钟无法抓取 {{ $labels.job }} 的 {{ $labels.instance }}，这段时间内的 WeDa 错误不会被诊断和告警。",
			DescriptionEn: "Prometheus has not scraped {{ $labels.instance }} of {{ $labels.job }} for 5 minutes; WeDa errors in that time are neither diagnosed nor alerted.",
			Remedy:        "检查 wedadiag 进程或容器是否在运行（/healthz），以及监听地址与 Prometheus 抓取配置是否一致。",
			RemedyEn:      "Check that the wedadiag process or container is running (/healthz) and that its listen address matches Prometheus's scrape configuration.",
		}),
		a("WeDaDiagConfigReloadFailed", `increase(wedadiag_config_reloads_total{result="failure"}[15m]) > 0`, "", "warning", annotations{
			Summary:       "wedadiag 配置重新加载失败：{{ $labels.instance }}",
			SummaryEn:     "wedadiag configuration reload failed: {{ $labels.instance }}",
			Description:   "{{ $labels.instance }} 在最近 15 分钟内重新加载配置失败，仍在使用之前的配置和规则。",
			DescriptionEn: "{{ $labels.instance }} failed to reload its configuration in the last 15 minutes and keeps running the previous configuration and rules.",
			Remedy:        "查看 wedadiag 日志中的错误（包含文件、行和列），用 wedadiag rules check 检查规则文件，修正后再次重新加载。",
			RemedyEn:      "Read the error in wedadiag's log (it names the file, line and column), check rule files with wedadiag rules check, fix and reload again.",
		}),
		a("WeDaDiagAlertDeliveryFailing", `sum by (job, instance, receiver) (increase(wedadiag_alerts_failed_total[15m])) > 0`, "", "error", annotations{
			Summary:       "wedadiag 告警发送失败：接收方 {{ $labels.receiver }}",
			SummaryEn:     "wedadiag alert delivery failing: receiver {{ $labels.receiver }}",
			Description:   "{{ $labels.instance }} 在最近 15 分钟内有告警多次重试后仍未送达接收方 {{ $labels.receiver }}。",
			DescriptionEn: "{{ $labels.instance }} could not deliver alerts to receiver {{ $labels.receiver }} in the last 15 minutes, even after retries.",
			Remedy:        "检查接收方的 URL、密钥和网络连通性（企业微信机器人返回非零 errcode 也算失败），并查看 wedadiag 日志中的错误。",
			RemedyEn:      "Check the receiver's URL, key and network reachability (a WeCom robot answering a non-zero errcode is a failure too), and read the error in wedadiag's log.",
		}),
		a("WeDaDiagAlertsDropped", `sum by (job, instance, receiver) (increase(wedadiag_alerts_dropped_total[15m])) > 0`, "", "error", annotations{
			Summary:       "wedadiag 丢弃了告警：接收方 {{ $labels.receiver }}",
			SummaryEn:     "wedadiag dropped alerts: receiver {{ $labels.receiver }}",
			Description:   "{{ $labels.instance }} 发往 {{ $labels.receiver }} 的告警队列已满，最近 15 分钟内有告警被丢弃。",
			DescriptionEn: "The alert queue of {{ $labels.instance }} for {{ $labels.receiver }} was full and alerts were dropped in the last 15 minutes.",
			Remedy:        "接收方太慢或不可用：先排查 WeDaDiagAlertDeliveryFailing，必要时增大 alerts.receivers[].queue_size，或用 alerts.policy 减少告警数量。",
			RemedyEn:      "The receiver is slow or down: look at WeDaDiagAlertDeliveryFailing first; raise alerts.receivers[].queue_size, or send fewer alerts through alerts.policy.",
		}),
		a("WeDaDiagFallingBehind", `wedadiag_bytes_behind > 1048576 and deriv(wedadiag_bytes_behind[15m]) > 0`, "15m", "warning", annotations{
			Summary:       "wedadiag 处理日志落后：来源 {{ $labels.source }}",
			SummaryEn:     "wedadiag is falling behind: source {{ $labels.source }}",
			Description:   "{{ $labels.instance }} 上来源 {{ $labels.source }} 未处理的日志超过 1 MiB，且在 15 分钟内持续增长。",
			DescriptionEn: "More than 1 MiB of the logs of source {{ $labels.source }} on {{ $labels.instance }} is unprocessed and it has kept growing for 15 minutes.",
			Remedy:        "增加 pipeline.workers 或 CPU 配额；检查是否有规则特别慢（wedadiag_rule_errors_total、性能剖析），或日志量是否异常增长。",
			RemedyEn:      "Raise pipeline.workers or the CPU limit; check for a slow rule (wedadiag_rule_errors_total, profiling) or an unusual growth of the log volume.",
		}),
		a("WeDaDiagNoLines", `sum by (job, instance, source) (increase(wedadiag_lines_total[30m])) == 0`, "30m", "warning", annotations{
			Summary:       "来源 {{ $labels.source }} 一小时没有新的日志行",
			SummaryEn:     "No new log lines from source {{ $labels.source }} for an hour",
			Description:   "{{ $labels.instance }} 已一小时没有从来源 {{ $labels.source }} 读到日志：应用可能停止了写日志，或日志路径已改变。",
			DescriptionEn: "{{ $labels.instance }} has read no line from source {{ $labels.source }} for an hour: the app may have stopped logging, or its log path changed.",
			Remedy:        "确认应用仍在运行并写日志，且 sources[].paths 与实际日志路径一致；日志量本来就很少的来源可以忽略或静默此告警。",
			RemedyEn:      "Check that the app still runs and logs, and that sources[].paths matches where it writes; silence this alert for a source that is quiet by nature.",
		}),
		a("WeDaDiagNoFilesFollowed", `wedadiag_files_followed == 0`, "10m", "warning", annotations{
			Summary:       "来源 {{ $labels.source }} 没有匹配到任何日志文件",
			SummaryEn:     "Source {{ $labels.source }} matches no log file",
			Description:   "{{ $labels.instance }} 上来源 {{ $labels.source }} 的路径已 10 分钟没有匹配到任何文件。",
			DescriptionEn: "The paths of source {{ $labels.source }} on {{ $labels.instance }} have matched no file for 10 minutes.",
			Remedy:        "检查 sources[].paths 的通配符和挂载的日志卷（sidecar 需与应用共享同一个卷），以及 wedadiag 是否有读取权限。",
			RemedyEn:      "Check the globs of sources[].paths and the mounted log volume (the sidecar must share the app's volume), and that wedadiag may read the files.",
		}),
		a("WeDaDiagKafkaNearRetention", `max by (job, instance, source) (wedadiag_kafka_oldest_unacked_age_seconds) > 5400`, "5m", "error", annotations{
			Summary:       "wedadiag 消费 Kafka 落后接近 2 小时：来源 {{ $labels.source }}",
			SummaryEn:     "wedadiag's Kafka consumption is nearly 2 hours behind: source {{ $labels.source }}",
			Description:   "{{ $labels.instance }} 上来源 {{ $labels.source }} 最早未处理的记录已超过 90 分钟；CLS 的 Kafka 消费只保留 2 小时，再落后记录将未读即过期。",
			DescriptionEn: "The oldest unprocessed record of source {{ $labels.source }} on {{ $labels.instance }} is over 90 minutes old; CLS keeps Kafka consumption records 2 hours, so records will soon expire unread.",
			Remedy:        "在同一 group 中增加 wedadiag 实例（README「Scale out」）或增大 pipeline.workers / CPU 配额；检查 wedadiag_source_errors_total 是否在连接或提交时出错。",
			RemedyEn:      "Add wedadiag instances to the same group (README \"Scale out\") or raise pipeline.workers / the CPU limit; check wedadiag_source_errors_total for connect or commit failures.",
		}),
		a("WeDaDiagKafkaRecordsExpired", `sum by (job, instance, source) (increase(wedadiag_kafka_skipped_records_total[15m])) > 0`, "", "error", annotations{
			Summary:       "Kafka 记录未读即过期：来源 {{ $labels.source }}",
			SummaryEn:     "Kafka records expired unread: source {{ $labels.source }}",
			Description:   "{{ $labels.instance }} 上来源 {{ $labels.source }} 最近 15 分钟跳过了已被保留策略删除的记录，这些日志没有被诊断。",
			DescriptionEn: "Source {{ $labels.source }} on {{ $labels.instance }} skipped records that retention deleted before they were read in the last 15 minutes; those logs were not diagnosed.",
			Remedy:        "wedadiag 跟不上写入量或曾长时间停机：按 WeDaDiagKafkaNearRetention 扩容；过期的日志可在 CLS 控制台检索。",
			RemedyEn:      "wedadiag cannot keep up or was down for long: scale out as for WeDaDiagKafkaNearRetention; the expired logs can still be searched in the CLS console.",
		}),
		a("WeDaDiagRuleErrors", `sum by (job, instance, rule) (increase(wedadiag_rule_errors_total[15m])) > 0`, "", "warning", annotations{
			Summary:       "wedadiag 规则执行出错：{{ $labels.rule }}",
			SummaryEn:     "wedadiag rule fails: {{ $labels.rule }}",
			Description:   "规则 {{ $labels.rule }} 在 {{ $labels.instance }} 上最近 15 分钟内执行出错，相关日志可能没有被诊断。",
			DescriptionEn: "Rule {{ $labels.rule }} failed on {{ $labels.instance }} in the last 15 minutes; the records it should match may go undiagnosed.",
			Remedy:        "用 wedadiag rules test 运行该规则的示例，修正表达式后重新加载配置。",
			RemedyEn:      "Run the rule's examples with wedadiag rules test, fix its expression and reload the configuration.",
		}),
	}
}

// Rules returns configs/prometheus/rules.yml: recording rules for rates, an
// alerting rule per critical catalog entry, generic rules by severity and
// rules about wedadiag itself. Every expression may name only metrics in ms
// (and up, for the scrape).
func Rules(cat *catalog.Catalog, ms []Metric) ([]byte, error) {
	rec := recordingRules()
	var perEntry []rule
	var own []string
	for _, e := range CriticalEntries(cat) {
		if !labelSafeRE().MatchString(e.ID) {
			return nil, fmt.Errorf("entry %q: id needs escaping in a PromQL matcher", e.ID)
		}
		perEntry = append(perEntry, entryAlert(cat, e))
		own = append(own, e.ID)
	}
	rf := ruleFile{Groups: []ruleGroup{
		{Name: "wedadiag.recording", Rules: rec},
		{Name: "wedadiag.catalog", Rules: perEntry},
		{Name: "wedadiag.severity", Rules: severityAlerts(own)},
		{Name: "wedadiag.self", Rules: selfAlerts()},
	}}
	allowed := names(append(ms[:len(ms):len(ms)], SourceMetrics()...))
	allowed["up"] = true
	for _, r := range rec {
		allowed[r.Record] = true
	}
	seen := map[string]bool{}
	for _, g := range rf.Groups {
		for _, r := range g.Rules {
			if err := checkNames(r.Expr, allowed); err != nil {
				return nil, fmt.Errorf("group %s: %w", g.Name, err)
			}
			if r.Alert == "" {
				continue
			}
			if !alertNameRE().MatchString(r.Alert) {
				return nil, fmt.Errorf("alert name %q is not CamelCase ASCII", r.Alert)
			}
			if seen[r.Alert] {
				return nil, fmt.Errorf("two alerts are named %q", r.Alert)
			}
			seen[r.Alert] = true
		}
	}
	return marshalYAML(rf, generatedHeader("prometheus", "Prometheus recording and alerting rules for wedadiag.",
		"Check: promtool check rules rules.yml && promtool test rules rules_test.yml"))
}

func generatedHeader(target string, lines ...string) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("# " + l + "\n")
	}
	fmt.Fprintf(&b, "# Generated from the wedadiag catalog by `wedadiag generate %s`; do not edit by hand.\n", target)
	return b.String()
}

func marshalYAML(v any, header string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(header)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
