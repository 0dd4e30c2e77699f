package notify

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wedadiag/wedadiag/catalog"
)

// t0 is the fake clock's origin in policy tests.
var t0 = time.Date(2024, 5, 6, 7, 0, 0, 0, time.UTC)

// TestPolicy runs the pure policy (observe, tick) over timed events on a
// fake clock and checks every decision and its reason.
func TestPolicy(t *testing.T) {
	const m, h = time.Minute, time.Hour
	base := rule{Threshold: 3, Window: 5 * m, RepeatInterval: h, ResolveAfter: 10 * m}
	one := base
	one.Threshold = 1
	type ev struct {
		at     time.Duration
		occ    bool // an occurrence; else a tick
		want   Action
		reason string // a substring of the reason
	}
	tests := []struct {
		name   string
		rule   rule
		events []ev
	}{
		{"threshold 3 in 5m fires on the third", base, []ev{
			{0, true, Nothing, "below threshold: 1 of 3 in 5m0s"},
			{1 * m, true, Nothing, "2 of 3"},
			{2 * m, true, Fire, "threshold reached: 3 in 5m0s"},
		}},
		{"occurrences that left the window do not count", base, []ev{
			{0, true, Nothing, "1 of 3"},
			{3 * m, true, Nothing, "2 of 3"},
			{5 * m, true, Nothing, "2 of 3"}, // the one at 0 is 5m old: out
			{6 * m, true, Fire, "threshold reached"},
		}},
		{"threshold 1 fires on the first occurrence", one, []ev{
			{0, true, Fire, "threshold reached: 1 in 5m0s"},
		}},
		{"a firing alert counts occurrences without firing again", one, []ev{
			{0, true, Fire, ""},
			{time.Second, true, Nothing, "already firing"},
			{2 * m, true, Nothing, "(3 occurrences)"},
		}},
		{"resolves after resolve_after without occurrences, not before", one, []ev{
			{0, true, Fire, ""},
			{4 * m, true, Nothing, ""},
			{13*m + 59*time.Second, false, Nothing, "firing"},
			{14 * m, false, Resolve, "no occurrence for 10m0s (resolve_after 10m0s)"},
			{15 * m, false, Nothing, "not firing"},
		}},
		{"repeats after repeat_interval while occurrences go on", one, []ev{
			{0, true, Fire, ""},
			{30 * m, true, Nothing, ""},
			{59 * m, true, Nothing, ""},
			{59*m + 59*time.Second, false, Nothing, "firing, sent"},
			{h, false, Repeat, "still firing, last sent 1h0m0s ago (repeat_interval 1h0m0s)"},
			{h + m, false, Nothing, ""},
			{h + 5*m, true, Nothing, ""},
		}},
		{"resolve wins over a due repeat", one, []ev{
			{0, true, Fire, ""},
			{2 * h, false, Resolve, "no occurrence for 2h0m0s"},
		}},
		{"fires again after resolving, counting afresh", base, []ev{
			{0, true, Nothing, ""},
			{0, true, Nothing, ""},
			{0, true, Fire, ""},
			{10 * m, false, Resolve, ""},
			{11 * m, true, Nothing, "1 of 3"},
			{11 * m, true, Nothing, "2 of 3"},
			{12 * m, true, Fire, "threshold reached"},
		}},
		{"forgotten ResolvedRetention after resolving", one, []ev{
			{0, true, Fire, ""},
			{10 * m, false, Resolve, ""},
			{10*m + ResolvedRetention - time.Second, false, Nothing, ""},
			{10*m + ResolvedRetention, false, Forget, "quiet"},
		}},
		{"an occurrence below threshold is forgotten when it leaves the window", base, []ev{
			{0, true, Nothing, "1 of 3"},
			{4 * m, false, Nothing, "not firing: 1 of 3"},
			{5 * m, false, Forget, ""},
		}},
		{"a disabled entry never fires", rule{Threshold: 1, Window: 5 * m, RepeatInterval: h, ResolveAfter: 10 * m, Disabled: true}, []ev{
			{0, true, Nothing, "disabled by an override"},
			{time.Second, true, Nothing, "disabled"},
			{time.Second, false, Forget, ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s State
			for i, e := range tt.events {
				now := t0.Add(e.at)
				var d Decision
				if e.occ {
					s, d = observe(s, now, tt.rule)
				} else {
					s, d = tick(s, now, tt.rule)
				}
				if d.Action != e.want || !strings.Contains(d.Reason, e.reason) {
					t.Fatalf("event %d (%s, occurrence=%v): got %s %q, want %s with %q", i, e.at, e.occ, d.Action, d.Reason, e.want, e.reason)
				}
				if len(s.Recent) > tt.rule.Threshold {
					t.Fatalf("event %d: %d recent times kept, more than the threshold %d", i, len(s.Recent), tt.rule.Threshold)
				}
			}
		})
	}
}

// TestPolicyState checks what firing records: start, count, last sent, and
// the resolution time.
func TestPolicyState(t *testing.T) {
	r := rule{Threshold: 2, Window: time.Minute, RepeatInterval: time.Hour, ResolveAfter: 10 * time.Minute}
	var s State
	s, _ = observe(s, t0, r)
	s, _ = observe(s, t0.Add(time.Second), r)
	if !s.Firing || !s.StartsAt.Equal(t0.Add(time.Second)) || s.Count != 2 || !s.LastSent.Equal(s.StartsAt) || s.Recent != nil {
		t.Fatalf("after firing: %+v", s)
	}
	if got, want := s.next(r), t0.Add(time.Second+10*time.Minute); !got.Equal(want) {
		t.Errorf("next while firing = %s, want the resolve time %s", got, want)
	}
	s, _ = observe(s, t0.Add(time.Minute), r)
	if s.Count != 3 || !s.LastAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("after a third: %+v", s)
	}
	s, d := tick(s, t0.Add(11*time.Minute), r)
	if d.Action != Resolve || s.Firing || !s.ResolvedAt.Equal(t0.Add(11*time.Minute)) {
		t.Fatalf("after resolving: %s %+v", d.Action, s)
	}
	if got, want := s.next(r), s.ResolvedAt.Add(ResolvedRetention); !got.Equal(want) {
		t.Errorf("next after resolving = %s, want %s", got, want)
	}
}

