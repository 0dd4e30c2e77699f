package diagnose

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// tallySink counts records in per-worker tallies it adds up on Flush; a
// record handed to the sink itself, not to a worker's tally, is counted
// apart.
type tallySink struct{ total, direct atomic.Int64 }

func (s *tallySink) Observe(Occurrence)        {}
func (s *tallySink) Record(*Outcome)           { s.direct.Add(1) }
func (s *tallySink) ForWorker() WorkerRecorder { return &tally{s: s} }

type tally struct {
	s *tallySink
	n int64
}

func (t *tally) Record(*Outcome) { t.n++ }
func (t *tally) Flush()          { t.s.total.Add(t.n); t.n = 0 }

// A WorkerSink in a scan pipeline sees every record once its workers
// flush: a file in ranges on several workers, a file on one, a stream.
func TestWorkerSinkInScans(t *testing.T) {
	var b strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&b, "2024-06-21T08:00:01Z INFO line %d\n", i)
	}
	path := filepath.Join(t.TempDir(), "app.log")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cat := testCatalog(t)
	for _, c := range []struct {
		name            string
		workers, chunks int
		stream          bool
	}{{"ranges", 4, 8, false}, {"one range", 1, 1, false}, {"stream", 3, 0, true}} {
		t.Run(c.name, func(t *testing.T) {
			sink := &tallySink{}
			sc := NewScanner(NewScanPipeline(testProgram(t), NewResolver(cat), sink))
			sc.Workers, sc.Chunks, sc.minChunked = c.workers, c.chunks, 1
			var err error
			if c.stream {
				err = sc.Scan(strings.NewReader(b.String()), "app", "app.log")
			} else {
				f, ferr := os.Open(path)
				if ferr != nil {
					t.Fatal(ferr)
				}
				defer f.Close()
				st, _ := f.Stat()
				err = sc.ScanFile(f, st.Size(), "app", "app.log")
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := sink.total.Load(); got != 20000 {
				t.Errorf("the WorkerSink's tallies counted %d records, want 20000", got)
			}
			if n := sink.direct.Load(); n != 0 {
				t.Errorf("%d records went to the WorkerSink itself, not to a worker's tally", n)
			}
		})
	}
}
