package automaton

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// naiveHits finds every occurrence of every literal by brute force, in the
// automaton's order: by end offset, then literal id.
func naiveHits(lits []string, text string) []Hit {
	var out []Hit
	for id, l := range lits {
		for i := 0; ; i++ {
			j := strings.Index(text[i:], l)
			if j < 0 {
				break
			}
			i += j
			out = append(out, Hit{Lit: uint32(id), End: uint32(i + len(l))})
		}
	}
	slices.SortFunc(out, cmpHit)
	return out
}

func cmpHit(a, b Hit) int {
	if a.End != b.End {
		return int(a.End) - int(b.End)
	}
	return int(a.Lit) - int(b.Lit)
}

func checkAutomaton(t *testing.T, lits []string, text string) {
	t.Helper()
	checkScans(t, lits, newPair(lits), text)
}

// scanPair is an automaton without the vector prefilter and, where the
// CPU has it, the same with tables built for its keys however much they
// let through (nil where it has not).
type scanPair struct{ scalar, vector *Automaton }

func newPair(lits []string) scanPair {
	a := New(lits)
	s := *a
	s.teddy = nil
	p := scanPair{scalar: &s}
	if haveTeddy {
		var keys []string
		for _, l := range lits {
			keys = append(keys, keyOf(l, anchor(l)))
		}
		v := *a
		v.teddy = builtTeddy(newTeddy(keys, math.Inf(1)))
		p.vector = &v
	}
	return p
}

// checkScans holds both automatons of p to brute force on text, and the
// vector scan to the scalar one's order.
func checkScans(t *testing.T, lits []string, p scanPair, text string) {
	t.Helper()
	want := naiveHits(lits, text)
	scalar := p.scalar.Scan([]byte(text), nil)
	var vector []Hit
	if p.vector != nil {
		vector = p.vector.Scan([]byte(text), nil)
	}
	if vector != nil && !slices.Equal(vector, scalar) {
		t.Fatalf("literals %q in %q: the vector scan differs from the scalar one:\nvector %v\nscalar %v", lits, text, vector, scalar)
	}
	slices.SortFunc(scalar, cmpHit) // same end: any order
	if !slices.Equal(scalar, want) {
		t.Fatalf("literals %q in %q:\ngot  %v\nwant %v", lits, text, scalar, want)
	}
}

func TestAutomatonOverlaps(t *testing.T) {
	lits := []string{"FailedOperation", "FailedOperation.FlexdbResourceOverdue", "FailedOperation.FlexdbInternalError", "Operation", "on", "n",
		"数据库资源到期或者数据库读写次数超过套餐包限制", "数据库资源",
		"100009", "100,009", "00", "错误", "误", "\\u", "Exception", "xception", "ab", "b"}
	for _, text := range []string{
		"ERROR FailedOperation.FlexdbResourceOverdue 错误 code=100,009 and 100009000",
		"FailedOperation.FlexdbInternal FailedOperation.FlexdbInternalError 数据库资源到期或者数据库读写次数超过套餐包限制。",
		"数据库资源到期或者数据库读写次数超过套餐", "FailedOperation.Flexdb",
		"", "n", "aab", "\\u8c03 Exception xception",
		strings.Repeat("FailedOperationFailedOperation", 3),
	} {
		checkAutomaton(t, lits, text)
	}
}

func TestAutomatonRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := "abcAB.01 \":错"
	word := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		return b.String()
	}
	for round := 0; round < 300; round++ {
		var lits []string
		seen := map[string]bool{}
		long := round%3 == 0 // literals longer than maxKey: key, prefix and rest
		for len(lits) < 1+r.IntN(12) {
			n := 1 + r.IntN(6)
			if long {
				n = 1 + r.IntN(3*maxKey)
			}
			w := word(n)
			if !seen[w] {
				seen[w] = true
				lits = append(lits, w)
			}
		}
		text := word(r.IntN(200))
		if long && len(text) > 0 {
			// Plant whole literals so long ones occur at all.
			for _, l := range lits[:min(3, len(lits))] {
				at := r.IntN(len(text))
				text = text[:at] + l + text[at:]
			}
		}
		checkAutomaton(t, lits, text)
	}
}

func TestAnchor(t *testing.T) {
	for lit, want := range map[string]string{
		"Exception":                        "xception",
		"FailedOperation":                  "FailedOperation",
		"timed out":                        "med out",
		"ab":                               "ab",
		"100009":                           "100009",
		"${userTaskEventListener.onCreate": "${userTaskEventListener.onCreate",
		// Not at the "qu" of request, the "lo" of log or the "me" of message.
		"request quota":        "uota",
		"RequestLimitExceeded": "xceeded",
		"is locked":            "cked",
		"memory":               "emory",
		// Not at a character every Chinese log line holds (数, 据, 的, 请).
		"数据库资源到期或者数据库读写次数超过套餐包限制。": "库资源到期或者数据库读写次数超过套餐包限制。",
		"的请求体格式错误：": "格式错误：",
		"错误码":       "错误码",
	} {
		if got := lit[anchor(lit):]; got != want {
			t.Errorf("anchor(%q) leaves %q, want %q", lit, got, want)
		}
	}
}

// TestPerClass: report's multiplication divides every state of any
// alphabet exactly.
// FuzzAutomaton: any text, a fixed set of literals of every kind (keys of
// one byte, prefixes before the anchor, rests past maxKey), brute force
// agrees.
func FuzzAutomaton(f *testing.F) {
	lits := []string{"FailedOperation", "FailedOperation.FlexdbResourceOverdue", "code", "Code", "errCode", "[", "request quota",
		"数据库资源到期或者数据库读写次数超过套餐包限制", "错误", "\\u", "Exception", "status\":5", "ab", "b"}
	for _, s := range []string{"", "b", "ab", `{"code":0,"errCode":0,"status":500}`, "[100039] 数据库资源到期或者数据库读写次数超过套餐包限制",
		"request quota FailedOperation.FlexdbResourceOverdue\\u9519"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) { checkAutomaton(t, lits, text) })
}

// TestStartFilterLooksAtFourBytes: of the positions of everyday log text
// that the start filter lets through to the key table, nearly all begin
// with the first four bytes of a key (only a hash collision lets another
// through); three bytes let every "user" through for `userid` and every
// `status":200` for `status":5`.
func TestStartFilterLooksAtFourBytes(t *testing.T) {
	a := New(benchLiterals(t))
	quads := map[string]bool{}
	for _, k := range a.keys {
		if len(k.text) >= 4 {
			quads[k.text[:4]] = true
		}
	}
	passed, other := 0, 0
	for _, line := range benchBenign {
		text := []byte(line)
		for i := 0; i+4 <= len(text); i++ {
			if !hasPair(&a.starts.first, text[i], text[i+1]) || hasPair(&a.starts.short, text[i], text[i+1]) || !a.starts.may(text, i) {
				continue
			}
			passed++
			if !quads[string(text[i:i+4])] {
				other++
				t.Logf("let through: %q", text[i:i+4])
			}
		}
	}
	if passed == 0 || other*20 > passed {
		t.Fatalf("%d of the %d positions let through begin no key", other, passed)
	}
}
