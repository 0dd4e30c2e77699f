package cloudbase

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wedadiag/wedadiag/internal/testutil"
	"github.com/wedadiag/wedadiag/record"
)

func TestStateSurvivesCorruptionAndOtherEnvironments(t *testing.T) {
	f := newFakeAPI(t)
	srv := f.Start()
	cfg := testConfig(f, srv)
	dir := t.TempDir()
	path := statePath(dir, cfg.Name)
	if err := os.WriteFile(path, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	buf := &testutil.SyncBuffer{}
	s, err := New(cfg, dir, slog.New(slog.NewTextHandler(buf, nil)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".bad"); err != nil {
		t.Errorf("corrupt state not moved aside: %v", err)
	}
	if !strings.Contains(buf.String(), "state lost") {
		t.Errorf("not logged: %s", buf.String())
	}
	st, err := loadState(path)
	if err != nil || st == nil || st.EnvID != cfg.EnvID {
		t.Fatalf("state after New: %+v %v", st, err)
	}
	wantMark := time.Now().Add(-cfg.Backfill)
	if d := st.Mark.Sub(wantMark); d < -2*time.Second || d > 2*time.Second {
		t.Errorf("first-start mark %s, want about %s", st.Mark, wantMark)
	}
	_ = s
	// A state of another environment is not used.
	st.EnvID, st.Mark, st.NextSeq = "env-other", time.Now().Add(-72*time.Hour), 42
	if err := saveState(path, st); err != nil {
		t.Fatal(err)
	}
	s2, err := New(cfg, dir, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s2.nextSeq != 0 || s2.scanned.Before(time.Now().Add(-2*time.Hour)) {
		t.Errorf("the other environment's state was used: seq %d, mark %s", s2.nextSeq, s2.scanned)
	}
	if entries, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(entries) != 0 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestRunTwiceAndAckOfOthers(t *testing.T) {
	f := newFakeAPI(t)
	h := start(t, testConfig(f, f.Start()), "", nil)
	h.waitCycles(t, 1)
	if err := h.s.Run(context.Background()); err != ErrRunTwice {
		t.Errorf("second Run: %v", err)
	}
	h.s.Ack(record.Record{Source: "other", Offset: 0, Stream: stream}) // ignored, no panic
	h.s.Ack(record.Record{Source: "env", Offset: 99, Stream: stream})
	if !h.s.Ready() {
		t.Error("not ready after a successful poll")
	}
}

func TestAcksAfterStopAreSaved(t *testing.T) {
	f := newFakeAPI(t)
	now := time.Now()
	f.Add(genLogs(0, 400, now.Add(-20*time.Minute), now.Add(-10*time.Minute))...)
	cfg := testConfig(f, f.Start())
	cfg.Query = "module:model OR SCF_Level:ERROR"
	dir := t.TempDir()
	a := start(t, cfg, dir, nil)
	var got []record.Record
	for range 400 {
		got = append(got, a.next(t))
	}
	a.waitCycles(t, 1)
	left := a.stop(t) // the daemon's order: stop reading, drain, ack, save
	if len(left) != 0 {
		t.Fatalf("%d records after all 400", len(left))
	}
	for _, rec := range got {
		a.s.Ack(rec)
	}
	if err := a.s.Save(); err != nil {
		t.Fatal(err)
	}
	f.Mu.Lock()
	q := f.LastQuery
	f.Mu.Unlock()
	if q != cfg.Query {
		t.Errorf("QueryString %q, want %q", q, cfg.Query)
	}
	b := start(t, cfg, dir, nil)
	if extra := b.settle(t); len(extra) != 0 {
		t.Errorf("%d acknowledged records handed on again after a restart", len(extra))
	}
	if got[399].Offset != 399 || b.s.nextSeq != 400 {
		t.Errorf("offsets: last %d, next after restart %d", got[399].Offset, b.s.nextSeq)
	}
}

func TestZoneMismatchIsReported(t *testing.T) {
	f := newFakeAPI(t)
	f.EpochStamps = true // times that carry no zone of their own
	now := time.Now()
	// The fake reads the window's times in UTC+8, the source writes them in
	// UTC: a window it means as the last hour reaches logs 8 hours older.
	f.Add(genLogs(0, 20, now.Add(-8*time.Hour-20*time.Minute), now.Add(-8*time.Hour-10*time.Minute))...)
	cfg := testConfig(f, f.Start())
	cfg.TimeZone = "UTC"
	h := start(t, cfg, "", nil)
	for range 20 {
		rec := h.next(t)
		if d := time.Since(rec.Time); d < 8*time.Hour+9*time.Minute || d > 8*time.Hour+21*time.Minute {
			t.Errorf("event time %s is not the log's", rec.Time)
		}
		h.s.Ack(rec)
	}
	h.stop(t)
	if !strings.Contains(h.logs.String(), "is time_zone right?") {
		t.Errorf("no warning:\n%s", h.logs.String())
	}
}

func TestCatchUpInWindowsWhileSaving(t *testing.T) {
	f := newFakeAPI(t)
	now := time.Now()
	f.Add(genLogs(0, 2000, now.Add(-55*time.Minute), now.Add(-5*time.Minute))...)
	cfg := testConfig(f, f.Start())
	cfg.MaxWindow = 5 * time.Minute
	h := start(t, cfg, t.TempDir(), nil)
	got := map[int]int{}
	for len(got) < 2000 {
		rec := h.next(t)
		got[seqOf(t, rec)]++
		h.s.Ack(rec)
		if len(got)%250 == 0 {
			if err := h.s.Save(); err != nil { // the daemon may save while Run polls
				t.Fatal(err)
			}
		}
	}
	for _, rec := range h.settle(t) {
		got[seqOf(t, rec)]++
	}
	for n, c := range got {
		if c != 1 {
			t.Errorf("seq %d handed on %d times", n, c)
		}
	}
	if _, _, _, queries := f.Counts(); queries < 11 {
		t.Errorf("%d queries: the backlog was not read in 5-minute windows", queries)
	}
}
