package daemon

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wedadiag/wedadiag/internal/testutil"
	"github.com/wedadiag/wedadiag/source/cloudbase/cloudbasetest"
)

// BenchmarkRunSources measures records per second through `wedadiag run`
// (source, pipeline, every sink, acknowledgement) for each source type,
// from the daemon's start to the last record counted:
//
//	go test -run '^$' -bench RunSources -benchtime 1x ./internal/daemon/
func BenchmarkRunSources(b *testing.B) {
	b.Run("file", func(b *testing.B) {
		const n = 60000
		for b.Loop() {
			dir := b.TempDir()
			var sb strings.Builder
			for i := range n {
				fmt.Fprintf(&sb, "2026-12-02 07:00:00.000 ERROR [order] request %d failed: Error: errCode: -501003 | errMsg: cloud.callFunction:fail requests exceed the environment quota\n", i)
			}
			testutil.WriteFile(b, filepath.Join(dir, "wedadiag.yaml"), fmt.Sprintf("listen: 127.0.0.1:0\nstate_dir: %q\nfrom_start: true\nsources:\n  - name: app\n    paths: [%q]\n",
				filepath.Join(dir, "state"), filepath.Join(dir, "logs", "*.log")))
			writeLog(b, dir, "app.log", sb.String())
			run(b, dir, n)
		}
	})
	b.Run("kafka", func(b *testing.B) {
		const n = 60000
		for b.Loop() {
			c := newKafka(b, 4)
			produceCodes(b, c, 0, n, 4)
			h := kafkaDaemon(b, b.TempDir(), c)
			runHarness(b, h, n)
		}
	})
	b.Run("cloudbase", func(b *testing.B) {
		const n = 6000 // the API's 20 requests/s × 100 results cap a source at 2,000/s
		for b.Loop() {
			f := cloudbasetest.New(b)
			srv := f.Start()
			dir := b.TempDir()
			f.Add(cloudbaseLogs(0, n, time.Now().Add(-5*time.Minute), 40*time.Millisecond)...)
			testutil.WriteFile(b, filepath.Join(dir, "wedadiag.yaml"), fmt.Sprintf(`listen: 127.0.0.1:0
state_dir: %q
sources:
  - name: env
    type: cloudbase
    env_id: %q
    region: %q
    secret_id: %q
    secret_key: %q
    endpoint: %q
    poll: 100ms
    backfill: 10m
`, filepath.Join(dir, "state"), f.EnvID, f.Region, f.SecretID, f.SecretKey, srv.URL))
			run(b, dir, n)
		}
	})
}

func run(b *testing.B, dir string, n int) {
	runHarness(b, newHarness(b, dir, newRecordSink(""), 0), n)
}

func runHarness(b *testing.B, h *harness, n int) {
	start := time.Now()
	h.start(b)
	h.sink.wait(b, n)
	el := time.Since(start)
	if err := h.stop(b); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(n)/el.Seconds(), "records/s")
}
