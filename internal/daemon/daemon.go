package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/internal/config"
	"github.com/wedadiag/wedadiag/internal/record"
	"github.com/wedadiag/wedadiag/notify"
	"github.com/wedadiag/wedadiag/rules"
	"github.com/wedadiag/wedadiag/tailer"
	"github.com/wedadiag/wedadiag/web"
)

// Build identifies the binary, for wedadiag_build_info and the status page.
type Build struct{ Version, Revision, GoVersion string }

// Options are what a daemon is built from.
type Options struct {
	// Load reads and validates the configuration; it is called on every
	// reload, and at start unless Config is given.
	Load func() (*config.Config, error)
	// Config is the configuration to start with, already loaded.
	Config *config.Config
	Log    *slog.Logger
	Build  Build
	// Stdin is the reader of a "-" source (default os.Stdin).
	Stdin *os.File
	// ShutdownGrace bounds each stage of the shutdown (default 5s).
	ShutdownGrace time.Duration
	// OnListen, when set, is called with the bound HTTP address.
	OnListen func(net.Addr)
}

// Daemon is one running wedadiag.
type Daemon struct {
	o   Options
	log *slog.Logger
	reg *prometheus.Registry
	cat *catalog.Catalog
	res *diagnose.Resolver

	cfg     atomic.Pointer[config.Config]
	set     atomic.Pointer[rules.Set]
	formats atomic.Pointer[map[string]string] // source name → declared input format
	tail    *tailer.Tailer

	agg     *diagnose.Aggregator
	unknown *diagnose.Unknowns
	dm      *diagnose.Metrics
	pm      *pipelineMetrics

	notifyMu sync.Mutex
	notifier *notify.Notifier
	nm       *notify.Metrics
	nstop    context.CancelFunc
	ndone    chan error

	reloadMu sync.Mutex
	ready    atomic.Bool
}

