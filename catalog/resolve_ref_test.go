package catalog

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The resolution index (lookup.go) and the copy-free normalize only make
// resolving cheaper: these tests hold them to what the straightforward
// code below — the resolution as it was before them — returns.

func refNormalize(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		if f, ok := refFold[r]; ok {
			r = f
		} else if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		} else if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
		}
		if r == utf8.RuneError {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var refFold = map[rune]rune{
	'，': ',', '。': '.', '：': ':', '；': ';', '（': '(', '）': ')',
	'！': '!', '？': '?', '“': '"', '”': '"', '‘': '\'', '’': '\'',
	'、': ',', '【': '[', '】': ']', '《': '<', '》': '>', '　': ' ',
}

func refResolveCode(c *Catalog, code, msg, record string) Resolution {
	rows := c.ByCode(code)
	if len(rows) == 0 {
		return Resolution{}
	}
	all := append(append(make([]*Entry, 0, len(rows)+4), rows...), c.family(code)...)
	nmsg, nrec := refNormalize(msg), ""
	if record != "" && record != msg {
		nrec = refNormalize(record)
	}
	cands, best := bestRows(all, nmsg)
	if !best.ok() && nrec != "" {
		cands, best = bestRows(all, nrec)
	}
	ctx := nrec
	if ctx == "" {
		ctx = nmsg
	}
	ctx = strings.ReplaceAll(ctx, refNormalize(code), "|")
	if best.ok() {
		return refPick(cands, ctx, best.full, false)
	}
	if g := c.t().genericRow[baseCode(code)]; g != nil {
		res := Resolution{Entry: g, Generic: true}
		scores := refContextScores(rows, refStripMessages(rows, ctx))
		top := 0.0
		for _, x := range scores {
			top = max(top, x)
		}
		for _, e := range refByContext(rows, ctx) {
			if e == g || len(res.Alternatives) >= MaxAlternatives {
				continue
			}
			i := 0
			for rows[i] != e {
				i++
			}
			if len(rows) > fewRows && (top == 0 || scores[i] < top) {
				continue
			}
			res.Alternatives = append(res.Alternatives, e)
		}
		return res
	}
	if len(rows) == 1 {
		return Resolution{Entry: rows[0]}
	}
	return refPick(refByContext(rows, ctx), ctx, false, true)
}

func refResolveMessageIn(c *Catalog, msg, record string) Resolution {
	norm := refNormalize(msg)
	var cands []*Entry
	var best msgRank
	for _, e := range c.entries {
		if e.Kind != KindErrorCode || e.Source == SourcePlatform {
			continue
		}
		var r msgRank
		for _, t := range e.tmpls {
			if t.literal < minMessageBytes {
				continue
			}
			if score, full := t.match(norm); full {
				x := msgRank{full: true, score: score, holes: t.holes}
				if x.better(r) {
					r = x
				}
			}
		}
		if !r.full {
			continue
		}
		switch {
		case len(cands) == 0 || r.better(best):
			cands, best = append(cands[:0], e), r
		case !best.better(r):
			cands = append(cands, e)
		}
	}
	if len(cands) == 0 || len(cands) > maxMessageOnlyRows {
		return Resolution{}
	}
	ctx := refNormalize(record)
	if record == "" || record == msg {
		ctx = norm
	}
	return refPick(cands, ctx, true, false)
}

func refPick(rows []*Entry, ctx string, full, generic bool) Resolution {
	if len(rows) == 1 {
		return Resolution{Entry: rows[0], Full: full, Generic: generic}
	}
	scores := refContextScores(rows, refStripMessages(rows, ctx))
	top := 0.0
	for _, s := range scores {
		top = max(top, s)
	}
	res := Resolution{Full: full, Generic: generic}
	for i, e := range rows {
		switch {
		case scores[i] == top && res.Entry == nil:
			res.Entry = e
		case scores[i] == top || generic:
			res.Alternatives = append(res.Alternatives, e)
		}
	}
	if len(res.Alternatives) > MaxAlternatives {
		res.Alternatives = res.Alternatives[:MaxAlternatives]
	}
	return res
}

func refStripMessages(rows []*Entry, ctx string) string {
	for _, e := range rows {
		for _, t := range e.tmpls {
			for _, seg := range t.segments {
				if strings.Contains(ctx, seg) {
					ctx = strings.ReplaceAll(ctx, seg, "|")
				}
			}
		}
	}
	return ctx
}

func refByContext(rows []*Entry, ctx string) []*Entry {
	scores := refContextScores(rows, refStripMessages(rows, ctx))
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
	out := make([]*Entry, len(rows))
	for i, j := range idx {
		out[i] = rows[j]
	}
	return out
}

func refContextScores(rows []*Entry, ctx string) []float64 {
	scores := make([]float64, len(rows))
	if ctx == "" {
		return scores
	}
	df := map[string]int{}
	for _, e := range rows {
		for _, t := range e.ctx {
			df[t.zh]++
		}
	}
	for i, e := range rows {
		for _, t := range e.ctx {
			if df[t.zh] == len(rows) || !t.has(ctx) {
				continue
			}
			scores[i] += t.weight / float64(df[t.zh])
		}
	}
	return scores
}

// resolveInputs are messages and records of every shape ResolveCode
// meets: each row's messages, filled, cut, re-spaced and re-cased, under
// other codes, with context words and without, and noise.
func resolveInputs(c *Catalog) (msgs, records []string) {
	rng := rand.New(rand.NewPCG(1, 2))
	fill := strings.NewReplacer("{0}", "getOrders", "{1}", "42", "{2}", "x", "%s", "abc", "%d", "7", "xxxx", "lcap_orders")
	for _, e := range c.Entries() {
		for _, m := range append(e.Alternatives(), e.Title("zh"), e.Question) {
			if m == "" {
				continue
			}
			f := fill.Replace(m)
			r := []rune(f)
			msgs = append(msgs, m, f, strings.ToUpper(f), strings.ReplaceAll(f, "，", ", "),
				string(r[:len(r)/2]), string(r[:min(len(r), 5)]), f+"。", "  "+f+"\t")
		}
	}
	msgs = append(msgs, "", " ", "ok", "\x00", "bad \xff utf8", "ＡＢＣ（全角）：ｘ", "\u3000用户\u00a0不存在")
	for _, w := range opWords {
		msgs = append(msgs, w.zh+"失败", strings.Join(w.en, " ")+" failed")
	}
	for range 2000 {
		records = append(records, "")
		m := msgs[rng.IntN(len(msgs))]
		w := opWords[rng.IntN(len(opWords))]
		records = append(records,
			fmt.Sprintf("2024-06-21T08:00:00Z ERROR [%s] %s: %s requestId=%d", w.en[0], c.t().codes[rng.IntN(len(c.t().codes))], m, rng.IntN(1e6)),
			fmt.Sprintf(`{"level":"error","op":"%s","msg":%q}`, w.zh, m), m)
	}
	return msgs, records
}

func TestResolveMatchesReference(t *testing.T) {
	c := mustDefault(t)
	msgs, records := resolveInputs(c)
	rng := rand.New(rand.NewPCG(3, 4))
	codes := append(append([]string{}, c.t().codes...), "NoSuchCode", "", "-504,002", "1,000,38")
	n := 0
	var kinds [4]int // generic, with alternatives, full, nothing
	// Twice: the second round answers from the memo.
	for round := range 2 {
		for _, code := range codes {
			own := ownMessages(c, code)
			for i := range 60 {
				msg, rec := msgs[rng.IntN(len(msgs))], records[rng.IntN(len(records))]
				if i%2 == 0 && len(own) > 0 {
					msg = own[rng.IntN(len(own))]
					if i%4 == 0 {
						rec = fmt.Sprintf("%s %s op=%s", code, msg, opWords[rng.IntN(len(opWords))].en[0])
					}
				}
				if rng.IntN(4) == 0 {
					rec = msg
				}
				got, want := c.ResolveCode(code, msg, rec), refResolveCode(c, code, msg, rec)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("round %d: ResolveCode(%q, %q, %q) = %s, want %s", round, code, msg, rec, resString(got), resString(want))
				}
				n++
				switch {
				case got.Generic:
					kinds[0]++
				case len(got.Alternatives) > 0:
					kinds[1]++
				case got.Full:
					kinds[2]++
				case got.Entry == nil:
					kinds[3]++
				}
			}
		}
		for _, msg := range msgs {
			rec := records[rng.IntN(len(records))]
			if got, want := c.ResolveMessageIn(msg, rec), refResolveMessageIn(c, msg, rec); !reflect.DeepEqual(got, want) {
				t.Fatalf("ResolveMessageIn(%q, %q) = %s, want %s", msg, rec, resString(got), resString(want))
			}
		}
	}
	t.Logf("%d cases, of them generic, with alternatives, full, nothing: %v", n, kinds)
	if n < 10000 || min(kinds[0], kinds[1], kinds[2], kinds[3]) < 50 {
		t.Fatalf("%d cases, of them generic, with alternatives, full, nothing: %v", n, kinds)
	}
}

