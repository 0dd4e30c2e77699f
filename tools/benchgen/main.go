package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/wedadiag/wedadiag/catalog"
)

func main() {
	out := flag.String("out", "", "directory to write corpus.log, codes.txt and expected.json into")
	lines := flag.Int("lines", 1_000_000, "lines in the corpus")
	verify := flag.String("verify", "", "a `scan --format json` output to check against -expected")
	expected := flag.String("expected", "", "expected.json of the corpus scanned")
	flag.Parse()
	var err error
	switch {
	case *verify != "":
		err = check(*verify, *expected)
	case *out != "":
		err = generate(*out, *lines)
	default:
		flag.Usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchgen:", err)
		os.Exit(1)
	}
}

// errorRows picks the catalog rows the corpus carries: rows whose code and
// message resolve to them, specific codes first, about 40 in all.
func errorRows(cat *catalog.Catalog) []*catalog.Entry {
	var rows []*catalog.Entry
	seen := map[string]bool{}
	for _, e := range cat.Entries() {
		if e.Kind != catalog.KindErrorCode || e.Source != catalog.SourceFAQ || seen[e.Code] {
			continue
		}
		if got, full := cat.Resolve(e.Code, fill.Replace(e.Message)); got != e || !full {
			continue
		}
		seen[e.Code] = true
		rows = append(rows, e)
	}
	// Generic codes carry many rows; add flow rows until there are 40.
	for _, e := range cat.Entries() {
		if len(rows) >= 40 {
			break
		}
		if e.Kind == catalog.KindErrorCode && cat.IsGeneric(e.Code) && !contains(rows, e) {
			if got, full := cat.Resolve(e.Code, fill.Replace(e.Message)); got == e && full && len([]rune(e.Message)) >= 6 {
				rows = append(rows, e)
			}
		}
	}
	return rows
}

func contains(list []*catalog.Entry, e *catalog.Entry) bool {
	for _, x := range list {
		if x == e {
			return true
		}
	}
	return false
}

var fill = strings.NewReplacer("{0}", "getOrders", "{1}", "https://api.example.com/v1/orders", "%s", "lowcode-7gx2k9", "xxxxxxx", "role-1024")