// New loads the configuration, compiles the rules and opens the state
// directory. Nothing runs until Run.
func New(o Options) (*Daemon, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.ShutdownGrace <= 0 {
		o.ShutdownGrace = 5 * time.Second
	}
	cfg := o.Config
	if cfg == nil {
		var err error
		if cfg, err = o.Load(); err != nil {
			return nil, err
		}
	}
	cat, err := catalog.Default()
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	set, err := CompileRules(cfg.Rules)
	if err != nil {
		return nil, err
	}
	if err := web.ValidateConfig(cfg.Web.ConfigFile); err != nil {
		return nil, fmt.Errorf("web.config_file: %w", err)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	d := &Daemon{
		o: o, log: o.Log, reg: reg, cat: cat, res: diagnose.NewResolver(cat),
		unknown: diagnose.NewUnknowns(),
		agg:     diagnose.NewAggregator(cat, diagnose.Options{Window: cfg.Web.Window, Latest: true}),
		dm:      diagnose.NewMetrics(reg),
		pm:      newPipelineMetrics(reg, o.Build),
		nm:      notify.NewMetrics(reg),
	}
	d.cfg.Store(cfg)
	d.set.Store(set)
	d.storeFormats(cfg)
	tcfg := tailerConfig(cfg)
	if o.Stdin != nil {
		tcfg.Stdin = o.Stdin
	}
	d.tail, err = tailer.New(tcfg, d.log.With("component", "tailer"), tailer.NewMetrics(reg))
	if err != nil {
		return nil, err
	}
	d.initSeries(cfg)
	return d, nil
}

// Registry returns the daemon's metrics registry.
func (d *Daemon) Registry() *prometheus.Registry { return d.reg }

// CompileRules compiles the built-in rules and the user rule files that
// paths name (a path with glob characters names the files it matches, in
// name order, possibly none; later files override earlier rules by id), and
// checks what they yield against the catalog.
func CompileRules(paths []string) (*rules.Set, error) {
	cat, err := catalog.Default()
	if err != nil {
		return nil, err
	}
	files, err := ReadRuleFiles(paths)
	if err != nil {
		return nil, err
	}
	set, err := diagnose.CompileRules(cat, append(rules.Builtin(), files...)...)
	if err != nil {
		return nil, fmt.Errorf("rules:\n%w", err)
	}
	return set, nil
}

// ReadRuleFiles reads the rule files paths name: a plain path must exist; a
// path with glob characters names the files it matches, in name order.
func ReadRuleFiles(paths []string) ([]rules.File, error) {
	var out []rules.File
	for _, p := range paths {
		names := []string{p}
		if strings.ContainsAny(p, "*?[") {
			m, err := filepath.Glob(p)
			if err != nil {
				return nil, fmt.Errorf("rule files %q: %w", p, err)
			}
			sort.Strings(m)
			names = m
		}
		for _, n := range names {
			data, err := os.ReadFile(n)
			if err != nil {
				return nil, fmt.Errorf("rule file: %w", err)
			}
			out = append(out, rules.File{Name: n, Data: data})
		}
	}
	return out, nil
}

func tailerConfig(cfg *config.Config) tailer.Config {
	var srcs []tailer.Source
	for _, s := range cfg.Sources {
		mode, _ := record.ParseMode(s.Multiline)
		srcs = append(srcs, tailer.Source{Name: s.Name, Paths: s.Paths, Multiline: mode})
	}
	return tailer.Config{
		Sources:           srcs,
		StateDir:          cfg.StateDir,
		FromStart:         cfg.FromStart,
		MaxFilesPerSource: cfg.Tailer.MaxFilesPerSource,
		MaxLineBytes:      cfg.Tailer.MaxLineBytes,
		PollInterval:      cfg.Tailer.PollInterval,
		IdleFlush:         cfg.Tailer.IdleFlush,
		SaveInterval:      cfg.Tailer.SaveInterval,
		ReleaseAfter:      cfg.Tailer.ReleaseAfter,
		Poll:              cfg.Tailer.Poll,
		Buffer:            cfg.Pipeline.Buffer,
	}
}

func notifyConfig(cfg *config.Config) notify.Config {
	n := cfg.Alerts
	if n.StateDir == "" {
		n.StateDir = cfg.StateDir
	}
	return n
}

// storeFormats records each source's declared input format.
func (d *Daemon) storeFormats(cfg *config.Config) {
	m := make(map[string]string, len(cfg.Sources))
	for _, s := range cfg.Sources {
		m[s.Name] = s.Format
	}
	d.formats.Store(&m)
}

func sourceNames(cfg *config.Config) []string {
	var out []string
	for _, s := range cfg.Sources {
		out = append(out, s.Name)
	}
	return out
}

// initSeries creates every known label combination at zero.
func (d *Daemon) initSeries(cfg *config.Config) {
	names := sourceNames(cfg)
	d.dm.Init(d.cat, names)
	d.pm.initSources(names)
	d.pm.initRules(d.set.Load())
}

// Run runs the daemon until ctx is done, reloading on every value of
// reload. It returns nil after an orderly stop.
func (d *Daemon) Run(ctx context.Context, reload <-chan struct{}) error {
	cfg := d.cfg.Load()
	l, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	d.log.Info("listening", "address", l.Addr().String())
	if d.o.OnListen != nil {
		d.o.OnListen(l.Addr())
	}
	for _, s := range cfg.Sources {
		d.log.Info("following", "source", s.Name, "paths", s.Paths)
	}
	if len(cfg.Sources) == 0 {
		d.log.Warn("no sources: give --logs GLOB or sources: in the config file")
	}
	if err := d.startNotifier(cfg); err != nil {
		l.Close()
		return err
	}

	tailCtx, stopTail := context.WithCancel(ctx)
	defer stopTail()
	webCtx, stopWeb := context.WithCancel(context.Background())
	defer stopWeb()

	var wg sync.WaitGroup
	errs := make(chan error, 4)
	wg.Go(func() {
		if err := d.tail.Run(tailCtx); err != nil {
			errs <- fmt.Errorf("tailer: %w", err)
		}
	})
	pipelineDone := make(chan struct{})
	go func() {
		defer close(pipelineDone)
		var pw sync.WaitGroup
		for range max(cfg.Pipeline.Workers, 1) {
			pw.Go(d.pipeline)
		}
		pw.Wait()
	}()
	webDone := make(chan error, 1)
	go func() {
		webDone <- web.Serve(webCtx, l, d.handler(), web.ServeConfig{WebConfigFile: cfg.Web.ConfigFile, Grace: d.o.ShutdownGrace, ProbesWithoutAuth: cfg.Web.ProbesWithoutAuth}, d.log.With("component", "web"))
	}()
	d.ready.Store(true)
	d.log.Info("wedadiag started", "version", d.o.Build.Version, "sources", len(cfg.Sources), "rules", len(d.set.Load().Rules()))

	var runErr error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-reload:
			if err := d.Reload(ctx); err != nil {
				d.log.Error("reload refused; the running configuration stays", "err", err)
			}
		case err := <-webDone:
			runErr = fmt.Errorf("http: %w", err)
			webDone <- nil
			break loop
		case err := <-errs:
			runErr = err
			break loop
		}
	}

	// Orderly stop: not ready, stop reading, drain the pipeline, save
	// positions, flush alerts, close HTTP.
	d.ready.Store(false)
	d.log.Info("stopping")
	stopTail()
	wg.Wait()
	select {
	case <-pipelineDone:
	case <-time.After(d.o.ShutdownGrace):
		d.log.Warn("pipeline did not drain in time")
	}
	if err := d.tail.SavePositions(); err != nil {
		runErr = errors.Join(runErr, fmt.Errorf("save positions: %w", err))
	}
	if err := d.stopNotifier(); err != nil {
		runErr = errors.Join(runErr, fmt.Errorf("alerts: %w", err))
	}
	stopWeb()
	if err := <-webDone; err != nil {
		runErr = errors.Join(runErr, err)
	}
	d.log.Info("stopped")
	return runErr
}