// TestRuleFor checks severity defaults and the precedence of overrides:
// severity < domain < code < id, each setting only what it gives.
func TestRuleFor(t *testing.T) {
	cat := testCatalog(t)
	flexdb := cat.ByID("datasource/flexdb-resource-overdue") // critical
	dup := cat.ByID("datasource/add-duplicate")              // warning
	if flexdb == nil || dup == nil || flexdb.Severity != catalog.Critical || dup.Severity != catalog.Warning {
		t.Fatal("catalog changed: want datasource/flexdb-resource-overdue critical and datasource/add-duplicate warning")
	}
	p := Config{Policy: Policy{Threshold: 5}}.WithDefaults().Policy
	with := func(o ...Override) Policy { q := p; q.Overrides = o; return q }
	tests := []struct {
		name   string
		policy Policy
		entry  *catalog.Entry
		want   rule
	}{
		{"critical fires on the first", p, flexdb, rule{1, DefaultWindow, DefaultRepeatInterval, DefaultResolveAfter, false}},
		{"warning takes the threshold", p, dup, rule{5, DefaultWindow, DefaultRepeatInterval, DefaultResolveAfter, false}},
		{"severity override", with(Override{Severity: "warning", Threshold: 20, Window: time.Hour}), dup,
			rule{20, time.Hour, DefaultRepeatInterval, DefaultResolveAfter, false}},
		{"domain beats severity whatever the order", with(
			Override{Domain: "datasource", Threshold: 3},
			Override{Severity: "critical", Threshold: 2, RepeatInterval: 2 * time.Hour}), flexdb,
			rule{3, DefaultWindow, 2 * time.Hour, DefaultResolveAfter, false}},
		{"code beats domain", with(
			Override{Code: "FailedOperation.FlexdbResourceOverdue", Threshold: 4},
			Override{Domain: "datasource", Threshold: 3, ResolveAfter: time.Minute}), flexdb,
			rule{4, DefaultWindow, DefaultRepeatInterval, time.Minute, false}},
		{"id beats code", with(
			Override{ID: "datasource/flexdb-resource-overdue", Threshold: 9},
			Override{Code: "FailedOperation.FlexdbResourceOverdue", Threshold: 4}), flexdb,
			rule{9, DefaultWindow, DefaultRepeatInterval, DefaultResolveAfter, false}},
		{"every matcher must match", with(Override{Domain: "datasource", Severity: "warning", Threshold: 7}), flexdb,
			rule{1, DefaultWindow, DefaultRepeatInterval, DefaultResolveAfter, false}},
		{"disabled", with(Override{ID: "datasource/add-duplicate", Disabled: true}), dup,
			rule{5, DefaultWindow, DefaultRepeatInterval, DefaultResolveAfter, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ruleFor(tt.policy, tt.entry); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestObserveKeepsAtMostThreshold checks that the state an alert keeps
// does not grow with the occurrences: at most threshold times, those of
// the window only.
func TestObserveKeepsAtMostThreshold(t *testing.T) {
	r := rule{Threshold: 1000, Window: time.Second, RepeatInterval: time.Hour, ResolveAfter: time.Hour}
	var s State
	for i := range 100000 {
		s, _ = observe(s, t0.Add(time.Duration(2*i)*time.Millisecond), r) // 500 a second
		if len(s.Recent) > 1000 {
			t.Fatalf("occurrence %d: %d times kept", i, len(s.Recent))
		}
	}
	if s.Firing {
		t.Fatal("fired, but 1000 in a second never happened")
	}
	r.Threshold = 4
	s = State{}
	for i := range 3 {
		s, _ = observe(s, t0.Add(time.Duration(i)*time.Hour), r) // each alone in its window
	}
	if !slices.Equal(s.Recent, []time.Time{t0.Add(2 * time.Hour)}) {
		t.Fatalf("recent = %v, want only the last", s.Recent)
	}
}
