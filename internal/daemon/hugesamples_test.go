package daemon

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/internal/testutil"
	"github.com/wedadiag/wedadiag/notify"
)

// 1 MiB error lines from three sources: every sample the API serves and
// alerts.json holds stays within diagnose.MaxSampleBytes, and the state file
// stays a few KiB (it used to keep every raw line whole: 158 such lines made
// a 114 MB alerts.json and OOM-killed the daemon under 256 MiB).
func TestHugeErrorLinesKeepStateBounded(t *testing.T) {
	dir := t.TempDir()
	var sources strings.Builder
	for _, s := range []string{"a", "b", "c"} {
		fmt.Fprintf(&sources, "  - name: %s\n    paths: [%q]\n", s, filepath.Join(dir, s, "*.log"))
	}
	testutil.WriteFile(t, filepath.Join(dir, "wedadiag.yaml"), fmt.Sprintf(`listen: 127.0.0.1:0
state_dir: %q
from_start: true
sources:
%salerts:
  policy: {group_wait: 1s}
`, filepath.Join(dir, "state"), sources.String()))
	// Four per source: 12 of one entry, more than the three samples it
	// keeps; each costs seconds of CPU under -race.
	const perSource = 4
	filler := strings.Repeat("数据源调用失败 ", (1<<20)/22)
	for _, s := range []string{"a", "b", "c"} {
		var b strings.Builder
		for i := 0; i < perSource; i++ {
			fmt.Fprintf(&b, `{"level":"error","error":{"Response":{"Error":{"Code":"FailedOperation.FlexdbResourceOverdue","Message":"x"}}},"msg":"%d %s"}`+"\n", i, filler)
		}
		testutil.WriteFile(t, filepath.Join(dir, s, "app.log"), b.String())
	}
	sink := newRecordSink("")
	h := newHarness(t, dir, sink, 2*time.Second)
	h.start(t)
	sink.wait(t, 3*perSource)

	resp, err := http.Get("http://" + h.addr + "/api/v1/diagnoses")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var api struct {
		Diagnoses []diagnose.Diagnosis `json:"diagnoses"`
	}
	if err := json.Unmarshal(body, &api); err != nil {
		t.Fatalf("API: %v", err)
	}
	if len(api.Diagnoses) == 0 {
		t.Fatal("no diagnosis")
	}
	for _, d := range api.Diagnoses {
		for _, s := range d.Samples {
			if len(s) > diagnose.MaxSampleBytes {
				t.Errorf("API sample of %d bytes", len(s))
			}
		}
	}
	if len(body) > 256<<10 {
		t.Errorf("API answer of %d bytes for three 1 MiB-line sources", len(body))
	}
	if err := h.stop(t); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, "state", notify.StateFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() > 3*diagnose.MaxSampleBytes+8<<10 {
		t.Errorf("alerts.json is %d bytes", fi.Size())
	}
	t.Logf("alerts.json %d bytes, API answer %d bytes", fi.Size(), len(body))
}
