package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/internal/config"
	"github.com/wedadiag/wedadiag/notify"
	"github.com/wedadiag/wedadiag/record"
	"github.com/wedadiag/wedadiag/record/containerlog"
	"github.com/wedadiag/wedadiag/source/cloudbase"
	"github.com/wedadiag/wedadiag/source/kafka"
	"github.com/wedadiag/wedadiag/tailer"
	"github.com/wedadiag/wedadiag/web"
)

// The stages of an orderly stop, in order.
const (
	stageNotReady       = "not ready"
	stageReadingStopped = "reading stopped"
	stageDrained        = "drained"
	stageDrainTimeout   = "drain timed out"
	stagePositionsSaved = "positions saved"
	stageAlertsFlushed  = "alerts flushed"
	stageHTTPClosed     = "http closed"
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
	// Sinks are told what the pipeline finds besides the daemon's own
	// (metrics, live diagnoses, alerts, unmatched templates), after them.
	Sinks []diagnose.Sink
}

// Daemon is one running wedadiag.
type Daemon struct {
	o   Options
	log *slog.Logger
	reg *prometheus.Registry
	cat *catalog.Catalog

	// state is what a reload replaces, swapped as one value.
	state atomic.Pointer[state]
	tail  *tailer.Tailer
	// files is the tailer's records with container log lines unwrapped.
	files *containerlog.Source
	pipe  *diagnose.Pipeline
	// streams are the kafka and cloudbase sources, each with its own
	// pipeline workers.
	streams *streams

	agg     *diagnose.Aggregator
	unknown *diagnose.Unknowns
	dm      *diagnose.Metrics
	pm      *pipelineMetrics
	fns     *functionHealth
	kube    *kubernetesMetrics
	alerts  *alerting
	// stateErrors counts live-state files that could not be read or
	// written.
	stateErrors *prometheus.CounterVec
	sourceFiles *prometheus.GaugeVec

	reloadMu sync.Mutex
	// mu guards filesShown, the sources wedadiag_source_files has series
	// for.
	mu         sync.Mutex
	filesShown map[string]bool
	ready      atomic.Bool
	// reloads is the last load's result and rates the read rates, for the
	// status page.
	reloads reloadState
	rates   rates

	// stage, when set (tests), is called as the shutdown passes each of
	// its stages.
	stage func(string)
}

// state is the configuration and what is built from it: one value, so a
// reader never sees the rules of one configuration with the formats of
// another.
type state struct {
	cfg  *config.Config
	prog *diagnose.Program
	// cat is the catalog with the rule files' custom entries.
	cat *catalog.Catalog
}

// newState compiles the rules cfg names and checks what else cfg needs
// before it can run.
func (d *Daemon) newState(cfg *config.Config) (*state, error) {
	k, err := diagnose.Load(d.cat, cfg.Rules)
	if err != nil {
		return nil, err
	}
	if err := web.ValidateConfig(cfg.Web.ConfigFile); err != nil {
		return nil, fmt.Errorf("web.config_file: %w", err)
	}
	formats := make(map[string]string, len(cfg.Sources))
	for _, s := range cfg.Sources {
		formats[s.Name] = s.ParseFormat()
	}
	prog := &diagnose.Program{Set: k.Set, Formats: formats, Resolver: diagnose.NewResolver(k.Catalog), Location: cfg.Location()}
	return &state{cfg: cfg, prog: prog, cat: k.Catalog}, nil
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
	reg := prometheus.NewRegistry()
	ms := registerMetrics(reg, o.Build, o.Log)
	d := &Daemon{
		o: o, log: o.Log, reg: reg, cat: cat,
		unknown: diagnose.NewUnknowns(),
		agg:     diagnose.NewAggregator(cat, diagnose.Options{Window: cfg.Web.Window, Latest: true}),
		dm:      ms.diagnose,
		pm:      ms.pipeline,
		fns:     newFunctionHealth(reg, cat),
		kube:    newKubernetesMetrics(reg),
		alerts:  &alerting{cat: cat, log: o.Log.With("component", "notify"), m: ms.notify},
	}
	st, err := d.newState(cfg)
	if err != nil {
		return nil, err
	}
	d.state.Store(st)
	d.reloads.set(nil)
	// The daemon's sinks: counters and live diagnoses first, then alerts,
	// then per-record counts (records_total last, so that a record counted
	// there has its diagnoses visible everywhere).
	sinks := []diagnose.Sink{d.dm, d.agg, d.alerts, d.unknown, d.fns, d.kube, d.pm}
	red, err := cfg.Redact.Redactor()
	if err != nil {
		return nil, fmt.Errorf("redact: %w", err)
	}
	d.unknown.SetRedactor(red)
	d.pipe = diagnose.New(diagnose.Config{
		Program:  func() *diagnose.Program { return d.state.Load().prog },
		Resolver: diagnose.NewResolver(cat),
		Sinks:    append(sinks, o.Sinks...),
		ReadTime: time.Now,
		Redactor: red,
	})
	tcfg := tailerConfig(cfg)
	if o.Stdin != nil {
		tcfg.Stdin = o.Stdin
	}
	d.tail, err = tailer.New(tcfg, d.log.With("component", "tailer"), ms.tailer)
	if err != nil {
		return nil, err
	}
	d.files = containerlog.NewSource(d.tail, containerConfig(cfg))
	d.streams = &streams{d: d, km: kafka.NewMetrics(reg), cm: cloudbase.NewMetrics(reg), live: map[string]*stream{}}
	if err := d.streams.check(cfg); err != nil {
		return nil, err
	}
	d.initSeries(st)
	d.stateErrors, d.sourceFiles = ms.stateErrors, ms.sourceFiles
	d.restoreLive()
	return d, nil
}

