package cloudbase

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
)

// The API this package calls.
const (
	apiService = "tcb"
	apiVersion = "2018-06-08"
	apiAction  = "SearchClsLog"
	// pageLimit is the most results one request may ask for.
	pageLimit = 100
	// cursorCap is the most results one query's Context cursor reaches.
	cursorCap = 10000
	// apiTimeLayout is the API's time format; the zone is Config.TimeZone.
	apiTimeLayout = "2006-01-02 15:04:05"
)

// logObject is one result (LogObject in the API). PkgLogId is read as a
// string whether the API sends a string or a number.
type logObject struct {
	TopicID   string     `json:"TopicId"`
	TopicName string     `json:"TopicName"`
	Timestamp flexString `json:"Timestamp"`
	Content   string     `json:"Content"`
	FileName  string     `json:"FileName"`
	Source    string     `json:"Source"`
	PkgLogID  flexString `json:"PkgLogId"`
}

type logResults struct {
	Context  string      `json:"Context"`
	ListOver bool        `json:"ListOver"`
	Results  []logObject `json:"Results"`
}

// searchResponse is the response body; the embedded BaseResponse turns an
// {"Error": …} body into a *tcerr.TencentCloudSDKError.
type searchResponse struct {
	*tchttp.BaseResponse
	Response *struct {
		LogResults *logResults `json:"LogResults"`
		RequestID  string      `json:"RequestId"`
	} `json:"Response"`
}

// flexString accepts a JSON string, number or null.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) == 0 || string(b) == "null":
		*f = ""
	case b[0] == '"':
		s, err := unquote(b)
		if err != nil {
			return err
		}
		*f = flexString(s)
	default:
		*f = flexString(b)
	}
	return nil
}

// errKind says what a failed request means for the poller.
type errKind int

const (
	kindClient    errKind = iota // the request is wrong (auth, parameters): retrying does not help
	kindThrottled                // RequestLimitExceeded: back off and retry
	kindServer                   // 5xx, InternalError: back off and retry
	kindNetwork                  // no response: back off and retry
)

// result label values of wedadiag_cloudbase_requests_total.
var kindResult = map[errKind]string{
	kindClient:    "client_error",
	kindThrottled: "throttled",
	kindServer:    "server_error",
	kindNetwork:   "network_error",
}

// apiError is a failed request, its message cleaned of secrets and cut.
type apiError struct {
	kind   errKind
	code   string // the API's error code, or "HTTP 502"
	msg    string
	status int
}

func (e *apiError) Error() string {
	if e.msg == "" {
		return "SearchClsLog: " + e.code
	}
	return "SearchClsLog: " + e.code + ": " + e.msg
}

func (e *apiError) retryable() bool { return e.kind != kindClient }

// client sends signed SearchClsLog requests through the SDK's common client.
type client struct {
	sdk     *common.Client
	envID   string
	query   string
	lucene  bool
	loc     *time.Location
	secrets []string // to scrub from error messages
}

type statusKey struct{}

// statusTransport records the HTTP status of each response in the request's
// context: the SDK reports a 5xx with a non-JSON body only as a parse error.
type statusTransport struct{ base http.RoundTripper }

func (t statusTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if resp != nil {
		if p, ok := r.Context().Value(statusKey{}).(*int); ok {
			*p = resp.StatusCode
		}
	}
	return resp, err
}

