package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wedadiag/wedadiag/internal/textutil"
)

// newIntegration builds the integration of a receiver (with defaults).
func newIntegration(r Receiver, c *http.Client, rd *renderer, now func() time.Time) integration {
	switch r.Type {
	case TypeAlertmanager:
		return &alertmanager{url: alertmanagerURL(r.URL), headers: r.Headers, client: c, render: rd}
	case TypeWebhook:
		return &webhook{url: r.URL, headers: r.Headers, client: c, render: rd}
	case TypeWeCom:
		return &wecom{url: r.URL, client: c, render: rd}
	case TypeDingTalk:
		return &dingtalk{url: r.URL, secret: r.Secret, client: c, render: rd, now: now}
	case TypeFeishu:
		return &feishu{url: r.URL, secret: r.Secret, client: c, render: rd, now: now}
	}
	return nil
}

// --- Alertmanager API v2 ---

type alertmanager struct {
	url     string
	headers map[string]string
	client  *http.Client
	render  *renderer
}

// alertmanagerURL adds the API path to a base URL (keeping a route prefix).
func alertmanagerURL(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	if !strings.HasSuffix(u.Path, "/api/v2/alerts") {
		u.Path = strings.TrimSuffix(u.Path, "/") + "/api/v2/alerts"
	}
	return u.String()
}

// postableAlert is an alert as Alertmanager's API v2 takes it.
type postableAlert struct {
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     time.Time         `json:"startsAt,omitzero"`
	EndsAt       time.Time         `json:"endsAt,omitzero"`
	GeneratorURL string            `json:"generatorURL,omitempty"`
}

func (a *alertmanager) payloads(m *message) ([]payload, error) {
	alerts := make([]postableAlert, 0, len(m.alerts))
	for i := range m.alerts {
		s := &m.alerts[i]
		ann, err := a.render.annotations(s)
		if err != nil {
			return nil, err
		}
		// A firing alert goes without endsAt: Alertmanager then keeps it
		// for its resolve_timeout after each post, and wedadiag re-posts
		// it every resend_interval. A resolved one carries its end.
		alerts = append(alerts, postableAlert{
			Labels: s.labels(), Annotations: ann, StartsAt: s.startsAt.UTC(),
			EndsAt: utcOrZero(s.endsAt), GeneratorURL: generatorURL(a.render.externalURL, s.id),
		})
	}
	body, err := marshal(alerts)
	if err != nil {
		return nil, err
	}
	firing, _ := m.counts()
	return []payload{{body: body, firing: firing > 0}}, nil
}

func utcOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}

func (a *alertmanager) post(ctx context.Context, p payload) (bool, error) {
	_, retry, err := postJSON(ctx, a.client, a.url, a.headers, p.body)
	return retry, err
}

// --- Generic webhook: Alertmanager's webhook payload, version 4 ---

type webhook struct {
	url     string
	headers map[string]string
	client  *http.Client
	render  *renderer
}

// WebhookMessage is the body posted to a webhook receiver, compatible with
// Alertmanager's webhook_config payload (version 4).
type WebhookMessage struct {
	Receiver          string            `json:"receiver"`
	Status            string            `json:"status"`
	Alerts            []WebhookAlert    `json:"alerts"`
	GroupLabels       map[string]string `json:"groupLabels"`
	CommonLabels      map[string]string `json:"commonLabels"`
	CommonAnnotations map[string]string `json:"commonAnnotations"`
	ExternalURL       string            `json:"externalURL"`
	Version           string            `json:"version"`
	GroupKey          string            `json:"groupKey"`
	TruncatedAlerts   int               `json:"truncatedAlerts"`
}

// WebhookAlert is one alert of a WebhookMessage.
type WebhookAlert struct {
	Status       string            `json:"status"`
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     time.Time         `json:"startsAt"`
	EndsAt       time.Time         `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL"`
	Fingerprint  string            `json:"fingerprint"`
}

