package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wedadiag/wedadiag/internal/textutil"
)

// integration turns messages into requests for one kind of receiver.
type integration interface {
	// payloads renders a message as the requests to send, in order (robots
	// may split a long message).
	payloads(m *message) ([]payload, error)
	// post sends one payload. retry tells whether trying again may help.
	post(ctx context.Context, p payload) (retry bool, err error)
}

// payload is one request body, or for the signing robots what goes in it.
type payload struct {
	body    []byte
	title   string
	content string
	firing  bool
}

// maxErrorBody bounds how much of a response body an error quotes.
const maxErrorBody = 256

// statusError is an HTTP response that was not a success.
type statusError struct {
	code       int
	body       string
	retryAfter time.Duration
}

func (e *statusError) Error() string {
	if e.body == "" {
		return fmt.Sprintf("unexpected status %d %s", e.code, http.StatusText(e.code))
	}
	return fmt.Sprintf("unexpected status %d %s: %s", e.code, http.StatusText(e.code), e.body)
}

// apiError is a robot's 200 response whose errcode (or code) is not 0.
type apiError struct {
	code int
	msg  string
}

func (e *apiError) Error() string { return fmt.Sprintf("errcode %d: %s", e.code, e.msg) }

// retryable tells whether a status is worth trying again: 5xx and 429 are,
// other 4xx are not (the request itself is wrong).
func retryable(code int) bool {
	return code >= 500 || code == http.StatusTooManyRequests
}

// postJSON posts body and reads the response. A transport error is
// retryable; a non-2xx status is a *statusError, retryable as retryable
// says. On success it returns the (bounded) response body.
func postJSON(ctx context.Context, c *http.Client, u string, headers map[string]string, body []byte) ([]byte, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return nil, false, err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "wedadiag")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, true, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	// Drain what is left so the connection can be reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode/100 != 2 {
		se := &statusError{code: resp.StatusCode, body: textutil.Cut(strings.TrimSpace(string(data)), maxErrorBody)}
		if s := resp.Header.Get("Retry-After"); s != "" {
			if n, err := strconv.Atoi(s); err == nil && n > 0 {
				se.retryAfter = time.Duration(n) * time.Second
			}
		}
		return nil, retryable(resp.StatusCode), se
	}
	if err != nil {
		return nil, true, err
	}
	return data, false, nil
}

// marshal encodes v as JSON without escaping <, > and & (robot markdown
// uses them, and the byte limits count the text as sent).
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// newClient is the HTTP client of one Notifier: no overall timeout (each
// attempt has its own deadline) and no redirects (a POST must not turn
// into a GET).
func newClient() *http.Client {
	return &http.Client{
		Transport: http.DefaultTransport.(*http.Transport).Clone(),
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// redactor removes a receiver's secrets from text: its URL's query values,
// password and long path segments (robot keys and hook ids live there),
// header values and signing secret.
type redactor struct {
	secrets []string
	safeURL string
}

const redacted = "<redacted>"

func newRedactor(r Receiver) *redactor {
	rd := &redactor{safeURL: redacted}
	add := func(s string) {
		if len(s) >= 6 {
			rd.secrets = append(rd.secrets, s)
		}
	}
	add(r.URL)
	add(r.Secret)
	for _, v := range r.Headers {
		add(v)
		for _, f := range strings.Fields(v) {
			add(f)
		}
	}
	if u, err := url.Parse(r.URL); err == nil {
		rd.safeURL = u.Scheme + "://" + u.Host
		if u.Path != "" && u.Path != "/" || u.RawQuery != "" {
			rd.safeURL += "/" + redacted
		}
		if p, ok := u.User.Password(); ok {
			add(p)
		}
		add(u.User.Username())
		for _, vs := range u.Query() {
			for _, v := range vs {
				add(v)
				add(url.QueryEscape(v))
			}
		}
		for _, seg := range strings.Split(u.Path, "/") {
			if len(seg) >= 16 {
				add(seg)
			}
		}
		add(u.RawQuery)
		add(u.Path)
	}
	// Longest first, so that a secret containing another goes whole.
	for i := 1; i < len(rd.secrets); i++ {
		for j := i; j > 0 && len(rd.secrets[j]) > len(rd.secrets[j-1]); j-- {
			rd.secrets[j], rd.secrets[j-1] = rd.secrets[j-1], rd.secrets[j]
		}
	}
	return rd
}

func (rd *redactor) string(s string) string {
	for _, sec := range rd.secrets {
		s = strings.ReplaceAll(s, sec, redacted)
	}
	return s
}

// error returns err as an error whose text carries no secret. The cause is
// not kept: unwrapping must not give the secret back. A *url.Error shows
// the receiver's safe URL.
func (rd *redactor) error(err error) error {
	if err == nil {
		return nil
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = fmt.Errorf("%s %s: %s", ue.Op, rd.safeURL, describe(ue.Err))
	}
	return errors.New(rd.string(err.Error()))
}

// describe names common transport failures briefly.
func describe(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out (attempt deadline)"
	}
	return err.Error()
}
