package benchcorpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"github.com/wedadiag/wedadiag/catalog"
)

// Shapes of corpus.
const (
	Mixed   = "mixed"
	Success = "success"
)

// Shapes lists the shapes, in the order scripts/bench runs them.
var Shapes = []string{Mixed, Success}

// Options choose a corpus.
type Options struct {
	Shape string // Mixed (default) or Success
	Lines int
	// ErrorsPerMille is how many lines in a thousand carry an error code,
	// on average: 1 is 0.1 %, 20 is 2 % (the default), 200 is 20 %.
	ErrorsPerMille int
}

// Truth is what a correct scan of a corpus reports.
type Truth struct {
	// Counts maps a catalog entry's ID to its records.
	Counts map[string]int
	// Codes are the codes the error lines carry, sorted (for grep -F -f).
	Codes []string
	Lines int
}

// Errors is the number of error records in the corpus.
func (t Truth) Errors() int {
	n := 0
	for _, c := range t.Counts {
		n += c
	}
	return n
}

// Write writes the corpus o chooses to w, one record per line, and returns
// its truth.
func Write(w io.Writer, cat *catalog.Catalog, o Options) (Truth, error) {
	if o.Shape == "" {
		o.Shape = Mixed
	}
	if o.ErrorsPerMille == 0 {
		o.ErrorsPerMille = 20
	}
	var benign func(*rand.Rand, int) string
	switch o.Shape {
	case Mixed:
		benign = benignLine
	case Success:
		benign = successLine
	default:
		return Truth{}, fmt.Errorf("shape %q: want %s or %s", o.Shape, Mixed, Success)
	}
	rows := errorRows(cat)
	bw := bufio.NewWriterSize(w, 1<<20)
	// The mixed shape at 2 % keeps the seed and draws of the first bench
	// corpus, so its figures stay comparable.
	rng := rand.New(rand.NewPCG(20240621, 1))
	if o.Shape != Mixed {
		rng = rand.New(rand.NewPCG(20261202, uint64(o.ErrorsPerMille)))
	}
	t := Truth{Counts: map[string]int{}, Lines: o.Lines}
	for i := 0; i < o.Lines; i++ {
		var line string
		if rng.IntN(1000) < o.ErrorsPerMille {
			e := rows[rng.IntN(len(rows))]
			line = errorLine(rng, i, e)
			t.Counts[e.ID]++
		} else {
			line = benign(rng, i)
		}
		bw.WriteString(line)
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return Truth{}, err
	}
	for _, e := range rows {
		t.Codes = append(t.Codes, e.Code)
	}
	sort.Strings(t.Codes)
	return t, nil
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

// SampleLines is the size of the samples the packages' benchmarks run over.
const SampleLines = 20_000

// Sample returns the lines (without newlines) of the corpus o chooses and
// its truth: the input of `go test -bench` benchmarks.
func Sample(cat *catalog.Catalog, o Options) ([][]byte, Truth, error) {
	var b bytes.Buffer
	t, err := Write(&b, cat, o)
	if err != nil {
		return nil, Truth{}, err
	}
	lines := bytes.Split(bytes.TrimSuffix(b.Bytes(), []byte("\n")), []byte("\n"))
	return lines, t, nil
}

// BenchCases are the shapes and densities the benchmarks run: both shapes
// at 2 %, and the success shape at 0.1 % and 20 %.
var BenchCases = []Options{
	{Shape: Mixed, ErrorsPerMille: 20},
	{Shape: Success, ErrorsPerMille: 1},
	{Shape: Success, ErrorsPerMille: 20},
	{Shape: Success, ErrorsPerMille: 200},
}

// Name names o for a sub-benchmark: "success-2.0%".
func (o Options) Name() string {
	return fmt.Sprintf("%s-%.1f%%", o.Shape, float64(o.ErrorsPerMille)/10)
}
