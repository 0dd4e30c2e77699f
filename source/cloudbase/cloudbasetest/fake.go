package cloudbasetest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// CursorCap is the most results one query's Context cursor reaches, as the
// real API's 10,000-result window.
const CursorCap = 10000

// timeLayout is the API's zone-less time format.
const timeLayout = "2006-01-02 15:04:05"

// Log is one log in the fake's store.
type Log struct {
	T       time.Time
	Topic   string
	PkgID   string // "" omits PkgLogId
	Content string
}

// API is a local SearchClsLog: it checks each request's TC3 signature
// with its own verifier, serves its logs in time order with Context paging
// and the 10000-result cursor cap, and throttles or fails on a schedule.
type API struct {
	t         testing.TB
	SecretID  string
	SecretKey string
	EnvID     string
	Region    string
	Loc       *time.Location

	Mu            sync.Mutex
	Logs          []Log // sorted by t
	cursors       map[string]*cursor
	nextCursor    int
	requests      int
	ThrottleEvery int // every nth request: RequestLimitExceeded
	FailEvery     int // every nth request (not throttled): HTTP 502 with an HTML body
	DropEvery     int // every nth request (neither): the connection is closed unanswered
	BadSignatures int
	EpochStamps   bool   // Timestamp as Unix milliseconds instead of zone-less text
	LastQuery     string // the QueryString of the last request
	capped        int    // queries whose cursor stopped at the cap
	queries       int    // new queries (requests without Context)
	Stamps        []time.Time
}

type cursor struct {
	idx []int // indexes into logs, in order
	pos int
}

func New(t testing.TB) *API {
	return &API{
		t: t, SecretID: "AKIDfakeSecretId0123", SecretKey: "fakeSecretKey0123456789",
		EnvID: "env-test-1a2b", Region: "ap-shanghai", Loc: time.FixedZone("CST", 8*3600),
		cursors: map[string]*cursor{},
	}
}

func (f *API) Add(logs ...Log) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.Logs = append(f.Logs, logs...)
	sort.SliceStable(f.Logs, func(i, j int) bool { return f.Logs[i].T.Before(f.Logs[j].T) })
}

func (f *API) Start() *httptest.Server {
	srv := httptest.NewServer(f)
	f.t.Cleanup(srv.Close)
	return srv
}

func (f *API) Counts() (requests, bad, capped, queries int) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	return f.requests, f.BadSignatures, f.capped, f.queries
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func apiErr(w http.ResponseWriter, code, msg string) {
	writeJSON(w, map[string]any{"Response": map[string]any{
		"Error": map[string]string{"Code": code, "Message": msg}, "RequestId": "req-err"}})
}