func generate(dir string, n int) error {
	cat, err := catalog.Default()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	rows := errorRows(cat)
	f, err := os.Create(filepath.Join(dir, "corpus.log"))
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(20240621, 1))
	want := map[string]int{}
	for i := 0; i < n; i++ {
		var line string
		if rng.IntN(1000) < 20 {
			e := rows[rng.IntN(len(rows))]
			line = errorLine(rng, i, e)
			want[e.ID]++
		} else {
			line = benignLine(rng, i)
		}
		w.WriteString(line)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	var codes []string
	for _, e := range rows {
		codes = append(codes, e.Code)
	}
	sort.Strings(codes)
	if err := os.WriteFile(filepath.Join(dir, "codes.txt"), []byte(strings.Join(codes, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	data, err := json.MarshalIndent(want, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "expected.json"), data, 0o644)
}

func ts(i int) string {
	return fmt.Sprintf("2024-06-21T%02d:%02d:%02d.%03d+08:00", (i/3600000)%24, (i/60000)%60, (i/1000)%60, i%1000)
}

func reqID(rng *rand.Rand) string {
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", rng.Uint32(), rng.IntN(0x10000), rng.IntN(0x1000), 0x8000+rng.IntN(0x4000), rng.Uint64()&0xffffffffffff)
}

var (
	pages   = []string{"/pages/home/index", "/pages/order_list/index", "/pages/detail/index", "/pages/cart/index", "/pages/me/index"}
	methods = []string{"wedaGetRecords", "wedaGetItem", "wedaCreate", "wedaUpdate", "getLogistics", "queryStock"}
	users   = []string{"100009", "100038", "u_100035", "100039112233", "o6zAJs3kq9Fj"}
)

func benignLine(rng *rand.Rand, i int) string {
	id := reqID(rng)
	switch k := rng.IntN(100); {
	case k < 30:
		msgs := []string{
			"sync started, batch=200",
			fmt.Sprintf("fetched %d orders from erp, errors=0", rng.IntN(500)),
			fmt.Sprintf("order %s shipped, tracking=SF%d", users[rng.IntN(len(users))], 100000000+rng.IntN(900000000)),
			fmt.Sprintf("cache hit ratio %.2f for %s", rng.Float64(), methods[rng.IntN(len(methods))]),
		}
		return fmt.Sprintf("2024-06-21T%02d:%02d:%02d.%03dZ\t%s\tINFO\t%s", (i/3600000)%24, (i/60000)%60, (i/1000)%60, i%1000, id, msgs[rng.IntN(len(msgs))])
	case k < 55:
		return fmt.Sprintf(`{"level":"info","time":"%s","msg":"page view","page":"%s","user_id":"%s","cost_ms":%d,"rid":"%s"}`,
			ts(i), pages[rng.IntN(len(pages))], users[rng.IntN(len(users))], rng.IntN(2000), id)
	case k < 80:
		words := []string{"retry policy loaded", "FailedOperationCounter=0", "InvalidParameterValueHint ok", "user roles synced: admin, viewer", "warming up connection pool"}
		return fmt.Sprintf("%s INFO  [%s] %s cost=%dms records=%d errors=0",
			ts(i), []string{"datasource", "apis", "auth", "workflow"}[rng.IntN(4)], words[rng.IntN(len(words))], rng.IntN(300), rng.IntN(50))
	default:
		status := []int{200, 200, 200, 304, 206}[rng.IntN(5)]
		return fmt.Sprintf(`203.0.113.%d - - [21/Jun/2024:08:%02d:%02d +0800] "GET %s.html?from=%s HTTP/1.1" %d %d "-" "Mozilla/5.0 (iPhone) MicroMessenger/8.0.47"`,
			rng.IntN(255), (i/60)%60, i%60, pages[rng.IntN(len(pages))], users[rng.IntN(len(users))], status, 1000+rng.IntN(200000))
	}
}

// errorLine renders one occurrence of a row in one of the forms real logs
// use.
func errorLine(rng *rand.Rand, i int, e *catalog.Entry) string {
	id := reqID(rng)
	msg := fill.Replace(e.Message)
	js := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	numeric := e.Code[0] >= '0' && e.Code[0] <= '9'
	switch rng.IntN(6) {
	case 0:
		return fmt.Sprintf(`{"level":"error","time":"%s","msg":"callDataSource failed","error":{"Response":{"Error":{"Code":%s,"Message":%s},"RequestId":"%s"}}}`, ts(i), js(e.Code), js(msg), id)
	case 1:
		if numeric {
			return fmt.Sprintf(`%s ERROR [workbench] {"code":%s,"message":%s,"requestId":"%s"}`, ts(i), e.Code, js(msg), id)
		}
		return fmt.Sprintf("2024-06-21T%02d:%02d:%02d.%03dZ\t%s\tERROR\t[TencentCloudSDKException] code:%s message:%s requestId:%s", (i/3600000)%24, (i/60000)%60, (i/1000)%60, i%1000, id, e.Code, msg, id)
	case 2:
		return fmt.Sprintf(`%s ERROR [datasource] {"code":"OPERATION_FAIL","msg":%s,"requestId":"%s"}`, ts(i), js("["+e.Code+"] "+msg), id)
	case 3:
		return fmt.Sprintf(`level=error ts=%s code=%s msg=%s requestId=%s`, ts(i), e.Code, strconv.Quote(msg), id)
	case 4:
		if numeric {
			return fmt.Sprintf(`{"level":"error","time":"%s","msg":"request failed","error":{"code":%s,"message":%s}}`, ts(i), e.Code, js(msg))
		}
		return fmt.Sprintf(`%s ERROR [apis] callApis failed: { code: '%s', message: '%s', requestId: '%s' }`, ts(i), e.Code, msg, id)
	default:
		if numeric {
			return fmt.Sprintf(`%s ERROR [workbench] request failed code=%s msg=%s`, ts(i), e.Code, strconv.Quote(msg))
		}
		return fmt.Sprintf(`%s ERROR [workflow] %s: %s flowCode=purchase_apply`, ts(i), e.Code, msg)
	}
}

// check compares the counts of a scan's JSON with the expected ones.
func check(scanPath, expectedPath string) error {
	var want map[string]int
	data, err := os.ReadFile(expectedPath)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, &want); err != nil {
		return err
	}
	var report struct {
		Records   int `json:"records"`
		Diagnoses []struct {
			ID    string `json:"id"`
			Count int    `json:"count"`
		} `json:"diagnoses"`
	}
	data, err = os.ReadFile(scanPath)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, &report); err != nil {
		return err
	}
	got := map[string]int{}
	for _, d := range report.Diagnoses {
		got[d.ID] = d.Count
	}
	var diffs []string
	total := 0
	for id, n := range want {
		total += n
		if got[id] != n {
			diffs = append(diffs, fmt.Sprintf("%s: got %d, want %d", id, got[id], n))
		}
	}
	for id, n := range got {
		if _, ok := want[id]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: got %d, want 0 (a false positive)", id, n))
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		return fmt.Errorf("counts differ:\n  %s", strings.Join(diffs, "\n  "))
	}
	fmt.Printf("counts correct: %d diagnoses in %d entries, %d records\n", total, len(want), report.Records)
	return nil
}
