package cloudbase

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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

// fakeLog is one log in the fake's store.
type fakeLog struct {
	t       time.Time
	topic   string
	pkgID   string // "" omits PkgLogId
	content string
}

// fakeAPI is a local SearchClsLog: it checks each request's TC3 signature
// with its own verifier, serves its logs in time order with Context paging
// and the 10000-result cursor cap, and throttles or fails on a schedule.
type fakeAPI struct {
	t         testing.TB
	secretID  string
	secretKey string
	envID     string
	region    string
	loc       *time.Location

	mu            sync.Mutex
	logs          []fakeLog // sorted by t
	cursors       map[string]*fakeCursor
	nextCursor    int
	requests      int
	throttleEvery int // every nth request: RequestLimitExceeded
	failEvery     int // every nth request (not throttled): HTTP 502 with an HTML body
	dropEvery     int // every nth request (neither): the connection is closed unanswered
	badSignatures int
	epochStamps   bool   // Timestamp as Unix milliseconds instead of zone-less text
	lastQuery     string // the QueryString of the last request
	capped        int    // queries whose cursor stopped at the cap
	queries       int    // new queries (requests without Context)
	stamps        []time.Time
}

type fakeCursor struct {
	idx []int // indexes into logs, in order
	pos int
}

func newFakeAPI(t testing.TB) *fakeAPI {
	return &fakeAPI{
		t: t, secretID: "AKIDfakeSecretId0123", secretKey: "fakeSecretKey0123456789",
		envID: "env-test-1a2b", region: "ap-shanghai", loc: time.FixedZone("CST", 8*3600),
		cursors: map[string]*fakeCursor{},
	}
}

func (f *fakeAPI) add(logs ...fakeLog) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.logs = append(f.logs, logs...)
	sort.SliceStable(f.logs, func(i, j int) bool { return f.logs[i].t.Before(f.logs[j].t) })
}

func (f *fakeAPI) start() *httptest.Server {
	srv := httptest.NewServer(f)
	f.t.Cleanup(srv.Close)
	return srv
}

func (f *fakeAPI) counts() (requests, bad, capped, queries int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests, f.badSignatures, f.capped, f.queries
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func apiErr(w http.ResponseWriter, code, msg string) {
	writeJSON(w, map[string]any{"Response": map[string]any{
		"Error": map[string]string{"Code": code, "Message": msg}, "RequestId": "req-err"}})
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	f.stamps = append(f.stamps, time.Now())
	if err := f.verify(r, body); err != nil {
		f.badSignatures++
		apiErr(w, "AuthFailure.SignatureFailure", err.Error())
		return
	}
	n := f.requests
	if f.throttleEvery > 0 && n%f.throttleEvery == 0 {
		apiErr(w, "RequestLimitExceeded", "too many requests")
		return
	}
	if f.failEvery > 0 && n%f.failEvery == 0 {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, "<html><body>502 Bad Gateway</body></html>")
		return
	}
	if f.dropEvery > 0 && n%f.dropEvery == 0 {
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
	if p.EnvId != f.envID {
		apiErr(w, "ResourceNotFound.EnvNotExist", "no such environment")
		return
	}
	if p.Sort != "asc" || p.Limit < 1 || p.Limit > 100 || p.QueryString == "" {
		apiErr(w, "InvalidParameter", fmt.Sprintf("sort %q limit %d query %q", p.Sort, p.Limit, p.QueryString))
		return
	}
	f.lastQuery = p.QueryString
	var cur *fakeCursor
	if p.Context != "" {
		cur = f.cursors[p.Context]
		if cur == nil {
			apiErr(w, "InvalidParameter.Context", "unknown context")
			return
		}
		delete(f.cursors, p.Context)
	} else {
		from, err1 := time.ParseInLocation(apiTimeLayout, p.StartTime, f.loc)
		to, err2 := time.ParseInLocation(apiTimeLayout, p.EndTime, f.loc)
		if err1 != nil || err2 != nil || to.Before(from) {
			apiErr(w, "InvalidParameter.Time", p.StartTime+" "+p.EndTime)
			return
		}
		f.queries++
		cur = &fakeCursor{}
		for i, l := range f.logs {
			ts := l.t.Truncate(time.Second)
			if !ts.Before(from) && !ts.After(to) {
				cur.idx = append(cur.idx, i)
			}
		}
	}
	end := min(cur.pos+p.Limit, len(cur.idx), cursorCap)
	results := []map[string]any{}
	for _, i := range cur.idx[cur.pos:end] {
		l := f.logs[i]
		o := map[string]any{
			"TopicId": "topic-" + l.topic, "TopicName": l.topic,
			"Timestamp": l.t.In(f.loc).Format("2006-01-02 15:04:05.000"),
			"Content":   l.content, "FileName": "", "Source": "10.0.0.1",
		}
		if l.pkgID != "" {
			o["PkgLogId"] = l.pkgID
		}
		if f.epochStamps {
			o["Timestamp"] = strconv.FormatInt(l.t.UnixMilli(), 10)
		}
		results = append(results, o)
	}
	cur.pos = end
	listOver := cur.pos >= len(cur.idx)
	ctxOut := ""
	if !listOver {
		f.nextCursor++
		ctxOut = "ctx-" + strconv.Itoa(f.nextCursor)
		if cur.pos >= cursorCap {
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
func (f *fakeAPI) verify(r *http.Request, body []byte) error {
	if r.Method != http.MethodPost {
		return fmt.Errorf("method %s", r.Method)
	}
	if got := r.Header.Get("X-TC-Action"); got != "SearchClsLog" {
		return fmt.Errorf("X-TC-Action %q", got)
	}
	if got := r.Header.Get("X-TC-Version"); got != "2018-06-08" {
		return fmt.Errorf("X-TC-Version %q", got)
	}
	if got := r.Header.Get("X-TC-Region"); got != f.region {
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
		return fmt.Errorf("Authorization algorithm")
	}
	parts := map[string]string{}
	for _, kv := range strings.Split(rest, ", ") {
		k, v, _ := strings.Cut(kv, "=")
		parts[k] = v
	}
	date := time.Unix(ts, 0).UTC().Format("2006-01-02")
	scope := date + "/tcb/tc3_request"
	if parts["Credential"] != f.secretID+"/"+scope {
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
	key := mac(mac(mac([]byte("TC3"+f.secretKey), date), "tcb"), "tc3_request")
	want := hex.EncodeToString(mac(key, toSign))
	if !hmac.Equal([]byte(parts["Signature"]), []byte(want)) {
		return fmt.Errorf("signature mismatch")
	}
	return nil
}
