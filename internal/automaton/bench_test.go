package automaton

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/coregx/ahocorasick"
)

// benchLiterals are the prefilter literals of the built-in rules (catalog
// codes, symptom literals, error-like literals), written out at wave 2's
// session 6 so that this package measures itself without importing rules.
func benchLiterals(b testing.TB) []string {
	data, err := os.ReadFile("testdata/literals.json")
	if err != nil {
		b.Fatal(err)
	}
	var lits []string
	if err := json.Unmarshal(data, &lits); err != nil {
		b.Fatal(err)
	}
	return lits
}

// benchBenign is everyday traffic, the same lines as rules' benchmarks: no
// error, no code.
var benchBenign = strings.Split(`2024-06-21T08:00:01.123Z	1d3e5f7a-2b4c-4d6e-8f90-a1b2c3d4e5f6	INFO	{"level":"info","time":"2024-06-21T08:00:01.123Z","msg":"query finished","user_id":"u_100009x","cost_ms":12,"path":"/api/v1/orders/list","env":"prod-1a2b3c"}
10.0.3.17 - - [21/Jun/2024:08:00:01 +0800] "GET /static/js/app.4f3c2a.js HTTP/1.1" 200 157342 "https://lowcode-1a2b.tcloudbaseapp.com/app/index.html" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49"
2024-06-21 08:00:01.123 INFO [main] c.w.app.OrderService - 查询订单列表成功，用户 u_1234 共返回 20 条记录，耗时 35ms
level=info ts=2024-06-21T08:00:01.123Z caller=orders.go:88 msg="orders listed" count=20 errors=0 duration_ms=35
Report RequestId: 1d3e5f7a-2b4c-4d6e-8f90-a1b2c3d4e5f6 Duration: 35ms Memory: 256MB MemUsage: 30MB
{"level":30,"time":1718956809123,"pid":7,"hostname":"weda-app-5f7c9","req":{"id":42,"method":"GET","url":"/api/v1/users/me"},"res":{"statusCode":200},"responseTime":12,"msg":"request completed"}`, "\n")

func benchBytes() ([][]byte, int64) {
	var out [][]byte
	n := 0
	for _, l := range benchBenign {
		out = append(out, []byte(l))
		n += len(l) + 1
	}
	return out, int64(n)
}

// BenchmarkScan is one pass over benign lines: what every record costs.
func BenchmarkScan(b *testing.B) {
	a := New(benchLiterals(b))
	lines, n := benchBytes()
	var hits []Hit
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range lines {
			hits = a.Scan(l, hits[:0])
		}
	}
}

// BenchmarkScanCoregx is github.com/coregx/ahocorasick v0.3.1's IsMatch
// over the same literals and lines, the alternative rules' doc.go compares
// this automaton with. It answers less (whether any literal occurs, not
// which ones where).
func BenchmarkScanCoregx(b *testing.B) {
	ac, err := ahocorasick.NewBuilder().AddStrings(benchLiterals(b)).Build()
	if err != nil {
		b.Fatal(err)
	}
	lines, n := benchBytes()
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range lines {
			ac.IsMatch(l)
		}
	}
}

// BenchmarkScanFile scans the lines of the file WEDADIAG_BENCH_FILE names
// (its first 8 MiB), with the scalar skip loop and, where the CPU has it,
// the vector one: what the prefilter costs on a realistic corpus, e.g.
//
//	WEDADIAG_BENCH_FILE=$PWD/bench/mixed-20/corpus.log taskset -c 1 go test -run '^$' -bench ScanFile ./internal/automaton
func BenchmarkScanFile(b *testing.B) {
	path := os.Getenv("WEDADIAG_BENCH_FILE")
	if path == "" {
		b.Skip("WEDADIAG_BENCH_FILE is not set")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	data = data[:min(len(data), 8<<20)]
	lines := bytes.Split(data, []byte("\n"))
	// block: the whole lines of 256 KiB at a time, as scan and the daemon
	// hand the rules' literals to the automaton.
	var blocks [][]byte
	for rest := data; len(rest) > 0; {
		n := min(len(rest), 256<<10)
		if j := bytes.LastIndexByte(rest[:n], '\n'); j >= 0 && n < len(rest) {
			n = j + 1
		}
		blocks, rest = append(blocks, rest[:n]), rest[n:]
	}
	for _, mode := range []string{"scalar", "vector", "block"} {
		b.Run(mode, func(b *testing.B) {
			a := New(benchLiterals(b))
			if mode == "scalar" {
				a.teddy = nil
			} else if a.teddy == nil || a.teddy.tables() == nil {
				b.Skip("no vector loop on this CPU")
			}
			var hits []Hit
			n := int64(0)
			for _, l := range lines {
				n += int64(len(l)) + 1
			}
			b.SetBytes(n)
			texts := lines
			if mode == "block" {
				texts = blocks
			}
			for b.Loop() {
				for _, t := range texts {
					hits = a.Scan(t, hits[:0])
				}
			}
		})
	}
}