// Registry returns the daemon's metrics registry.
func (d *Daemon) Registry() *prometheus.Registry { return d.reg }

func tailerConfig(cfg *config.Config) tailer.Config {
	var srcs []tailer.Source
	for _, s := range cfg.Sources {
		if s.Type != config.SourceFile && s.Type != "" {
			continue
		}
		mode, _ := record.ParseMode(s.Multiline)
		if s.Container() {
			mode = record.None // containerlog frames the inner text
		}
		srcs = append(srcs, tailer.Source{Name: s.Name, Paths: s.Paths, Multiline: mode, Exclude: s.Exclude, IgnoreOlder: s.IgnoreOlder})
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
		SaveAfterRecords:  cfg.Tailer.SaveAfterRecords,
		SaveAfterBytes:    cfg.Tailer.SaveAfterBytes,
		StartAtUnknown:    cfg.Tailer.StartAtUnknown,
		AllowRoots:        cfg.Tailer.AllowRoots,
		Buffer:            cfg.Pipeline.Buffer,
		BufferBytes:       cfg.Pipeline.BufferBytes,
	}
}

// containerConfig says which file sources hold container runtimes' lines.
func containerConfig(cfg *config.Config) containerlog.SourceConfig {
	c := containerlog.SourceConfig{Formats: map[string]string{}, Multiline: map[string]record.Mode{},
		MaxBytes: cfg.Tailer.MaxLineBytes, IdleFlush: cfg.Tailer.IdleFlush}
	for _, s := range cfg.Sources {
		switch {
		case s.Container():
			c.Formats[s.Name] = s.Format
		case s.Type == config.SourceFile && s.Format == "auto":
			c.Formats[s.Name] = containerlog.Auto // a container's lines are told apart
		default:
			continue
		}
		c.Multiline[s.Name], _ = record.ParseMode(s.Multiline)
	}
	return c
}

func notifyConfig(cfg *config.Config) notify.Config {
	n := cfg.Alerts
	if n.StateDir == "" {
		n.StateDir = cfg.StateDir
	}
	n.Location = cfg.Location()
	return n
}

func sourceNames(cfg *config.Config) []string {
	var out []string
	for _, s := range cfg.Sources {
		out = append(out, s.Name)
	}
	return out
}

// initSeries creates every known label combination of st at zero.
func (d *Daemon) initSeries(st *state) {
	names := sourceNames(st.cfg)
	d.dm.Init(st.cat, names)
	d.pm.initSources(names)
	d.pm.initRules(st.prog.Set)
	d.fns.configure(st.cfg.Functions)
	d.kube.configure(st.cfg)
}

// passed tells the test hook that the shutdown passed a stage.
func (d *Daemon) passed(stage string) {
	if d.stage != nil {
		d.stage(stage)
	}
}

