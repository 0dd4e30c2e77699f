package notify

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wedadiag/wedadiag/catalog"
)

// switchTransport is a memTransport whose hosts can be made to refuse
// connections.
type switchTransport struct {
	memTransport
	mu   sync.Mutex
	down map[string]bool
}

func (s *switchTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	down := s.down[r.URL.Host]
	s.mu.Unlock()
	if down {
		return nil, errors.New("dial tcp " + r.URL.Host + ": connect: connection refused")
	}
	return s.memTransport.RoundTrip(r)
}

func (s *switchTransport) setDown(host string, down bool) {
	s.mu.Lock()
	s.down[host] = down
	s.mu.Unlock()
}

// TestOutage keeps errors coming while three receivers are down for N
// minutes of (fake, accelerated) time — a WeCom robot answering 503, a
// webhook that hangs, an Alertmanager refusing connections — next to a
// healthy webhook. It checks that each queue stays within queue_size, that
// memory and goroutines stay flat, that drops are counted, that the healthy
// receiver is served throughout, and that after recovery every firing
// alert reaches every receiver. N is 10 minutes, 60 with -long:
//
//	go test ./notify -run TestOutage -long -v
func TestOutage(t *testing.T) {
	outage := 10 * time.Minute
	if *long {
		outage = time.Hour
	}
	const (
		warmup   = 5 * time.Minute
		recovery = 10 * time.Minute
		queue    = 10
	)
	// 20 entries start failing during the outage and go on (their firing
	// is only ever news while the receivers are down); 20 more fire and
	// resolve in cycles of 3 minutes on, 3 off, each 17s after the last, so
	// that there is always something to send.
	entries := distinctTitles(testCatalog(t), 40)
	steady, churn := entries[:20], entries[20:]

	synctest.Test(t, func(t *testing.T) {
		robot, hook, am, healthy := &fakeReceiver{}, &fakeReceiver{}, &fakeReceiver{}, &fakeReceiver{}
		am.reply = func(int, *http.Request) (int, string, bool) { return 200, "", false }
		rt := &switchTransport{memTransport: memTransport{"robot.test": robot, "hook.test": hook, "am.test": am, "healthy.test": healthy}, down: map[string]bool{}}
		m := NewMetrics(nil)
		cfg := Config{
			Policy: Policy{Window: time.Minute, GroupWait: 10 * time.Second, RepeatInterval: 24 * time.Hour, ResolveAfter: 2 * time.Minute},
			Receivers: []Receiver{
				{Name: "robot", Type: TypeWeCom, URL: "https://robot.test/send?key=" + weComKey, QueueSize: queue},
				{Name: "hook", Type: TypeWebhook, URL: "http://hook.test/", QueueSize: queue},
				{Name: "am", Type: TypeAlertmanager, URL: "http://am.test", QueueSize: queue},
				{Name: "healthy", Type: TypeWebhook, URL: "http://healthy.test/", QueueSize: queue},
			},
		}
		// Logs are formatted but not kept: the heap measured is the
		// notifier's.
		n, err := New(cfg, testCatalog(t), slog.New(slog.NewTextHandler(io.Discard, nil)), m, nil)
		if err != nil {
			t.Fatal(err)
		}
		n.client.Transport = rt
		stop := start(n)
		defer stop()
		t0 := time.Now()
		occurrences := 0
		second := func() {
			now := time.Since(t0)
			for i, e := range churn {
				if (now+time.Duration(i)*17*time.Second)/(3*time.Minute)%2 == 0 {
					n.Observe(occ(t, e.ID, "app", "churn sample"))
					occurrences++
				}
			}
			if now >= warmup+time.Minute {
				for _, e := range steady {
					n.Observe(occ(t, e.ID, "app", "steady sample"))
					occurrences++
				}
			}
			time.Sleep(time.Second)
		}
		for time.Since(t0) < warmup {
			second()
		}

		// The outage.
		robot.setReply(func(int, *http.Request) (int, string, bool) { return 503, "service unavailable", false })
		hook.setReply(func(int, *http.Request) (int, string, bool) { return 0, "", true })
		rt.setDown("am.test", true)
		// Count requests without keeping them: the receivers' memory is
		// not the notifier's.
		for _, f := range []*fakeReceiver{robot, hook, am, healthy} {
			f.keep(false)
		}
		healthyBefore := healthy.count()
		maxQueue := map[string]int{}
		var heap1 uint64
		var heaps []string
		goroutines1 := 0
		outageStart := time.Now()
		for time.Since(outageStart) < outage {
			second()
			for _, w := range n.workers {
				maxQueue[w.rc.Name] = max(maxQueue[w.rc.Name], w.q.len())
			}
			if heap1 == 0 && time.Since(outageStart) >= 2*time.Minute {
				heap1, goroutines1 = heapAlloc(), runtime.NumGoroutine()
			}
			if d := time.Since(outageStart); d%(10*time.Minute) == 0 {
				heaps = append(heaps, fmt.Sprintf("%s: %d KiB", d, heapAlloc()>>10))
			}
		}
		heap2, goroutines2 := heapAlloc(), runtime.NumGoroutine()
		healthyDuring := healthy.count() - healthyBefore

		// Recovery.
		robot.setReply(nil)
		hook.setReply(nil)
		rt.setDown("am.test", false)
		for _, f := range []*fakeReceiver{robot, hook, am} {
			f.keep(true)
		}
		recovered := time.Now()
		for time.Since(recovered) < recovery {
			second()
		}
		synctest.Wait()

		firing := map[string]string{} // id → zh title
		n.mu.Lock()
		for _, a := range n.alerts {
			if a.st.Firing && a.st.StartsAt.Before(recovered) {
				firing[a.id] = a.entry.Title("zh")
			}
		}
		n.mu.Unlock()
		// What each receiver got after recovery, and when it had every
		// alert that fires.
		got := map[string]map[string]bool{"robot": {}, "hook": {}, "am": {}}
		allBy := map[string]time.Duration{}
		note := func(name, id string, r request) {
			if _, ok := firing[id]; !ok {
				return
			}
			got[name][id] = true
			if _, done := allBy[name]; !done && len(got[name]) == len(firing) {
				allBy[name] = r.at.Sub(recovered)
			}
		}
		for _, r := range robot.requests() {
			var body struct{ Markdown struct{ Content string } }
			json.Unmarshal(r.body, &body)
			for id, title := range firing {
				if strings.Contains(body.Markdown.Content, "</font>"+title+"\n") {
					note("robot", id, r)
				}
			}
		}
		for i, msg := range webhookMessages(t, hook) {
			for _, a := range msg.Alerts {
				if a.Status == "firing" {
					note("hook", a.Labels["id"], hook.requests()[i])
				}
			}
		}
		for i, post := range amPosts(t, am) {
			for _, a := range post {
				if a.EndsAt.IsZero() {
					note("am", a.Labels["id"], am.requests()[i])
				}
			}
		}

		t.Logf("outage of %s (fake time) under %d occurrences/s on average; %d alerts firing at the end", outage, occurrences/int(time.Since(t0)/time.Second), len(firing))
		for _, name := range []string{"robot", "hook", "am", "healthy"} {
			line := fmt.Sprintf("%-8s max queue %2d/%d  sent %4.0f  failed %3.0f  dropped %3.0f", name, maxQueue[name], queue,
				counter(m, "sent", name), counter(m, "failed", name), counter(m, "dropped", name))
			if d, ok := allBy[name]; ok {
				line += fmt.Sprintf("  every firing alert delivered %.1fs after recovery", d.Seconds())
			}
			t.Log(line)
		}
		t.Logf("heap after GC: %d KiB at 2m into the outage, %d KiB at its end; goroutines %d → %d", heap1>>10, heap2>>10, goroutines1, goroutines2)
		t.Logf("healthy receiver: %d messages during the outage", healthyDuring)
		t.Logf("heap during the outage: %s", strings.Join(heaps, ", "))

		for name, n := range maxQueue {
			if n > queue {
				t.Errorf("%s: queue reached %d, above queue_size %d", name, n, queue)
			}
		}
		for _, name := range []string{"robot", "hook", "am"} {
			if counter(m, "dropped", name)+counter(m, "failed", name) == 0 {
				t.Errorf("%s: nothing dropped or failed during the outage: the test did not load the queue", name)
			}
			for id := range firing {
				if !got[name][id] {
					t.Errorf("%s: firing alert %s not delivered after recovery", name, id)
				}
			}
		}
		if counter(m, "dropped", "healthy")+counter(m, "failed", "healthy") != 0 || healthyDuring < int(outage/time.Minute) {
			t.Errorf("healthy receiver held up: %d messages during the outage", healthyDuring)
		}
		if heap2 > heap1+heap1/2+1<<20 {
			t.Errorf("heap grew from %d to %d bytes during the outage", heap1, heap2)
		}
		if goroutines2 > goroutines1+2 {
			t.Errorf("goroutines grew from %d to %d during the outage", goroutines1, goroutines2)
		}
	})
}

func heapAlloc() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// distinctTitles returns n entries whose zh titles differ, so that a
// message can be searched for each.
func distinctTitles(cat *catalog.Catalog, n int) []*catalog.Entry {
	var out []*catalog.Entry
	seen := map[string]bool{}
	for _, e := range cat.Entries() {
		if len(out) == n {
			break
		}
		if tt := e.Title("zh"); !seen[tt] {
			seen[tt] = true
			out = append(out, e)
		}
	}
	return out
}
