package notify

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// These tests run the Notifier in a synctest bubble: time is fake, Sleep
// advances it once every goroutine is blocked, and requests go through
// memTransport to in-memory receivers.

// start runs n until the returned stop is called; stop returns Run's error.
func start(n *Notifier) (stop func() error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- n.Run(ctx) }()
	synctest.Wait() // Run's first evaluation happens before the test goes on
	return func() error {
		cancel()
		return <-done
	}
}

// at is the time since the bubble's start, for messages.
func at(start time.Time, r request) time.Duration { return r.at.Sub(start) }

func hookConfig(p Policy) Config {
	return Config{Policy: p, Receivers: []Receiver{{Name: "hook", Type: TypeWebhook, URL: "http://hook.test/"}}}
}

// TestGroupWait: alerts that fire within group_wait go out in one message;
// nothing goes out before group_wait; a later one starts a new group.
func TestGroupWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		hook := &fakeReceiver{}
		n, _ := newNotifier(t, hookConfig(Policy{GroupWait: 10 * time.Second}), memTransport{"hook.test": hook}, nil)
		stop := start(n)
		defer stop()
		t0 := time.Now()
		n.Observe(occ(t, idFlexdb, "app", "first"))
		time.Sleep(5 * time.Second)
		n.Observe(occ(t, idDuplicate, "app", "second"))
		n.Observe(occ(t, idDuplicate, "app", "second again")) // firing already: no news
		time.Sleep(5*time.Second - time.Millisecond)
		synctest.Wait()
		if r := hook.requests(); len(r) != 0 {
			t.Fatalf("%d messages before group_wait", len(r))
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		n.Observe(occ(t, idCDN, "gateway", "third"))
		time.Sleep(time.Minute)
		reqs, msgs := hook.requests(), webhookMessages(t, hook)
		if len(reqs) != 2 {
			t.Fatalf("%d messages, want 2", len(reqs))
		}
		if got := at(t0, reqs[0]); got != 10*time.Second {
			t.Errorf("first message at %s, want 10s (group_wait after the first alert)", got)
		}
		if got := ids(msgs[0]); !slices.Equal(got, []string{idFlexdb, idDuplicate}) {
			t.Errorf("first message holds %v", got)
		}
		if got := at(t0, reqs[1]); got != 20*time.Second {
			t.Errorf("second message at %s, want 20s", got)
		}
		if got := ids(msgs[1]); !slices.Equal(got, []string{idCDN}) {
			t.Errorf("second message holds %v", got)
		}
		if s := msgs[0].Alerts[1].Annotations["description"]; !strings.Contains(s, "second again") || !strings.Contains(s, "出现 2 次") {
			t.Errorf("message does not carry the latest sample and count: %q", s)
		}
	})
}

func ids(m WebhookMessage) []string {
	var out []string
	for _, a := range m.Alerts {
		out = append(out, a.Labels["id"])
	}
	return out
}

// TestThreshold: with threshold 3 in 1m, two occurrences send nothing, a
// third within the minute fires; a critical entry fires on its first.
func TestThreshold(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		hook := &fakeReceiver{}
		n, _ := newNotifier(t, hookConfig(Policy{Threshold: 3, Window: time.Minute, GroupWait: time.Second}), memTransport{"hook.test": hook}, nil)
		stop := start(n)
		defer stop()
		n.Observe(occ(t, idDuplicate, "app", "1"))
		time.Sleep(40 * time.Second)
		n.Observe(occ(t, idDuplicate, "app", "2"))
		time.Sleep(40 * time.Second) // the first left the window
		n.Observe(occ(t, idDuplicate, "app", "3"))
		time.Sleep(10 * time.Second)
		if r := hook.requests(); len(r) != 0 {
			t.Fatalf("fired with 2 in the window: %s", r[0].body)
		}
		n.Observe(occ(t, idDuplicate, "app", "4"))
		n.Observe(occ(t, idFlexdb, "app", "critical"))
		time.Sleep(10 * time.Second)
		msgs := webhookMessages(t, hook)
		if len(msgs) != 1 || !slices.Equal(ids(msgs[0]), []string{idFlexdb, idDuplicate}) {
			t.Fatalf("messages %+v", msgs)
		}
	})
}

