package diagnose

import (
	"fmt"
	"strings"
	"testing"
)

// After the store filled with noise, a new error template still gets its own
// row (the least recently seen one gives way), a template seen often stays,
// and the counts add up to every record seen.
func TestUnknownsAgeLeastRecentlySeen(t *testing.T) {
	u := NewUnknowns()
	total := 0
	add := func(s string) { u.Add(s); total++ }
	for i := 0; i < 3000; i++ {
		add(fmt.Sprintf("ERROR random%s broke", word(i)))
		if i%10 == 0 {
			add("ERROR steady failure of the order queue")
		}
	}
	add("ERROR NewVendorCode.QuotaGone quota gone")
	top := u.Top(maxTemplates + 10)
	if len(top) > maxTemplates {
		t.Fatalf("%d templates kept, want ≤ %d", len(top), maxTemplates)
	}
	find := func(sub string) *Unmatched {
		for i := range top {
			if strings.Contains(top[i].Template, sub) {
				return &top[i]
			}
		}
		return nil
	}
	if g := find("NewVendorCode.QuotaGone"); g == nil || g.Count != 1 {
		t.Errorf("a new template after the store filled: %+v", g)
	}
	if g := find("steady failure"); g == nil || g.Count != 300 {
		t.Errorf("a frequently seen template lost its count: %+v", g)
	}
	if g := find(overflowTemplate); g == nil || g.Count == 0 {
		t.Errorf("no overflow row for evicted templates")
	}
	var sum int64
	for _, g := range top {
		sum += g.Count
	}
	if sum != int64(total) {
		t.Errorf("counts add up to %d, want %d", sum, total)
	}
}

// Templates and samples of unmatched records carry no secrets.
func TestUnknownsRedacted(t *testing.T) {
	u := NewUnknowns()
	u.Add(`ERROR login failed password=hunter2 phone=13812345678 Authorization: Bearer abcdefghijklmnop`)
	top := u.Top(1)
	for _, leak := range []string{"hunter2", "13812345678", "abcdefghijklmnop"} {
		if strings.Contains(top[0].Template, leak) || strings.Contains(top[0].Sample, leak) {
			t.Errorf("%q shown: %+v", leak, top[0])
		}
	}
}

// word spells i in letters, so templates differ without digits (digits are
// masked into one template).
func word(i int) string {
	var b []byte
	for {
		b = append(b, byte('a'+i%26))
		i /= 26
		if i == 0 {
			return string(b)
		}
	}
}

// Message templates remembered give what working each out gives: one
// Unknowns remembers, the other forgets before every record (a new
// redactor).
func TestUnknownsMessageMemo(t *testing.T) {
	remember, forget := NewUnknowns(), NewUnknowns()
	msgs := []string{"", "付款失败 order 12", "token=abcd1234efgh5678 rejected", "数据源不存在", "user 13800138000 not found", "x"}
	for i := range 400 {
		msg := msgs[i%len(msgs)]
		if i%7 == 0 {
			msg = fmt.Sprintf("quota %d exceeded", i)
		}
		text := fmt.Sprintf("2024-06-21 ERROR [svc%d] %s", i%5, msg)
		if i%11 == 0 {
			text = msg // the message is the line
		}
		remember.add(text, msg, int64(400-i))
		forget.SetRedactor(forget.redact)
		forget.add(text, msg, int64(400-i))
	}
	got, want := remember.Top(1000), forget.Top(1000)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("remembered:\n%v\nworked out:\n%v", got, want)
	}
	if len(remember.msgs) == 0 || len(got) < 10 {
		t.Fatalf("%d messages remembered, %d templates: the test tells little", len(remember.msgs), len(got))
	}
}