func newClient(cfg Config, cred *common.Credential, loc *time.Location) (*client, error) {
	prof := profile.NewClientProfile()
	prof.HttpProfile.ReqMethod = http.MethodPost
	prof.HttpProfile.ReqTimeout = 30
	prof.DisableRegionBreaker = true // never switch to a backup host
	prof.RateLimitExceededMaxRetries = 0
	prof.NetworkFailureMaxRetries = 0
	if cfg.Endpoint != "" {
		scheme, host, err := splitEndpoint(cfg.Endpoint)
		if err != nil {
			return nil, err
		}
		prof.HttpProfile.Scheme = strings.ToUpper(scheme)
		prof.HttpProfile.Endpoint = host
	}
	sdk := common.NewCommonClient(cred, cfg.Region, prof)
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.IdleConnTimeout = 30 * time.Second
	sdk.WithHttpTransport(statusTransport{base: base})
	q := strings.TrimSpace(cfg.Query)
	if q == "" {
		q = "*"
	}
	return &client{
		sdk: sdk, envID: cfg.EnvID, query: q, lucene: cfg.UseLucene, loc: loc,
		secrets: []string{cred.SecretId, cred.SecretKey},
	}, nil
}

// search asks for one page of the window [from, to], continuing cursor when
// it is not empty.
func (c *client) search(ctx context.Context, from, to time.Time, cursor string) (*logResults, error) {
	params := map[string]any{
		"EnvId":       c.envID,
		"StartTime":   from.In(c.loc).Format(apiTimeLayout),
		"EndTime":     to.In(c.loc).Format(apiTimeLayout),
		"QueryString": c.query,
		"Limit":       pageLimit,
		"Sort":        "asc",
		"UseLucene":   c.lucene,
	}
	if cursor != "" {
		params["Context"] = cursor
	}
	req := tchttp.NewCommonRequest(apiService, apiVersion, apiAction)
	if err := req.SetActionParameters(params); err != nil {
		return nil, &apiError{kind: kindClient, code: "ClientError", msg: c.clean(err.Error())}
	}
	status := 0
	req.SetContext(context.WithValue(ctx, statusKey{}, &status))
	resp := &searchResponse{BaseResponse: &tchttp.BaseResponse{}}
	err := c.sdk.Send(req, resp)
	if err != nil {
		return nil, c.classify(ctx, err, status)
	}
	if resp.Response == nil || resp.Response.LogResults == nil {
		return &logResults{ListOver: true}, nil
	}
	return resp.Response.LogResults, nil
}

// classify turns an SDK error into an apiError.
func (c *client) classify(ctx context.Context, err error, status int) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if status >= 500 {
		return &apiError{kind: kindServer, code: fmt.Sprintf("HTTP %d", status), status: status}
	}
	if status == http.StatusTooManyRequests {
		return &apiError{kind: kindThrottled, code: "HTTP 429", status: status}
	}
	var sdkErr *tcerr.TencentCloudSDKError
	if !errors.As(err, &sdkErr) {
		return &apiError{kind: kindNetwork, code: "NetworkError", msg: c.clean(err.Error()), status: status}
	}
	e := &apiError{code: sdkErr.Code, msg: c.clean(sdkErr.Message), status: status}
	switch code := sdkErr.Code; {
	case code == "RequestLimitExceeded" || strings.HasPrefix(code, "RequestLimitExceeded."):
		e.kind = kindThrottled
	case strings.HasPrefix(code, "InternalError") || strings.HasPrefix(code, "ServiceUnavailable") ||
		code == "ResourceUnavailable":
		e.kind = kindServer
	case code == "ClientError.NetworkError" || code == "ClientError.IOError":
		e.kind = kindNetwork
		if cause := errors.Unwrap(sdkErr); cause != nil {
			e.msg = c.clean(cause.Error())
		}
	default:
		e.kind = kindClient
	}
	return e
}

// clean removes the credentials from a message and cuts it to a line.
func (c *client) clean(msg string) string {
	for _, s := range c.secrets {
		if len(s) >= 4 {
			msg = strings.ReplaceAll(msg, s, redacted)
		}
	}
	if i := strings.IndexAny(msg, "\r\n"); i >= 0 {
		msg = msg[:i]
	}
	const max = 200
	if len(msg) > max {
		cut := max
		for cut > 0 && msg[cut]&0xC0 == 0x80 {
			cut--
		}
		msg = msg[:cut] + "…"
	}
	return msg
}