// Run runs the daemon until ctx is done, reloading on every value of
// reload. It returns nil after an orderly stop.
func (d *Daemon) Run(ctx context.Context, reload <-chan struct{}) error {
	cfg := d.state.Load().cfg
	l, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	d.log.Info("listening", "address", l.Addr().String())
	if d.o.OnListen != nil {
		d.o.OnListen(l.Addr())
	}
	for _, s := range cfg.Sources {
		if isStream(s) {
			continue
		}
		d.log.Info("following", "source", s.Name, "paths", s.Paths)
	}
	if len(cfg.Sources) == 0 {
		d.log.Warn("no sources: give --logs GLOB or sources: in the config file")
	}
	d.announceSources(cfg)
	if err := d.alerts.start(notifyConfig(cfg), d.state.Load().cat); err != nil {
		l.Close()
		return err
	}
	if err := d.streams.startAll(cfg); err != nil {
		l.Close()
		return errors.Join(err, d.alerts.stop())
	}

	// The tailer stops when the stop sequence says so, not when ctx ends:
	// not ready comes first.
	tailCtx, stopTail := context.WithCancel(context.WithoutCancel(ctx))
	defer stopTail()
	webCtx, stopWeb := context.WithCancel(context.Background())
	defer stopWeb()

	var wg sync.WaitGroup
	errs := make(chan error, 4)
	wg.Go(func() {
		if err := d.files.Run(tailCtx); err != nil {
			errs <- fmt.Errorf("tailer: %w", err)
		}
	})
	wg.Go(func() { d.saveLiveEvery(tailCtx, cfg.Tailer.SaveInterval) })
	// A gauge scraped every 15 s or so: a glob per source every second at
	// most (each refresh is a wake-up and a stat per matching file).
	wg.Go(func() { d.watchSourceFiles(tailCtx, max(cfg.Tailer.PollInterval, time.Second)) })
	pipelineDone := make(chan struct{})
	go func() {
		defer close(pipelineDone)
		d.pipe.Consume(d.files, cfg.Pipeline.Workers)
	}()
	webDone := make(chan error, 1)
	go func() {
		webDone <- web.Serve(webCtx, l, d.handler(), web.ServeConfig{WebConfigFile: cfg.Web.ConfigFile, Grace: d.o.ShutdownGrace, ProbesWithoutAuth: cfg.Web.ProbesWithoutAuth}, d.log.With("component", "web"))
	}()
	d.rates.observe(time.Now(), nil) // the status page's first rates count from here
	d.ready.Store(true)
	d.log.Info("wedadiag started", "version", d.o.Build.Version, "sources", len(cfg.Sources), "rules", len(d.state.Load().prog.Set.Rules()), "state_dir", cfg.StateDir)

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
	d.passed(stageNotReady)
	d.log.Info("stopping")
	stopTail()
	d.streams.stopReading()
	wg.Wait()
	d.passed(stageReadingStopped)
	select {
	case <-pipelineDone:
		d.passed(stageDrained)
	case <-time.After(d.o.ShutdownGrace):
		d.log.Warn("pipeline did not drain in time")
		d.passed(stageDrainTimeout)
	}
	if err := d.tail.SavePositions(); err != nil {
		// Counted already (wedadiag_tailer_save_errors_total) and not a
		// failure of the run: an unwritable state dir means lines may be
		// read again after a restart, not that this run went wrong.
		d.log.Error("positions not saved at stop; lines since the last good save will be read again after a restart", "err", err)
	}
	// The streams drain (kafka commits, cloudbase saves) concurrently.
	if err := d.streams.finishAll(d.o.ShutdownGrace); err != nil {
		runErr = errors.Join(runErr, fmt.Errorf("sources: %w", err))
	}
	d.saveLive()
	d.passed(stagePositionsSaved)
	if err := d.alerts.stop(); err != nil {
		// The only error of a stopping notifier is its state file: after a
		// restart, alerts start afresh. Logged, not a failed run.
		d.log.Error("alert state not saved at stop; alerts start afresh after a restart", "err", err)
	}
	d.passed(stageAlertsFlushed)
	stopWeb()
	if err := <-webDone; err != nil {
		runErr = errors.Join(runErr, err)
	}
	d.passed(stageHTTPClosed)
	d.log.Info("stopped")
	return runErr
}

// Ready reports why the daemon is not ready, or nil.
func (d *Daemon) Ready() error {
	if !d.ready.Load() {
		return errors.New("starting or stopping")
	}
	var why []string
	if !d.tail.Ready() {
		why = append(why, "file sources not opened yet")
	}
	return readyError(append(why, d.streams.notReady()...))
}