// TestRepeatAndResolve: a firing alert is sent again after
// repeat_interval, and resolved (with endsAt) resolve_after after its last
// occurrence; nothing else is sent.
func TestRepeatAndResolve(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		hook := &fakeReceiver{}
		p := Policy{GroupWait: 10 * time.Second, RepeatInterval: time.Hour, ResolveAfter: 10 * time.Minute}
		n, _ := newNotifier(t, hookConfig(p), memTransport{"hook.test": hook}, nil)
		stop := start(n)
		defer stop()
		t0 := time.Now()
		for range 70 { // every minute from 0 to 69m
			n.Observe(occ(t, idFlexdb, "app", "x"))
			time.Sleep(time.Minute)
		}
		time.Sleep(3 * time.Hour)
		reqs, msgs := hook.requests(), webhookMessages(t, hook)
		want := []struct {
			at     time.Duration
			status string
		}{{10 * time.Second, "firing"}, {time.Hour + 10*time.Second, "firing"}, {79*time.Minute + 10*time.Second, "resolved"}}
		if len(reqs) != len(want) {
			t.Fatalf("%d messages, want %d", len(reqs), len(want))
		}
		for i, w := range want {
			if got := at(t0, reqs[i]); got != w.at || msgs[i].Status != w.status {
				t.Errorf("message %d: %s at %s, want %s at %s", i, msgs[i].Status, got, w.status, w.at)
			}
		}
		a := msgs[2].Alerts[0]
		if a.Status != "resolved" || a.EndsAt.Sub(t0) != 79*time.Minute || a.StartsAt.Sub(t0) != 0 {
			t.Errorf("resolution: %s from %s to %s", a.Status, a.StartsAt.Sub(t0), a.EndsAt.Sub(t0))
		}
		if !strings.Contains(a.Annotations["description"], "出现 70 次") {
			t.Errorf("count: %q", a.Annotations["description"])
		}
	})
}

// TestAlertmanagerResend: firing alerts are re-posted every
// resend_interval without endsAt; a resolved one is posted with its endsAt
// for ResolvedRetention, then no more.
func TestAlertmanagerResend(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		am := &fakeReceiver{reply: func(int, *http.Request) (int, string, bool) { return 200, "", false }}
		cfg := Config{
			Policy:    Policy{GroupWait: 10 * time.Second, ResolveAfter: 10 * time.Minute},
			Receivers: []Receiver{{Name: "am", Type: TypeAlertmanager, URL: "http://am.test:9093", ResendInterval: time.Minute}},
		}
		n, _ := newNotifier(t, cfg, memTransport{"am.test:9093": am}, nil)
		stop := start(n)
		defer stop()
		t0 := time.Now()
		n.Observe(occ(t, idFlexdb, "app", "x"))
		time.Sleep(time.Hour)
		reqs, posts := am.requests(), amPosts(t, am)
		var firing, resolved []time.Duration
		for i, p := range posts {
			if len(p) != 1 {
				t.Fatalf("post %d holds %d alerts", i, len(p))
			}
			if p[0].EndsAt.IsZero() {
				firing = append(firing, at(t0, reqs[i]))
			} else {
				resolved = append(resolved, at(t0, reqs[i]))
				if p[0].EndsAt.Sub(t0) != 10*time.Minute {
					t.Errorf("endsAt %s, want 10m", p[0].EndsAt.Sub(t0))
				}
			}
		}
		// The group at 10s, then every minute from 1m to 9m.
		if len(firing) != 10 || firing[0] != 10*time.Second || firing[9] != 9*time.Minute {
			t.Errorf("firing posts at %v", firing)
		}
		// The resolution in the re-post at 10m (and the group at 10m10s),
		// then every minute until it is forgotten at 25m.
		if len(resolved) < 15 || resolved[0] != 10*time.Minute || resolved[len(resolved)-1] >= 25*time.Minute {
			t.Errorf("resolved posts at %v", resolved)
		}
	})
}

