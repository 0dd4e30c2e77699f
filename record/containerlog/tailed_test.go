package containerlog_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wedadiag/wedadiag/record"
	"github.com/wedadiag/wedadiag/record/containerlog"
	"github.com/wedadiag/wedadiag/tailer"
)

// TestTailedCRIKeepsReading: container lines read by the tailer and joined
// here are acknowledged back to it in full, so its byte budget comes back
// and it reads on. A file of container lines many times the budget, full
// lines and partial ones (CRI "P"), all arrives, whether the receiver
// acknowledges batches whole or record by record.
func TestTailedCRIKeepsReading(t *testing.T) {
	for _, whole := range []bool{true, false} {
		t.Run(fmt.Sprintf("AckBatch=%v", whole), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "pod.log")
			const n = 6000
			var b strings.Builder
			for i := range n {
				ts := time.Date(2024, 6, 21, 8, 0, 0, i, time.UTC).Format(time.RFC3339Nano)
				if i%7 == 0 {
					fmt.Fprintf(&b, "%s stdout P line %06d first half %s\n", ts, i, strings.Repeat("p", 40))
					fmt.Fprintf(&b, "%s stdout F  second half\n", ts)
					continue
				}
				fmt.Fprintf(&b, "%s stdout F 2024-06-21 08:00:00 INFO line %06d %s\n", ts, i, strings.Repeat("x", 60))
			}
			if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			tl, err := tailer.New(tailer.Config{
				Sources:      []tailer.Source{{Name: "pods", Paths: []string{path}, Multiline: record.None}},
				StateDir:     filepath.Join(dir, "state"),
				FromStart:    true,
				PollInterval: 10 * time.Millisecond,
				IdleFlush:    20 * time.Millisecond,
				BufferBytes:  16 << 10, // a few dozen lines: the file is 40 times it
			}, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			src := containerlog.NewSource(tl, containerlog.SourceConfig{
				Formats:   map[string]string{"pods": containerlog.CRI},
				Multiline: map[string]record.Mode{"pods": record.None},
				IdleFlush: 20 * time.Millisecond,
			})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- src.Run(ctx) }()
			var got atomic.Int64
			seen := make(chan []string, 1)
			go func() {
				var texts []string
				for batch := range src.Batches() {
					for i := range batch {
						texts = append(texts, string(batch[i].Text))
						got.Add(1)
					}
					if whole {
						src.AckBatch(batch)
					} else {
						for i := range batch {
							src.Ack(batch[i])
						}
					}
				}
				seen <- texts
			}()
			deadline := time.Now().Add(20 * time.Second)
			for got.Load() < n && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			texts := <-seen
			if len(texts) != n {
				t.Fatalf("%d records of %d arrived (the tailer stopped reading?)", len(texts), n)
			}
			for i, text := range texts {
				want := fmt.Sprintf("line %06d", i)
				if !strings.Contains(text, want) {
					t.Fatalf("record %d: %q, want it to hold %q", i, text, want)
				}
			}
		})
	}
}