// Workers resolve at once; the memo is shared.
func TestResolveConcurrent(t *testing.T) {
	c := mustDefault(t)
	msgs, _ := resolveInputs(c)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < len(msgs); i += 16 {
				m := msgs[i]
				if got, want := c.ResolveCode("FailedOperation", m, ""), refResolveCode(c, "FailedOperation", m, ""); !reflect.DeepEqual(got, want) {
					t.Errorf("ResolveCode(FailedOperation, %q) = %s, want %s", m, resString(got), resString(want))
					return
				}
			}
		})
	}
	wg.Wait()
}

// ownMessages are a code's rows' messages, filled in and not, and its
// rows' context words.
func ownMessages(c *Catalog, code string) []string {
	fill := strings.NewReplacer("{0}", "getOrders", "{1}", "42", "%s", "abc", "xxxx", "lcap_orders")
	var out []string
	for _, e := range append(c.ByCode(code), c.family(code)...) {
		for _, m := range e.Alternatives() {
			out = append(out, m, fill.Replace(m))
		}
		out = append(out, e.Interface+e.Scene)
	}
	return out
}

func resString(r Resolution) string {
	id := func(e *Entry) string {
		if e == nil {
			return "<nil>"
		}
		return e.ID
	}
	alts := make([]string, len(r.Alternatives))
	for i, e := range r.Alternatives {
		alts[i] = id(e)
	}
	return fmt.Sprintf("{%s full=%v generic=%v alts=%v}", id(r.Entry), r.Full, r.Generic, alts)
}

