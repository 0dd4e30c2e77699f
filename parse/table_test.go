package parse

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/wedadiag/wedadiag/record"
)

// TestParseAllocs holds the allocation counts of parsing ordinary records
// once the Parser has warmed up: none, whether or not it fills
// Event.Fields, for benign lines and error lines of the common formats
// (escapes and nested keys are kept in the Parser's arena).
func TestParseAllocs(t *testing.T) {
	lines := map[string]string{
		"json success": `{"level":"info","time":"2024-06-21T00:00:00.000+08:00","msg":"request done","action":"wedaGetRecordsV2","code":0,"errCode":0,"status":200,"requestId":"3b98ef06-592f-464a-b477-437854e42664","cost_ms":1643,"size":520,"count":428,"retries":0,"page":35,"pageSize":20,"total":26979,"user_id":"100038","app":"lowcode-1a2b3c","env":"prod","region":"ap-guangzhou","upstream_ms":51,"queue_ms":14,"bytes_in":597,"bytes_out":21,"cache":"hit","trace":"t-1"}`,
		"json nested":  "2024-06-21T00:00:00.004Z\t0c362726-092d-4371-afdc-4478fbd26e62\tINFO\t" + `{"code":0,"message":"success","data":{"total":3887,"pageNo":17,"pageSize":50,"costMs":2060}}`,
		"logfmt":       `level=info ts=2024-06-21T00:00:00.005+08:00 code=0 status=200 msg="wedaGetRecordsV2 \"ok\"" bytes=39048 dur_ms=731 rows=19 retries=0 app=lowcode-1a2b3c`,
		"text":         "2024-06-21T00:00:00.008+08:00 INFO [wx] cloud.callFunction:ok errCode: 0 errMsg: \"cloud.callFunction:ok\" requestID: 4d3a0381-5a90-47dd-b1a1-f339983d457e duration: 799ms",
		"access":       `203.0.113.156 - - [21/Jun/2024:08:00:00 +0800] "GET /pages/detail/index.html?from=o6zAJs3kq9Fj HTTP/1.1" 200 121994 "-" "Mozilla/5.0 (iPhone) MicroMessenger/8.0.47"`,
		"tcapi error":  `{"Response":{"Error":{"Code":"FailedOperation.FlexdbResourceOverdue","Message":"数据库资源到期\n请升级套餐"},"RequestId":"1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"}}`,
		"js literal":   "{\n  code: 'FnError.HTTP.NetworkError',\n  message: '方法 getList ' +\n 'x',\n  requestId: 'x'\n}",
		"scf report":   "Report RequestId: 1d3e5f7a-2b4c-4d6e-8f90-a1b2c3d4e5f6 Duration: 35ms Memory: 256MB MemUsage: 30MB",
		"zone field":   `{"level":"info","time":"2024-06-21T05:30:00.000+05:30","msg":"ok"}`,
		"zone prefix":  "2024-06-21 05:30:00 -0930 INFO ok",
	}
	for name, line := range lines {
		for _, skip := range []bool{false, true} {
			p := New(fuzzCodes)
			p.SkipFieldMap = skip
			rec := &record.Record{Text: []byte(line), Lines: 1}
			var ev Event
			parse := func() { p.Parse(&ev, rec, p.Text(rec, ""), "") }
			parse() // warm up: the buffers grow to the record's size
			if n := testing.AllocsPerRun(100, parse); n != 0 {
				t.Errorf("%s (SkipFieldMap %v): %v allocs per record, want 0", name, skip, n)
			}
		}
	}
}

