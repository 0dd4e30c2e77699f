package tailer

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tu "github.com/wedadiag/wedadiag/internal/testutil"
	"github.com/wedadiag/wedadiag/record"
)

// TestAckBatchTakesBatchBack: batches acknowledged whole with AckBatch are
// filled again with later records, and every line still arrives once, in
// order, with its text intact. A receiver that kept a text without copying
// it sees it overwritten (in builds with the race detector, which poison
// what is taken back).
func TestAckBatchTakesBatchBack(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(dir, src("app", path))
	cfg.waker = nil
	cfg.FromStart = true
	tl, err := New(cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	go func() { runErr <- tl.Run(ctx) }()
	tu.Eventually(t, 5*time.Second, tl.Ready, "tailer not ready")

	const rounds, perRound = 6, 1500
	got := make(chan []string, 1)
	seen := map[*record.Record]int{} // a batch's first record → batches sent there
	// A text kept without a copy (on purpose, against AckBatch's rule),
	// and what it was.
	type keptText struct {
		text []byte
		was  string
	}
	var kept []keptText
	var received atomic.Int64
	go func() {
		var texts []string
		for batch := range tl.Batches() {
			seen[&batch[0]]++
			for i := range batch {
				texts = append(texts, string(batch[i].Text))
			}
			kept = append(kept, keptText{batch[0].Text, string(batch[0].Text)})
			tl.AckBatch(batch)
			received.Add(int64(len(batch)))
		}
		got <- texts
	}()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var want []string
	for r := range rounds {
		var b strings.Builder
		for i := range perRound {
			line := fmt.Sprintf("round %d line %06d %s", r, i, strings.Repeat("x", i%97))
			want = append(want, line)
			b.WriteString(line + "\n")
		}
		if _, err := f.WriteString(b.String()); err != nil {
			t.Fatal(err)
		}
		n := len(want)
		tu.Eventually(t, 10*time.Second*tu.TimeoutScale, func() bool { return received.Load() >= int64(n) },
			"round %d: not every line read", r)
	}
	cancel()
	if err := <-runErr; err != nil {
		t.Fatal(err)
	}
	texts := <-got
	if len(texts) != len(want) {
		t.Fatalf("%d records, want %d", len(texts), len(want))
	}
	for i := range want {
		if texts[i] != want[i] {
			t.Fatalf("record %d: %q, want %q", i, texts[i], want[i])
		}
	}
	again := 0
	for _, n := range seen {
		again += n - 1
	}
	if again == 0 {
		t.Fatalf("no batch was filled again after AckBatch (%d batches)", len(seen))
	}
	changed, poisoned := 0, 0
	for _, k := range kept {
		if string(k.text) != k.was {
			changed++
		}
		if bytes.IndexByte(k.text, 0xF5) >= 0 {
			poisoned++
		}
	}
	if changed == 0 {
		t.Fatalf("no kept text changed after its batch was taken back (%d kept)", len(kept))
	}
	if record.PoisonReused && poisoned == 0 {
		t.Fatalf("no kept text was poisoned after its batch was taken back (%d kept)", len(kept))
	}
}

// TestRecordsRemembersNoBatch: a receiver of Records acknowledges record by
// record, so no batch is kept for reuse (each would stay alive in the
// recycler's map until it filled), and a batch said to be taken apart is
// forgotten.
func TestRecordsRemembersNoBatch(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	if err := os.WriteFile(path, []byte(numbered("r", 1, 3000)), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(dir, src("app", path))
	cfg.FromStart = true
	h := start(t, cfg)
	h.eventually(10*time.Second, func() bool { return h.count() == 3000 }, "records: %d", lazy(func() any { return h.count() }))
	if n := h.tl.recycle.Remembered(); n != 0 {
		t.Fatalf("%d batches remembered for a receiver of Records", n)
	}

	c := record.NewReuse(batchRecords, arenaBytes, keepFree, maxSent)
	batch := make([]record.Record, 3, batchRecords)
	c.Sent(batch, nil)
	if c.Remembered() != 1 {
		t.Fatal("a batch sent is not remembered")
	}
	(&Tailer{recycle: c}).TakenApart(batch)
	if c.Remembered() != 0 {
		t.Fatal("a batch taken apart is still remembered")
	}
}

// A busy file's batches nearly fill a text block: its new blocks are made
// whole, the only size Reuse takes back, so that they come back for the
// next batches instead of going to the collector; a quiet file's few lines
// still take a small block.
func TestBusyFileBlocksAreReusable(t *testing.T) {
	for _, c := range []struct {
		last  int
		whole bool
	}{{arenaBytes - 2<<10, true}, {arenaBytes/2 + 1, true}, {arenaBytes / 2, false}, {300, false}} {
		r := &runner{t: &Tailer{recycle: record.NewReuse(batchRecords, arenaBytes, keepFree, maxSent)}, batch: true, lastArena: c.last}
		r.clone(make([]byte, 120))
		if got := cap(r.arena) == arenaBytes; got != c.whole {
			t.Errorf("after a batch of %d bytes: a new block of %d bytes, want whole=%v", c.last, cap(r.arena), c.whole)
		}
		if c.whole != (len(r.blocks) == 1) {
			t.Errorf("after a batch of %d bytes: %d blocks to take back", c.last, len(r.blocks))
		}
	}
}
