package daemon

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/websocket"
)

// cdp drives one headless Chromium through the DevTools protocol: one
// browser for the whole test, pages loaded, scripted and photographed
// through one tab.
type cdp struct {
	t    *testing.T
	conn *websocket.Conn

	mu      sync.Mutex
	next    int
	waiting map[int]chan cdpReply
	events  chan string // method names of events
}

type cdpReply struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// startChromium starts headless Chromium with a DevTools port and opens a
// tab; everything stops when the test ends.
func startChromium(t *testing.T, bin string) *cdp {
	t.Helper()
	profile := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--no-first-run", "--disable-extensions", "--hide-scrollbars", "--remote-debugging-port=0",
		"--remote-allow-origins=*", "--user-data-dir="+profile, "about:blank")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() { cancel(); <-exited })

	// Chromium writes its port to DevToolsActivePort once it listens:
	// watch for the file (there is no other signal to wait on).
	portFile := filepath.Join(profile, "DevToolsActivePort")
	var port string
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(6 * waitLimit)
	for port == "" {
		if data, err := os.ReadFile(portFile); err == nil && strings.Contains(string(data), "\n") {
			port = strings.SplitN(string(data), "\n", 2)[0]
			break
		}
		select {
		case <-tick.C:
		case <-exited:
			t.Fatalf("chromium exited at start:\n%s", stderr.String())
		case <-deadline:
			t.Fatalf("chromium did not open its DevTools port:\n%s", stderr.String())
		}
	}
	req, _ := http.NewRequest(http.MethodPut, "http://127.0.0.1:"+port+"/json/new?about:blank", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var target struct {
		WebSocketDebuggerURL string `json:"webSocketDebuggerUrl"`
	}
	err = json.NewDecoder(resp.Body).Decode(&target)
	resp.Body.Close()
	if err != nil || target.WebSocketDebuggerURL == "" {
		t.Fatalf("new tab: %v %+v", err, target)
	}
	conn, err := websocket.Dial(target.WebSocketDebuggerURL, "", "http://127.0.0.1/")
	if err != nil {
		t.Fatal(err)
	}
	conn.MaxPayloadBytes = 64 << 20
	c := &cdp{t: t, conn: conn, waiting: map[int]chan cdpReply{}, events: make(chan string, 256)}
	go c.read()
	t.Cleanup(func() { conn.Close() })
	c.call("Page.enable", nil, nil)
	c.call("Runtime.enable", nil, nil)
	return c
}

func (c *cdp) read() {
	for {
		var msg struct {
			ID     int    `json:"id"`
			Method string `json:"method"`
			cdpReply
		}
		if err := websocket.JSON.Receive(c.conn, &msg); err != nil {
			c.mu.Lock()
			for id, ch := range c.waiting {
				close(ch)
				delete(c.waiting, id)
			}
			c.mu.Unlock()
			return
		}
		if msg.ID == 0 {
			select {
			case c.events <- msg.Method:
			default:
			}
			continue
		}
		c.mu.Lock()
		ch := c.waiting[msg.ID]
		delete(c.waiting, msg.ID)
		c.mu.Unlock()
		if ch != nil {
			ch <- msg.cdpReply
		}
	}
}

// call sends a command and decodes its result into out (when not nil).
func (c *cdp) call(method string, params, out any) {
	c.t.Helper()
	c.mu.Lock()
	c.next++
	id := c.next
	ch := make(chan cdpReply, 1)
	c.waiting[id] = ch
	c.mu.Unlock()
	if params == nil {
		params = struct{}{}
	}
	if err := websocket.JSON.Send(c.conn, map[string]any{"id": id, "method": method, "params": params}); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
	select {
	case r, ok := <-ch:
		if !ok {
			c.t.Fatalf("%s: connection to chromium closed", method)
		}
		if r.Error != nil {
			c.t.Fatalf("%s: %s", method, r.Error.Message)
		}
		if out != nil {
			if err := json.Unmarshal(r.Result, out); err != nil {
				c.t.Fatalf("%s: %v", method, err)
			}
		}
	case <-time.After(3 * waitLimit):
		c.t.Fatalf("%s: no answer", method)
	}
}

// open loads url and waits for its load event.
func (c *cdp) open(url string) {
	c.t.Helper()
	for len(c.events) > 0 {
		<-c.events
	}
	c.call("Page.navigate", map[string]any{"url": url}, nil)
	timeout := time.After(3 * waitLimit)
	for {
		select {
		case ev := <-c.events:
			if ev == "Page.loadEventFired" {
				return
			}
		case <-timeout:
			c.t.Fatalf("%s did not load", url)
		}
	}
}

// eval runs a JavaScript expression in the page (awaiting it when it is
// a promise) and decodes its value into out.
func (c *cdp) eval(expr string, out any) {
	c.t.Helper()
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	c.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &r)
	if r.ExceptionDetails != nil {
		c.t.Fatalf("%s: %s %s", expr, r.ExceptionDetails.Text, r.ExceptionDetails.Exception.Description)
	}
	if out != nil {
		if err := json.Unmarshal(r.Result.Value, out); err != nil {
			c.t.Fatalf("%s: %v (%s)", expr, err, r.Result.Value)
		}
	}
}

// dom returns the page's current markup.
func (c *cdp) dom() string {
	c.t.Helper()
	var s string
	c.eval("document.documentElement.outerHTML", &s)
	return s
}

// size sets the viewport (a phone below 600 px).
func (c *cdp) size(width, height int) {
	c.t.Helper()
	c.call("Emulation.setDeviceMetricsOverride", map[string]any{
		"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600,
	}, nil)
}

// screenshot writes the viewport as a PNG.
func (c *cdp) screenshot(file string) {
	c.t.Helper()
	var r struct {
		Data string `json:"data"`
	}
	c.call("Page.captureScreenshot", map[string]any{"format": "png"}, &r)
	data, err := base64.StdEncoding.DecodeString(r.Data)
	if err != nil || len(data) < 10_000 {
		c.t.Fatalf("screenshot %s: %d bytes, %v", file, len(data), err)
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		c.t.Fatal(err)
	}
}

// waitFor evaluates a JavaScript condition in the page until it holds,
// polling inside the page (every 50 ms, bounded).
func (c *cdp) waitFor(cond string) {
	c.t.Helper()
	var ok bool
	c.eval(fmt.Sprintf(`new Promise(function (done) {
  var end = Date.now() + %d;
  (function check() {
    if (%s) { done(true); return; }
    if (Date.now() > end) { done(false); return; }
    setTimeout(check, 50);
  })();
})`, (2*waitLimit).Milliseconds(), cond), &ok)
	if !ok {
		c.t.Fatalf("the page never came to %s", cond)
	}
}