// TestSkipFieldMap: with or without the map, Field and LookupField read
// the same fields, and the map holds exactly them.
func TestSkipFieldMap(t *testing.T) {
	for _, line := range fuzzSeeds() {
		rec := &record.Record{Text: []byte(line), Lines: 1}
		full, lean := New(fuzzCodes), New(fuzzCodes)
		lean.SkipFieldMap = true
		var a, b Event
		full.Parse(&a, rec, full.Text(rec, ""), "")
		lean.Parse(&b, rec, lean.Text(rec, ""), "")
		if b.Fields != nil {
			t.Fatalf("%q: SkipFieldMap filled Fields", line)
		}
		if len(a.Fields) != full.tab.len() {
			t.Errorf("%q: %d fields in the map, %d read", line, len(a.Fields), full.tab.len())
		}
		for k, v := range a.Fields {
			if got, ok := b.LookupField(k); !ok || got != v {
				t.Errorf("%q: field %q = %q (%v) without the map, %q with it", line, k, got, ok, v)
			}
			if got := a.Field(k); got != v {
				t.Errorf("%q: Field(%q) = %q, map %q", line, k, got, v)
			}
		}
		if _, ok := b.LookupField("no such field"); ok {
			t.Errorf("%q: found a field that is not there", line)
		}
	}
}

// TestTable checks the field table against a map: the first writer wins,
// at most maxFields are kept, and forgetting the latest fields leaves the
// others found.
func TestTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	tab := newTable()
	for round := 0; round < 200; round++ {
		tab.reset()
		want := map[string]string{}
		var order []string
		n := rng.IntN(2 * maxFields)
		for i := 0; i < n; i++ {
			k := "k" + strconv.Itoa(rng.IntN(3*maxFields))
			v := strconv.Itoa(i)
			tab.add(k, v)
			if _, ok := want[k]; !ok && len(want) < maxFields {
				want[k] = v
				order = append(order, k)
			}
			if rng.IntN(50) == 0 && len(order) > 0 {
				keep := rng.IntN(len(order) + 1)
				tab.truncate(keep)
				for _, k := range order[keep:] {
					delete(want, k)
				}
				order = order[:keep]
			}
		}
		if tab.len() != len(want) {
			t.Fatalf("round %d: %d fields, want %d", round, tab.len(), len(want))
		}
		for i, k := range order {
			if tab.list[i].key != k {
				t.Fatalf("round %d: field %d is %q, want %q", round, i, tab.list[i].key, k)
			}
			if v, ok := tab.lookup(k); !ok || v != want[k] {
				t.Fatalf("round %d: %q = %q (%v), want %q", round, k, v, ok, want[k])
			}
		}
		for i := 0; i < 50; i++ {
			k := "k" + strconv.Itoa(rng.IntN(3*maxFields))
			if _, ok := want[k]; tab.has(k) != ok {
				t.Fatalf("round %d: has(%q) = %v, want %v", round, k, !ok, ok)
			}
		}
	}
}

// TestTextShortcuts: the look that skips a search when the text cannot
// hold a key still covers every key.
func TestTextShortcuts(t *testing.T) {
	for _, k := range proseKeys {
		if !strings.Contains(k, "code") && !strings.Contains(k, "错误") {
			t.Errorf("prose key %q holds neither \"code\" nor \"错误\" (ProseCode's shortcut)", k)
		}
	}
	for _, k := range requestIDKeys {
		if !strings.Contains(k, "eq") {
			t.Errorf("request id key %q does not hold \"eq\" (textRequestID's shortcut)", k)
		}
	}
}

// TestKnownKeys: the keys the table finds without hashing fit its slots,
// and a look-up key that names no kind is kindNone.
func TestKnownKeys(t *testing.T) {
	if knownIndex.n > maxKnown {
		t.Fatalf("%d known keys, room for %d", knownIndex.n, maxKnown)
	}
	inKinds := map[string]bool{}
	for _, keys := range keyKinds {
		for _, k := range keys {
			inKinds[k] = true
		}
	}
	for _, k := range lookupKeys {
		if kind, _ := keyKind(k); !inKinds[k] && kind != kindNone {
			t.Errorf("keyKind(%q) = %d, want none", k, kind)
		}
		tab := newTable()
		tab.add("x", "1")
		tab.add(k, "v")
		tab.add(k, "w")
		if v, ok := tab.lookup(k); !ok || v != "v" || tab.len() != 2 {
			t.Errorf("%q: %q %v, %d fields", k, v, ok, tab.len())
		}
		tab.truncate(1)
		if tab.has(k) || !tab.has("x") {
			t.Errorf("%q: kept after truncate", k)
		}
	}
}
