package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/exporter-toolkit/web"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
)

// Options is what the HTTP side needs from the daemon.
type Options struct {
	// Gatherer serves /metrics (the daemon's own registry, never the
	// global one).
	Gatherer prometheus.Gatherer
	Catalog  *catalog.Catalog
	// Catalogs, when set, returns the running catalog (custom entries of
	// the rule files included, which a reload changes); it wins over
	// Catalog.
	Catalogs func() *catalog.Catalog
	// Diagnoses returns the live window in a language.
	Diagnoses func(lang string) []diagnose.Diagnosis
	// Unmatched returns the top templates of unexplained error records.
	Unmatched func(n int) []diagnose.Unmatched
	// Ready returns nil when sources are open and rules loaded, else why
	// not.
	Ready func() error
	// Reload reloads configuration and rules; its error is the reason a
	// reload was refused.
	Reload func(ctx context.Context) error
	// EnableLifecycle turns on the mutating endpoints (POST /-/reload), as
	// Prometheus's --web.enable-lifecycle does. Off, they answer 403 and
	// say how to turn them on; SIGHUP still reloads.
	EnableLifecycle bool
	// Lang returns the default language of the status page and the API
	// (read per request, so a reload changes it); nil means zh.
	Lang func() string
	// Health returns what the status page's health strip shows (sources,
	// alert receivers, the last reload); nil leaves the strip out.
	Health func() Health
	// Location returns the zone the pages show times in (read per
	// request); nil means the machine's.
	Location func() *time.Location
	// Version is shown on the status page.
	Version string
	Logger  *slog.Logger
}

// Handler returns the daemon's HTTP routes.
func Handler(o Options) http.Handler {
	if o.Lang == nil {
		o.Lang = func() string { return "zh" }
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", fastGzip(promhttp.HandlerFor(o.Gatherer, promhttp.HandlerOpts{
		ErrorLog:           slogAdapter{o.Logger},
		EnableOpenMetrics:  false,
		DisableCompression: true, // fastGzip compresses, at a cheaper level
	})))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if o.Ready != nil {
			if err := o.Ready(); err != nil {
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = w.Write([]byte("not ready: " + err.Error() + "\n"))
				return
			}
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	mux.HandleFunc("GET /api/v1/diagnoses", func(w http.ResponseWriter, r *http.Request) {
		lang := langOf(r, o.Lang())
		body := struct {
			Diagnoses []diagnose.Diagnosis `json:"diagnoses"`
			Unmatched []diagnose.Unmatched `json:"unmatched"`
			Health    *Health              `json:"health,omitempty"`
		}{Diagnoses: []diagnose.Diagnosis{}, Unmatched: []diagnose.Unmatched{}}
		if o.Health != nil {
			h := o.Health()
			h.Reload.Error = safeReloadError(h.Reload.Error)
			body.Health = &h
		}
		if o.Diagnoses != nil {
			if d := o.Diagnoses(lang); d != nil {
				body.Diagnoses = d
			}
		}
		if o.Unmatched != nil {
			if u := o.Unmatched(20); u != nil {
				body.Unmatched = u
			}
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		_ = enc.Encode(body)
	})
	mux.Handle("POST /-/reload", lifecycle(o, func(w http.ResponseWriter, r *http.Request) {
		if err := o.Reload(r.Context()); err != nil {
			if o.Logger != nil {
				o.Logger.Error("reload refused over HTTP; the running configuration stays", "err", err)
			}
			http.Error(w, "reload refused, the running configuration stays: "+faultPositions(err), http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte("reloaded\n"))
	}))
	pages := newPages(o)
	mux.HandleFunc("GET /{$}", pages.status)
	mux.HandleFunc("GET /ui/live", pages.live)
	mux.Handle("GET /static/", static())
	mux.HandleFunc("GET /explain/{id...}", pages.explain)
	return mux
}

func langOf(r *http.Request, def string) string {
	switch r.URL.Query().Get("lang") {
	case "en":
		return "en"
	case "zh":
		return "zh"
	}
	if def == "en" {
		return "en"
	}
	return "zh"
}

// ServeConfig is how Serve listens.
type ServeConfig struct {
	// WebConfigFile is an exporter-toolkit web config file (TLS, basic
	// auth, headers); "" serves plain HTTP without auth.
	WebConfigFile string
	// Grace bounds the wait for open requests at stop.
	Grace time.Duration
	// ProbesWithoutAuth serves GET /healthz and /readyz without basic auth,
	// so Kubernetes probes work when the web config asks for it.
	ProbesWithoutAuth bool
}

// Serve serves h on l until ctx is done, with TLS and basic auth from an
// exporter-toolkit web config file when one is set. It shuts the server
// down gracefully, waiting up to sc.Grace for open requests, then closes
// what is still open; a stop is never an error.
func Serve(ctx context.Context, l net.Listener, h http.Handler, sc ServeConfig, log *slog.Logger) error {
	configFile, grace := sc.WebConfigFile, sc.Grace
	if sc.ProbesWithoutAuth {
		file, ba, cleanup, err := splitAuth(configFile)
		if err != nil {
			return fmt.Errorf("web config: %w", err)
		}
		defer cleanup()
		if ba != nil {
			h = ba.wrap(h)
		}
		configFile = file
	}
	var conns newConns
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		ConnState:         conns.track,
	}
	errc := make(chan error, 1)
	go func() {
		errc <- web.Serve(l, srv, &web.FlagConfig{WebConfigFile: &configFile}, log)
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	// Shutdown closes the listener and the idle connections and waits for
	// the busy ones, but it counts a connection that has sent nothing yet
	// as busy for its first 5 seconds (a browser's preconnect, a client's
	// spare connection). Such a connection carries no request: close it.
	shut := make(chan error, 1)
	go func() { shut <- srv.Shutdown(sctx) }()
	conns.closeAll()
	err := <-shut
	if errors.Is(err, context.DeadlineExceeded) {
		// Requests still running after the grace are cut: the daemon
		// has stopped everything else by now.
		log.Warn("closing connections still busy after the shutdown grace", "grace", grace)
		srv.Close() // the listener is closed already: nothing to report
		err = nil
	}
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// newConns tracks the connections that have not started a request yet.
type newConns struct {
	mu      sync.Mutex
	closing bool
	conns   map[net.Conn]struct{}
}

func (n *newConns) track(c net.Conn, s http.ConnState) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if s != http.StateNew {
		delete(n.conns, c)
		return
	}
	if n.closing {
		c.Close()
		return
	}
	if n.conns == nil {
		n.conns = map[net.Conn]struct{}{}
	}
	n.conns[c] = struct{}{}
}

// closeAll closes the connections that have not started a request, and
// every new one from now on.
func (n *newConns) closeAll() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.closing = true
	for c := range n.conns {
		c.Close()
	}
	clear(n.conns)
}

// ValidateConfig checks an exporter-toolkit web config file.
func ValidateConfig(path string) error {
	if path == "" {
		return nil
	}
	return web.Validate(path)
}

// slogAdapter lets promhttp log through slog.
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) Println(v ...any) {
	if a.l == nil {
		return
	}
	parts := make([]string, 0, len(v))
	for _, x := range v {
		if s, ok := x.(string); ok {
			parts = append(parts, s)
		} else if e, ok := x.(error); ok {
			parts = append(parts, e.Error())
		}
	}
	a.l.Warn("metrics handler", "err", strings.Join(parts, " "))
}