// startNotifier starts alerting with cfg's alerts block.
func (d *Daemon) startNotifier(cfg *config.Config) error {
	n, err := notify.New(notifyConfig(cfg), d.cat, d.log.With("component", "notify"), d.nm, time.Now)
	if err != nil {
		return fmt.Errorf("alerts: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- n.Run(ctx) }()
	d.notifyMu.Lock()
	d.notifier, d.nstop, d.ndone = n, cancel, done
	d.notifyMu.Unlock()
	return nil
}

// stopNotifier flushes and stops alerting.
func (d *Daemon) stopNotifier() error {
	d.notifyMu.Lock()
	stop, done := d.nstop, d.ndone
	d.notifier, d.nstop, d.ndone = nil, nil, nil
	d.notifyMu.Unlock()
	if stop == nil {
		return nil
	}
	stop()
	return <-done
}

func (d *Daemon) observe(o diagnose.Occurrence) {
	d.agg.Observe(o)
	d.notifyMu.Lock()
	n := d.notifier
	d.notifyMu.Unlock()
	if n != nil {
		n.Observe(o)
	}
}

// pipeline matches records the tailer sends, records what they reveal and
// acknowledges them; pipeline.workers of them share the channel (the
// tailer persists a position only once every record before it is
// acknowledged). It returns when the tailer closes its channel.
func (d *Daemon) pipeline() {
	set := d.set.Load()
	m := set.NewMatcher()
	var found []diagnose.Found
	for rec := range d.tail.Records() {
		if s := d.set.Load(); s != set {
			set, m = s, s.NewMatcher()
		}
		d.handle(m, &rec, &found)
		d.tail.Ack(rec)
	}
}

func (d *Daemon) handle(m *rules.Matcher, rec *record.Record, found *[]diagnose.Found) {
	sm := d.pm.source(rec.Source)
	sm.records.Inc()
	res := m.MatchFormat(rec, (*d.formats.Load())[rec.Source])
	for _, reason := range res.Bad {
		sm.bad(reason).Inc()
	}
	for _, re := range res.Errors {
		d.pm.ruleError(re.Rule).Inc()
		d.log.Debug("rule failed", "rule", re.Rule, "source", rec.Source, "err", re.Err)
	}
	*found = d.res.ResolveAll(res.Matches, (*found)[:0])
	if len(*found) == 0 {
		if res.ErrorLike && res.Event != nil {
			sm.unmatched.Inc()
			d.unknown.Add(res.Event.Raw)
		}
		return
	}
	now := time.Now()
	for _, f := range *found {
		ev := f.Match.Event
		t := ev.Time
		if t.IsZero() {
			t = now
		}
		d.dm.Inc(f.Entry, f.Match.Labels[rules.LabelSeverity], rec.Source)
		d.observe(diagnose.Occurrence{Entry: f.Entry, Source: rec.Source, Time: t, Sample: ev.Raw, Labels: f.Match.Labels})
	}
}

// Ready reports why the daemon is not ready, or nil.
func (d *Daemon) Ready() error {
	if !d.ready.Load() {
		return errors.New("starting or stopping")
	}
	if !d.tail.Ready() {
		return errors.New("sources not opened yet")
	}
	return nil
}
