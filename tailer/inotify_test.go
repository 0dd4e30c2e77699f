package tailer

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// TestInotifyWatcher: the events of a directory come as fsnotify names
// them, queued ones in one wait; Close ends a wait that blocks.
func TestInotifyWatcher(t *testing.T) {
	dir := t.TempDir()
	w, err := newInotifyWatcher()
	if err != nil {
		t.Skipf("inotify unavailable: %v", err)
	}
	if !w.start() {
		t.Fatal("a new watcher does not start")
	}
	if err := w.Add(dir); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(dir, "app.log")
	if err := os.WriteFile(log, []byte("a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(log, log+".1"); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(log + ".1"); err != nil {
		t.Fatal(err)
	}
	got := map[string]fsnotify.Op{}
	for len(got) < 2 || got[log+".1"]&fsnotify.Remove == 0 {
		evs, overflow, err := w.wait(nil)
		if err != nil || overflow {
			t.Fatalf("wait: %v, overflow %v", err, overflow)
		}
		for _, ev := range evs {
			got[ev.Name] |= ev.Op
		}
	}
	if want := fsnotify.Create | fsnotify.Write | fsnotify.Rename; got[log] != want {
		t.Errorf("%s: %v, want %v", log, got[log], want)
	}
	if want := fsnotify.Create | fsnotify.Remove; got[log+".1"] != want {
		t.Errorf("%s: %v, want %v", log+".1", got[log+".1"], want)
	}

	done := make(chan error, 1)
	go func() {
		_, _, err := w.wait(nil)
		done <- err
	}()
	w.Close()
	select {
	case err := <-done:
		if err != errWatcherClosed {
			t.Errorf("wait after Close: %v, want errWatcherClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end a blocked wait")
	}
	w.stop()
	if err := w.Add(dir); err == nil {
		t.Error("Add after Close succeeded")
	}
}
