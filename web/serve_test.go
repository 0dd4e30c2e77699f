package web

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"
)

// serve runs Serve on a local port with handler h and the given grace and
// returns its address, a stop function and Serve's result channel.
func serve(t *testing.T, h http.Handler, grace time.Duration) (string, context.CancelFunc, <-chan error) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, l, h, ServeConfig{Grace: grace}, slog.New(slog.DiscardHandler)) }()
	t.Cleanup(cancel)
	return l.Addr().String(), cancel, done
}

// A connection that never sends a request (a browser's preconnect, an
// HTTP client's spare connection) does not hold the stop: net/http's
// Shutdown counts it busy for 5 seconds, so Serve used to wait out its
// whole grace and return "context deadline exceeded", and wedadiag exited 1
// on SIGTERM.
func TestServeStopsWithSilentConnection(t *testing.T) {
	addr, stop, done := serve(t, http.NotFoundHandler(), 30*time.Second)
	silent, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	// An idle keep-alive connection too, after one request.
	resp, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()

	start := time.Now()
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(4 * time.Second):
		t.Fatal("Serve still running 4s after its context ended (a silent connection holds it)")
	}
	t.Logf("stopped in %v", time.Since(start))
	silent.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := silent.Read(make([]byte, 1)); err == nil {
		t.Error("the silent connection is still open")
	}
}

// A request still running after the grace is cut, and the stop is not an
// error.
func TestServeCutsRequestsAfterGrace(t *testing.T) {
	started := make(chan struct{})
	release := make(chan struct{})
	defer close(release)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	addr, stop, done := serve(t, h, 100*time.Millisecond)
	go func() {
		if resp, err := http.Get("http://" + addr + "/"); err == nil {
			resp.Body.Close()
		}
	}()
	<-started
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(4 * time.Second):
		t.Fatal("Serve still running 4s after its context ended with a grace of 100ms")
	}
}