func (f *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.requests++
	f.Stamps = append(f.Stamps, time.Now())
	if err := f.verify(r, body); err != nil {
		f.BadSignatures++
		apiErr(w, "AuthFailure.SignatureFailure", err.Error())
		return
	}
	n := f.requests
	if f.ThrottleEvery > 0 && n%f.ThrottleEvery == 0 {
		apiErr(w, "RequestLimitExceeded", "too many requests")
		return
	}
	if f.FailEvery > 0 && n%f.FailEvery == 0 {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, "<html><body>502 Bad Gateway</body></html>")
		return
	}
	if f.DropEvery > 0 && n%f.DropEvery == 0 {
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	var p struct {
		EnvId, StartTime, EndTime, QueryString, Context, Sort string
		Limit                                                 int
		UseLucene                                             bool
	}
	if err := json.Unmarshal(body, &p); err != nil {
		apiErr(w, "InvalidParameter", "body: "+err.Error())
		return
	}
	if p.EnvId != f.EnvID {
		apiErr(w, "ResourceNotFound.EnvNotExist", "no such environment")
		return
	}
	if p.Sort != "asc" || p.Limit < 1 || p.Limit > 100 || p.QueryString == "" {
		apiErr(w, "InvalidParameter", fmt.Sprintf("sort %q limit %d query %q", p.Sort, p.Limit, p.QueryString))
		return
	}
	f.LastQuery = p.QueryString
	var cur *cursor
	if p.Context != "" {
		cur = f.cursors[p.Context]
		if cur == nil {
			apiErr(w, "InvalidParameter.Context", "unknown context")
			return
		}
		delete(f.cursors, p.Context)
	} else {
		from, err1 := time.ParseInLocation(timeLayout, p.StartTime, f.Loc)
		to, err2 := time.ParseInLocation(timeLayout, p.EndTime, f.Loc)
		if err1 != nil || err2 != nil || to.Before(from) {
			apiErr(w, "InvalidParameter.Time", p.StartTime+" "+p.EndTime)
			return
		}
		f.queries++
		cur = &cursor{}
		for i, l := range f.Logs {
			ts := l.T.Truncate(time.Second)
			if !ts.Before(from) && !ts.After(to) {
				cur.idx = append(cur.idx, i)
			}
		}
	}
	end := min(cur.pos+p.Limit, len(cur.idx), CursorCap)
	results := []map[string]any{}
	for _, i := range cur.idx[cur.pos:end] {
		l := f.Logs[i]
		o := map[string]any{
			"TopicId": "topic-" + l.Topic, "TopicName": l.Topic,
			"Timestamp": l.T.In(f.Loc).Format("2006-01-02 15:04:05.000"),
			"Content":   l.Content, "FileName": "", "Source": "10.0.0.1",
		}
		if l.PkgID != "" {
			o["PkgLogId"] = l.PkgID
		}
		if f.EpochStamps {
			o["Timestamp"] = strconv.FormatInt(l.T.UnixMilli(), 10)
		}
		results = append(results, o)
	}
	cur.pos = end
	listOver := cur.pos >= len(cur.idx)
	ctxOut := ""
	if !listOver {
		f.nextCursor++
		ctxOut = "ctx-" + strconv.Itoa(f.nextCursor)
		if cur.pos >= CursorCap {
			f.capped++ // a further page is refused: the cursor is spent
		} else {
			f.cursors[ctxOut] = cur
		}
	}
	writeJSON(w, map[string]any{"Response": map[string]any{
		"LogResults": map[string]any{"Context": ctxOut, "ListOver": listOver, "Results": results},
		"RequestId":  "req-" + strconv.Itoa(f.requests),
	}})
}

// verify checks the TC3-HMAC-SHA256 signature of r, written from the
// published algorithm, not from the SDK's code.
func (f *API) verify(r *http.Request, body []byte) error {
	if r.Method != http.MethodPost {
		return fmt.Errorf("method %s", r.Method)
	}
	if got := r.Header.Get("X-TC-Action"); got != "SearchClsLog" {
		return fmt.Errorf("X-TC-Action %q", got)
	}
	if got := r.Header.Get("X-TC-Version"); got != "2018-06-08" {
		return fmt.Errorf("X-TC-Version %q", got)
	}
	if got := r.Header.Get("X-TC-Region"); got != f.Region {
		return fmt.Errorf("X-TC-Region %q", got)
	}
	ts, err := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
	if err != nil {
		return fmt.Errorf("X-TC-Timestamp %q", r.Header.Get("X-TC-Timestamp"))
	}
	if d := time.Since(time.Unix(ts, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return fmt.Errorf("X-TC-Timestamp off by %s", d)
	}
	auth := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(auth, "TC3-HMAC-SHA256 ")
	if !ok {
		return errors.New("authorization header: want algorithm TC3-HMAC-SHA256")
	}
	parts := map[string]string{}
	for _, kv := range strings.Split(rest, ", ") {
		k, v, _ := strings.Cut(kv, "=")
		parts[k] = v
	}
	date := time.Unix(ts, 0).UTC().Format("2006-01-02")
	scope := date + "/tcb/tc3_request"
	if parts["Credential"] != f.SecretID+"/"+scope {
		return fmt.Errorf("credential scope")
	}
	if parts["SignedHeaders"] != "content-type;host" {
		return fmt.Errorf("signed headers %q", parts["SignedHeaders"])
	}
	sum := func(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }
	mac := func(key []byte, msg string) []byte {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(msg))
		return m.Sum(nil)
	}
	canonical := strings.Join([]string{
		"POST", "/", "",
		"content-type:" + strings.ToLower(r.Header.Get("Content-Type")) + "\nhost:" + r.Host + "\n",
		"content-type;host",
		sum(body),
	}, "\n")
	toSign := "TC3-HMAC-SHA256\n" + strconv.FormatInt(ts, 10) + "\n" + scope + "\n" + sum([]byte(canonical))
	key := mac(mac(mac([]byte("TC3"+f.SecretKey), date), "tcb"), "tc3_request")
	want := hex.EncodeToString(mac(key, toSign))
	if !hmac.Equal([]byte(parts["Signature"]), []byte(want)) {
		return fmt.Errorf("signature mismatch")
	}
	return nil
}