// TestStatePersists: after a restart, a firing alert is neither sent again
// at once nor forgotten: it resolves on time and its resolution is sent.
func TestStatePersists(t *testing.T) {
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		cfg := hookConfig(Policy{GroupWait: 10 * time.Second, ResolveAfter: 10 * time.Minute})
		cfg.StateDir = dir
		hook := &fakeReceiver{}
		n, _ := newNotifier(t, cfg, memTransport{"hook.test": hook}, nil)
		stop := start(n)
		n.Observe(occ(t, idFlexdb, "app", "before the restart"))
		time.Sleep(time.Minute)
		if err := stop(); err != nil {
			t.Fatal(err)
		}
		if len(hook.requests()) != 1 {
			t.Fatalf("%d messages before the restart, want 1", len(hook.requests()))
		}
		data, err := os.ReadFile(filepath.Join(dir, StateFile))
		if err != nil {
			t.Fatal(err)
		}
		var sf stateFile
		if err := json.Unmarshal(data, &sf); err != nil || len(sf.Alerts) != 1 || !sf.Alerts[0].Firing || sf.Alerts[0].Sample != "before the restart" {
			t.Fatalf("state file (%v):\n%s", err, data)
		}

		t0 := time.Now()
		hook2 := &fakeReceiver{}
		n2, _ := newNotifier(t, cfg, memTransport{"hook.test": hook2}, nil)
		stop2 := start(n2)
		defer stop2()
		n2.Observe(occ(t, idFlexdb, "app", "after the restart"))
		time.Sleep(5 * time.Minute)
		if r := hook2.requests(); len(r) != 0 {
			t.Fatalf("re-sent after the restart: %s", r[0].body)
		}
		time.Sleep(10 * time.Minute)
		msgs := webhookMessages(t, hook2)
		if len(msgs) != 1 || msgs[0].Status != "resolved" {
			t.Fatalf("after the restart: %+v", msgs)
		}
		a := msgs[0].Alerts[0]
		if a.EndsAt.Sub(t0) != 10*time.Minute || !a.StartsAt.Before(t0) || !strings.Contains(a.Annotations["description"], "出现 2 次") {
			t.Errorf("resolution %s → %s (restart at %s): %q", a.StartsAt, a.EndsAt, t0, a.Annotations["description"])
		}
	})
}

// TestShutdown: stopping sends the pending group at once (not after
// group_wait), gives a hanging receiver flush_timeout, counts what it did
// not take, and records it as having lost messages.
func TestShutdown(t *testing.T) {
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		hook := &fakeReceiver{}
		stuck := &fakeReceiver{reply: func(int, *http.Request) (int, string, bool) { return 0, "", true }}
		m := NewMetrics(nil)
		cfg := Config{
			Policy: Policy{GroupWait: time.Minute}, StateDir: dir, FlushTimeout: 2 * time.Second,
			Receivers: []Receiver{
				{Name: "hook", Type: TypeWebhook, URL: "http://hook.test/"},
				{Name: "stuck", Type: TypeWebhook, URL: "http://stuck.test/", Timeout: time.Hour},
			},
		}
		n, _ := newNotifier(t, cfg, memTransport{"hook.test": hook, "stuck.test": stuck}, m)
		stop := start(n)
		n.Observe(occ(t, idFlexdb, "app", "x"))
		time.Sleep(time.Second)
		t0 := time.Now()
		if err := stop(); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(t0); d != 2*time.Second {
			t.Errorf("stop took %s, want flush_timeout 2s", d)
		}
		if len(hook.requests()) != 1 || len(stuck.requests()) != 1 {
			t.Errorf("at stop: %d and %d messages, want the pending group sent to both", len(hook.requests()), len(stuck.requests()))
		}
		if got := counter(m, "failed", "stuck") + counter(m, "dropped", "stuck"); got != 1 {
			t.Errorf("stuck: failed+dropped = %v, want 1", got)
		}
		data, _ := os.ReadFile(filepath.Join(dir, StateFile))
		var sf stateFile
		json.Unmarshal(data, &sf)
		if !slices.Equal(sf.Lost, []string{"stuck"}) {
			t.Errorf("lost receivers %v, want [stuck]", sf.Lost)
		}
	})
}