func (w *webhook) payloads(m *message) ([]payload, error) {
	msg := WebhookMessage{
		Receiver: w.render.receiver, Status: "resolved", Alerts: []WebhookAlert{},
		GroupLabels: map[string]string{"alertname": AlertName}, ExternalURL: w.render.externalURL,
		Version: "4", GroupKey: `{}:{alertname="` + AlertName + `"}`,
	}
	for i := range m.alerts {
		s := &m.alerts[i]
		ann, err := w.render.annotations(s)
		if err != nil {
			return nil, err
		}
		l := s.labels()
		wa := WebhookAlert{
			Status: "resolved", Labels: l, Annotations: ann, StartsAt: s.startsAt.UTC(),
			EndsAt: utcOrZero(s.endsAt), GeneratorURL: generatorURL(w.render.externalURL, s.id), Fingerprint: fingerprint(l),
		}
		if s.firing {
			wa.Status, msg.Status = "firing", "firing"
		}
		msg.Alerts = append(msg.Alerts, wa)
	}
	msg.CommonLabels = common(msg.Alerts, func(a WebhookAlert) map[string]string { return a.Labels })
	msg.CommonAnnotations = common(msg.Alerts, func(a WebhookAlert) map[string]string { return a.Annotations })
	body, err := marshal(msg)
	if err != nil {
		return nil, err
	}
	return []payload{{body: body, firing: msg.Status == "firing"}}, nil
}

// common returns the pairs every alert has.
func common(alerts []WebhookAlert, get func(WebhookAlert) map[string]string) map[string]string {
	out := map[string]string{}
	if len(alerts) == 0 {
		return out
	}
	for k, v := range get(alerts[0]) {
		out[k] = v
	}
	for _, a := range alerts[1:] {
		m := get(a)
		for k, v := range out {
			if m[k] != v {
				delete(out, k)
			}
		}
	}
	return out
}

func (w *webhook) post(ctx context.Context, p payload) (bool, error) {
	_, retry, err := postJSON(ctx, w.client, w.url, w.headers, p.body)
	return retry, err
}

// --- Robots: WeCom, DingTalk, Feishu ---

// robotReply is the JSON a robot answers with, even on failure: WeCom and
// DingTalk use errcode/errmsg, Feishu code/msg (and StatusCode in older
// replies).
type robotReply struct {
	ErrCode    *int   `json:"errcode"`
	ErrMsg     string `json:"errmsg"`
	Code       *int   `json:"code"`
	Msg        string `json:"msg"`
	StatusCode *int   `json:"StatusCode"`
}

// check reads a robot's 200 reply: errcode 0 is success; codes in retry
// (rate limits, "system busy") are worth trying again, others are not.
func checkReply(body []byte, retry ...int) (bool, error) {
	var r robotReply
	if err := json.Unmarshal(body, &r); err != nil {
		return false, fmt.Errorf("unreadable reply: %s", textutil.Cut(string(body), maxErrorBody))
	}
	code, msg := 0, r.ErrMsg
	switch {
	case r.ErrCode != nil:
		code = *r.ErrCode
	case r.Code != nil:
		code, msg = *r.Code, r.Msg
	case r.StatusCode != nil:
		code, msg = *r.StatusCode, r.Msg
	default:
		return false, fmt.Errorf("reply without errcode: %s", textutil.Cut(string(body), maxErrorBody))
	}
	if code == 0 {
		return false, nil
	}
	for _, c := range retry {
		if code == c {
			return true, &apiError{code, textutil.Cut(msg, maxErrorBody)}
		}
	}
	return false, &apiError{code, textutil.Cut(msg, maxErrorBody)}
}

// WeCom limits: a markdown message's content is at most 4096 bytes of UTF-8.
const weComMaxBytes = 4096

type wecom struct {
	url    string
	client *http.Client
	render *renderer
}

func (w *wecom) payloads(m *message) ([]payload, error) {
	parts, err := w.render.fitMarkdown("wecom", m, weComMaxBytes, func(s string) bool { return len(s) <= weComMaxBytes })
	if err != nil {
		return nil, err
	}
	firing, _ := m.counts()
	var out []payload
	for _, p := range parts {
		body, err := marshal(map[string]any{"msgtype": "markdown", "markdown": map[string]string{"content": p.text}})
		if err != nil {
			return nil, err
		}
		out = append(out, payload{body: body, content: p.text, firing: firing > 0})
	}
	return out, nil
}

// WeCom errcodes worth a retry: -1 system busy, 45009 API frequency limit.
func (w *wecom) post(ctx context.Context, p payload) (bool, error) {
	data, retry, err := postJSON(ctx, w.client, w.url, nil, p.body)
	if err != nil {
		return retry, err
	}
	return checkReply(data, -1, 45009)
}