func TestNormalizeMatchesReference(t *testing.T) {
	c := mustDefault(t)
	msgs, records := resolveInputs(c)
	for _, s := range append(msgs, records...) {
		if got, want := normalize(s), refNormalize(s); got != want {
			t.Fatalf("normalize(%q) = %q, want %q", s, got, want)
		}
	}
	for r := rune(0); r < 0x10000; r++ {
		s := "a" + string(r) + "B"
		if got, want := normalize(s), refNormalize(s); got != want {
			t.Fatalf("normalize(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", "用户 不存在", "ＡＢＣ", "\xff\xfe", "a\x00b", "FailedOperation：查询失败！"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := normalize(s), refNormalize(s); got != want {
			t.Fatalf("normalize(%q) = %q, want %q", s, got, want)
		}
	})
}

// A message that is already normal costs no copy.
func TestNormalizeNoCopy(t *testing.T) {
	for _, s := range []string{"用户不存在", "failedoperation:查询失败", ""} {
		if n := testing.AllocsPerRun(100, func() { _ = normalize(s) }); n != 0 {
			t.Errorf("normalize(%q): %v allocations", s, n)
		}
	}
}

// BenchmarkResolveCode resolves each row's code with its message filled
// in, inside a record as a service logs it; "reference" is the former
// code, for comparison.
func BenchmarkResolveCode(b *testing.B) {
	c := mustDefault(b)
	fill := strings.NewReplacer("{0}", "getOrders", "{1}", "42", "%s", "abc", "xxxx", "lcap_orders")
	type input struct{ code, msg, rec string }
	var in []input
	for _, e := range c.Entries() {
		if e.Code == "" || e.Kind != KindErrorCode {
			continue
		}
		for _, m := range e.Alternatives() {
			m = fill.Replace(m)
			in = append(in, input{e.Code, m, fmt.Sprintf("2024-06-21T00:00:00.003+08:00 ERROR [workflow] %s: %s flowCode=purchase_apply", e.Code, m)})
		}
	}
	for _, impl := range []struct {
		name    string
		resolve func(code, msg, rec string) Resolution
	}{{"index", c.ResolveCode}, {"reference", func(code, msg, rec string) Resolution { return refResolveCode(c, code, msg, rec) }}} {
		b.Run(impl.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, x := range in {
					if impl.resolve(x.code, x.msg, x.rec).Entry == nil {
						b.Fatalf("%s %q: nothing", x.code, x.msg)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(in)), "ns/resolve")
		})
	}
}

// A code's memo stays within its budget however many messages a log
// shows with it, and answers as before once it started afresh.
func TestFitMemoBounded(t *testing.T) {
	c := mustDefault(t)
	cr := c.codeRowsOf("UserNotExist")
	for i := range 5000 {
		msg := fmt.Sprintf("用户不存在 uid=%d", i)
		want := refResolveCode(c, "UserNotExist", msg, "")
		if got := c.ResolveCode("UserNotExist", msg, ""); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: %s, want %s", msg, resString(got), resString(want))
		}
		cr.memo.mu.RLock()
		n, size := len(cr.memo.m), cr.memo.bytes
		cr.memo.mu.RUnlock()
		if size > memoBytes || n == 0 {
			t.Fatalf("after %d messages: %d remembered in %d bytes (budget %d)", i+1, n, size, memoBytes)
		}
	}
	long := strings.Repeat("用户不存在", memoKeyBytes)
	c.ResolveCode("UserNotExist", long, "")
	cr.memo.mu.RLock()
	defer cr.memo.mu.RUnlock()
	if _, ok := cr.memo.m[long]; ok {
		t.Fatal("a message longer than memoKeyBytes was remembered")
	}
}
