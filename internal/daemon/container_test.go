package daemon

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wedadiag/wedadiag/internal/testutil"
)

// containerText writes text as a container runtime would: every line in
// CRI or docker json-file framing, lines longer than split cut into
// partial pieces (CRI P … F; docker without the trailing newline), stdout
// and stderr interleaved.
func containerText(format, text string, split int) string {
	var b strings.Builder
	at := time.Date(2026, 12, 2, 7, 0, 0, 0, time.UTC)
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		stream := "stdout"
		if i%7 == 3 {
			stream = "stderr"
		}
		ts := at.Add(time.Duration(i) * time.Millisecond)
		for first := true; first || line != ""; first = false {
			piece := line
			if len(piece) > split {
				// On a character boundary: docker's JSON would turn a
				// cut character into U+FFFD (CRI keeps the bytes).
				n := split
				for format == "docker" && n > 0 && !utf8.RuneStart(line[n]) {
					n--
				}
				piece = line[:n]
			}
			line = line[len(piece):]
			last := line == ""
			switch format {
			case "cri":
				tag := "P"
				if last {
					tag = "F"
				}
				fmt.Fprintf(&b, "%s %s %s %s\n", ts.Format(time.RFC3339Nano), stream, tag, piece)
			case "docker":
				if last {
					piece += "\n"
				}
				j, _ := json.Marshal(map[string]string{"log": piece, "stream": stream, "time": ts.Format(time.RFC3339Nano)})
				b.Write(j)
				b.WriteByte('\n')
			}
		}
	}
	return b.String()
}

// TestContainerLogsDiagnoseExactly: the example logs written as CRI and as
// docker json-file lines (with partial lines, JSON inside, a 20 KB line)
// give the daemon exactly the diagnoses scan finds in the plain text.
func TestContainerLogsDiagnoseExactly(t *testing.T) {
	text := exampleLogs(t) + "2026-12-02 07:00:00 ERROR " + strings.Repeat("z", 20<<10) +
		" FailedOperation.FlexdbResourceOverdue 数据库资源到期或者数据库读写次数超过套餐包限制。\n"
	sc, agg, _ := scanText(t, text, "pods", 1)
	want := map[string]int64{}
	for _, d := range agg.Diagnoses("en") {
		want[d.ID] = d.Count
	}
	if len(want) < 5 {
		t.Fatalf("only %d entries in the examples", len(want))
	}
	for _, format := range []string{"cri", "docker", "auto"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			cfg := fmt.Sprintf(`listen: 127.0.0.1:0
state_dir: %q
from_start: true
sources:
  - name: pods
    paths: [%q]
    format: %s
    kubernetes: {labels: true, max: 5}
`, filepath.Join(dir, "state"), filepath.Join(dir, "pods", "*", "*", "*.log"), format)
			testutil.WriteFile(t, filepath.Join(dir, "wedadiag.yaml"), cfg)
			lines := format
			if format == "auto" {
				lines = "cri"
			}
			writeLog(t, dir, "../pods/weda_app-7d9f_0f1e2d3c/app/0.log", containerText(lines, text, 40))
			sink := newRecordSink("")
			h := newHarness(t, dir, sink, 0)
			h.start(t)
			sink.wait(t, int(sc.Records))
			if err := h.stop(t); err != nil {
				t.Fatal(err)
			}
			if n := sink.count(); n != int(sc.Records) {
				t.Errorf("%d records, scan of the plain text %d", n, sc.Records)
			}
			// Every diagnosis also counted by the path's namespace and
			// container (the pod is not a label).
			var total int64
			for _, n := range want {
				total += n
			}
			if got := metricSum(t, h, "wedadiag_kubernetes_diagnoses_total", map[string]string{"namespace": "weda", "container": "app"}); int64(got) != total {
				t.Errorf("wedadiag_kubernetes_diagnoses_total{namespace=weda,container=app} = %v, want %d", got, total)
			}
			got := map[string]int64{}
			for _, d := range h.d.agg.Diagnoses("en") {
				got[d.ID] = d.Count
			}
			for id, n := range want {
				if got[id] != n {
					t.Errorf("%s: %d, want %d", id, got[id], n)
				}
			}
			for id, n := range got {
				if _, ok := want[id]; !ok {
					t.Errorf("%s: %d, scan found none", id, n)
				}
			}
		})
	}
}