// DingTalk limits: we keep a markdown text under 20000 bytes.
const dingTalkMaxBytes = 20000

type dingtalk struct {
	url, secret string
	client      *http.Client
	render      *renderer
	now         func() time.Time
}

func (d *dingtalk) payloads(m *message) ([]payload, error) {
	parts, err := d.render.fitMarkdown("dingtalk", m, dingTalkMaxBytes, func(s string) bool { return len(s) <= dingTalkMaxBytes })
	if err != nil {
		return nil, err
	}
	firing, _ := m.counts()
	var out []payload
	for _, p := range parts {
		title, err := d.render.tmpl.exec("dingtalk.title", p.data)
		if err != nil {
			return nil, err
		}
		body, err := marshal(map[string]any{"msgtype": "markdown", "markdown": map[string]string{"title": title, "text": p.text}})
		if err != nil {
			return nil, err
		}
		out = append(out, payload{body: body, title: title, content: p.text, firing: firing > 0})
	}
	return out, nil
}

// dingTalkSign is DingTalk's 加签: base64 of HMAC-SHA256, keyed with the
// secret, of "<timestamp in ms>\n<secret>".
func dingTalkSign(secret string, ms int64) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(strconv.FormatInt(ms, 10) + "\n" + secret))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// DingTalk errcodes worth a retry: -1 system busy, 130101 sending too fast.
func (d *dingtalk) post(ctx context.Context, p payload) (bool, error) {
	u := d.url
	if d.secret != "" {
		ms := d.now().UnixMilli()
		u += "&timestamp=" + strconv.FormatInt(ms, 10) + "&sign=" + url.QueryEscape(dingTalkSign(d.secret, ms))
	}
	data, retry, err := postJSON(ctx, d.client, u, nil, p.body)
	if err != nil {
		return retry, err
	}
	return checkReply(data, -1, 130101)
}

// Feishu limits: a request body is at most 20 KB; we keep it under 19000
// bytes.
const feishuMaxBytes = 19000

type feishu struct {
	url, secret string
	client      *http.Client
	render      *renderer
	now         func() time.Time
}

func feishuBody(title, content string, firing bool, ts, sign string) ([]byte, error) {
	color := "green"
	if firing {
		color = "red"
	}
	msg := map[string]any{
		"msg_type": "interactive",
		"card": map[string]any{
			"config":   map[string]any{"wide_screen_mode": true},
			"header":   map[string]any{"title": map[string]string{"tag": "plain_text", "content": title}, "template": color},
			"elements": []any{map[string]string{"tag": "markdown", "content": content}},
		},
	}
	if sign != "" {
		msg["timestamp"], msg["sign"] = ts, sign
	}
	return marshal(msg)
}

func (f *feishu) payloads(m *message) ([]payload, error) {
	firing, _ := m.counts()
	// The title is short; measure the body with a signature's worth of room.
	const room = 200
	fits := func(s string) bool {
		b, err := feishuBody("wedadiag", s, true, "", "")
		return err == nil && len(b)+room <= feishuMaxBytes
	}
	parts, err := f.render.fitMarkdown("feishu", m, feishuMaxBytes-room-200, fits)
	if err != nil {
		return nil, err
	}
	var out []payload
	for _, p := range parts {
		title, err := f.render.tmpl.exec("feishu.title", p.data)
		if err != nil {
			return nil, err
		}
		out = append(out, payload{title: title, content: p.text, firing: firing > 0})
	}
	return out, nil
}

// feishuSign is Feishu's 签名校验: base64 of HMAC-SHA256 of an empty
// message, keyed with "<timestamp in s>\n<secret>".
func feishuSign(secret string, sec int64) string {
	h := hmac.New(sha256.New, []byte(strconv.FormatInt(sec, 10)+"\n"+secret))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// Feishu codes worth a retry: 11232 frequency limited.
func (f *feishu) post(ctx context.Context, p payload) (bool, error) {
	var ts, sign string
	if f.secret != "" {
		sec := f.now().Unix()
		ts, sign = strconv.FormatInt(sec, 10), feishuSign(f.secret, sec)
	}
	body, err := feishuBody(p.title, p.content, p.firing, ts, sign)
	if err != nil {
		return false, err
	}
	data, retry, err := postJSON(ctx, f.client, f.url, nil, body)
	if err != nil {
		return retry, err
	}
	return checkReply(data, 11232)
}