// TestResync: a receiver that was down while alerts fired and messages
// were dropped gets every firing alert once it answers again.
func TestResync(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		hook := &fakeReceiver{reply: func(int, *http.Request) (int, string, bool) { return 503, "down", false }}
		m := NewMetrics(nil)
		cfg := Config{
			Policy: Policy{GroupWait: time.Second, RepeatInterval: 24 * time.Hour, ResolveAfter: time.Hour},
			Receivers: []Receiver{{Name: "hook", Type: TypeWebhook, URL: "http://hook.test/",
				QueueSize: 2, GiveUpAfter: 2 * time.Minute, MaxBackoff: 30 * time.Second}},
		}
		n, _ := newNotifier(t, cfg, memTransport{"hook.test": hook}, m)
		stop := start(n)
		defer stop()
		sources := []string{"a", "b", "c", "d", "e", "f"}
		for _, s := range sources {
			n.Observe(occ(t, idFlexdb, s, "x"))
			time.Sleep(10 * time.Second)
		}
		time.Sleep(10 * time.Minute)
		if counter(m, "dropped", "hook")+counter(m, "failed", "hook") == 0 {
			t.Fatal("nothing dropped or failed while down")
		}
		hook.setReply(func(int, *http.Request) (int, string, bool) { return 200, "", false })
		since := len(hook.requests())
		time.Sleep(5 * time.Minute)
		got := map[string]bool{}
		for _, msg := range webhookMessages(t, hook)[since:] {
			for _, a := range msg.Alerts {
				if a.Status == "firing" {
					got[a.Labels["source"]] = true
				}
			}
		}
		for _, s := range sources {
			if !got[s] {
				t.Errorf("firing alert of source %s not delivered after recovery (got %v)", s, got)
			}
		}
	})
}

// TestRateLimit: a WeCom robot gets at most 20 messages in any minute;
// what comes faster is queued and merged, and every alert still arrives.
func TestRateLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		robot := &fakeReceiver{}
		cfg := Config{
			Policy:    Policy{GroupWait: 100 * time.Millisecond},
			Receivers: []Receiver{{Name: "ops", Type: TypeWeCom, URL: "https://robot.test/cgi-bin/webhook/send?key=" + weComKey}},
		}
		n, _ := newNotifier(t, cfg, memTransport{"robot.test": robot}, nil)
		stop := start(n)
		defer stop()
		entries := testCatalog(t).Entries()[:30]
		for _, e := range entries { // 30 notifications, one a second
			n.Observe(occ(t, e.ID, "app", "x"))
			time.Sleep(time.Second)
		}
		time.Sleep(5 * time.Minute)
		reqs := robot.requests()
		for i := range reqs {
			j := i
			for j < len(reqs) && reqs[j].at.Sub(reqs[i].at) < time.Minute {
				j++
			}
			if j-i > 20 {
				t.Fatalf("%d messages within a minute from %s", j-i, reqs[i].at)
			}
		}
		if len(reqs) >= len(entries) {
			t.Errorf("%d messages for %d notifications: nothing was merged", len(reqs), len(entries))
		}
		var all string
		for _, r := range reqs {
			var body struct{ Markdown struct{ Content string } }
			json.Unmarshal(r.body, &body)
			all += body.Markdown.Content
		}
		for _, e := range entries {
			if !strings.Contains(all, "</font>"+e.Title("zh")+"\n") {
				t.Errorf("%s never delivered", e.ID)
			}
		}
	})
}
