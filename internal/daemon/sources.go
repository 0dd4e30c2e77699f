package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/internal/config"
	"github.com/wedadiag/wedadiag/source/cloudbase"
	"github.com/wedadiag/wedadiag/source/kafka"
)

// stream is one source the daemon runs beside the tailer (kafka,
// cloudbase): its own reader, drained by its own pipeline workers into the
// same pipeline, so its acknowledgements go straight back to it.
type stream struct {
	cfg  config.Source
	src  diagnose.Source
	save func() error // after the drain (cloudbase saves its last acks); nil when Run commits itself
	log  *slog.Logger

	cancel   context.CancelFunc
	drained  chan struct{} // Run returned and the workers handled every record sent
	runErr   error
	stopOnce sync.Once
}

// streams are the running non-file sources, by name.
type streams struct {
	d    *Daemon
	km   *kafka.Metrics
	cm   *cloudbase.Metrics
	mu   sync.Mutex
	live map[string]*stream
}

// isStream reports whether s is a source the daemon runs as a stream.
func isStream(s config.Source) bool {
	return s.Type == config.SourceKafka || s.Type == config.SourceCloudBase
}

// open builds the source of s; stateDir "" keeps a cloudbase source's state
// in memory (a reload's dry run).
func (ss *streams) open(s config.Source, stateDir string) (*stream, error) {
	log := ss.d.log.With("component", "source", "type", s.Type)
	st := &stream{cfg: s, log: log.With("source", s.Name), drained: make(chan struct{})}
	switch s.Type {
	case config.SourceKafka:
		src, err := kafka.New(s.Kafka(), log, ss.km)
		if err != nil {
			return nil, err
		}
		st.src = src
	case config.SourceCloudBase:
		src, err := cloudbase.New(s.CloudBase(), stateDir, log, ss.cm)
		if err != nil {
			return nil, err
		}
		st.src, st.save = src, src.Save
	default:
		return nil, fmt.Errorf("source %q: type %q is not a stream", s.Name, s.Type)
	}
	return st, nil
}

// start runs st: its reader and workers pipeline workers.
func (ss *streams) start(st *stream, workers int) {
	ctx, cancel := context.WithCancel(context.Background())
	st.cancel = cancel
	go func() {
		defer close(st.drained)
		var wg sync.WaitGroup
		wg.Go(func() { st.runErr = st.src.Run(ctx) })
		ss.d.pipe.Consume(st.src, workers)
		wg.Wait()
	}()
	st.log.Info("reading", "type", st.cfg.Type)
}

// stopRead tells st to stop reading (it then closes its records).
func (st *stream) stopRead() { st.cancel() }

// finish waits up to grace for st to drain, then saves what was
// acknowledged. A source that did not drain in time saves only what was
// acknowledged: the rest is read again at the next start.
func (st *stream) finish(grace time.Duration) error {
	var err error
	st.stopOnce.Do(func() {
		st.cancel()
		timer := time.NewTimer(grace)
		defer timer.Stop()
		select {
		case <-st.drained:
			if st.runErr != nil {
				err = st.runErr
			}
		case <-timer.C:
			err = fmt.Errorf("source %q did not drain in %s; what was not acknowledged is read again", st.cfg.Name, grace)
		}
		if st.save != nil {
			err = errors.Join(err, st.save())
		}
	})
	return err
}

// startAll opens and starts every stream of cfg.
func (ss *streams) startAll(cfg *config.Config) error {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for _, s := range cfg.Sources {
		if !isStream(s) {
			continue
		}
		st, err := ss.open(s, cfg.StateDir)
		if err != nil {
			ss.stopAllLocked(ss.d.o.ShutdownGrace)
			return err
		}
		ss.live[s.Name] = st
		ss.start(st, cfg.Pipeline.Workers)
	}
	return nil
}

// stopReading tells every stream to stop reading.
func (ss *streams) stopReading() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for _, st := range ss.live {
		st.stopRead()
	}
}

// finishAll drains and saves every stream, concurrently.
func (ss *streams) finishAll(grace time.Duration) error {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.stopAllLocked(grace)
}

func (ss *streams) stopAllLocked(g time.Duration) error {
	var wg sync.WaitGroup
	errs := make([]error, 0, len(ss.live))
	var emu sync.Mutex
	for name, st := range ss.live {
		wg.Go(func() {
			if err := st.finish(g); err != nil {
				emu.Lock()
				errs = append(errs, err)
				emu.Unlock()
			}
		})
		delete(ss.live, name)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// check opens every new or changed stream of cfg without its state (a dry
// run: credentials, endpoints), so a reload that would fail to start one
// is refused before anything changes.
func (ss *streams) check(cfg *config.Config) error {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for _, s := range cfg.Sources {
		if !isStream(s) {
			continue
		}
		if old, ok := ss.live[s.Name]; ok && reflect.DeepEqual(old.cfg, s) {
			continue
		}
		if _, err := ss.open(s, ""); err != nil {
			return err
		}
	}
	return nil
}

// update makes the running streams those of cfg: a removed or changed
// source drains and saves before its successor opens on the same state; the
// others keep running untouched.
func (ss *streams) update(cfg *config.Config) error {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	want := map[string]config.Source{}
	for _, s := range cfg.Sources {
		if isStream(s) {
			want[s.Name] = s
		}
	}
	var errs []error
	for name, st := range ss.live {
		if s, ok := want[name]; ok && reflect.DeepEqual(st.cfg, s) {
			continue
		}
		if err := st.finish(ss.d.o.ShutdownGrace); err != nil {
			errs = append(errs, err)
		}
		delete(ss.live, name)
		if _, kept := want[name]; !kept {
			ss.km.Delete(name)
			ss.cm.Delete(name)
		}
	}
	for _, s := range cfg.Sources {
		if _, ok := want[s.Name]; !ok {
			continue
		}
		if _, ok := ss.live[s.Name]; ok {
			continue
		}
		st, err := ss.open(s, cfg.StateDir)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ss.live[s.Name] = st
		ss.start(st, cfg.Pipeline.Workers)
	}
	return errors.Join(errs...)
}

// get returns the running stream of a name, nil when none.
func (ss *streams) get(name string) *stream {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.live[name]
}

// notReady lists the streams that are not reading, with why when known.
func (ss *streams) notReady() []string {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	var out []string
	for name, st := range ss.live {
		if st.src.Ready() {
			continue
		}
		why := fmt.Sprintf("%s source %q not reading", st.cfg.Type, name)
		if k, ok := st.src.(*kafka.Source); ok {
			if e := k.Status().LastError; e != "" {
				why += ": " + e
			}
		}
		out = append(out, why)
	}
	sort.Strings(out)
	return out
}

// readyError joins the reasons of notReady.
func readyError(reasons []string) error {
	if len(reasons) == 0 {
		return nil
	}
	return errors.New(strings.Join(reasons, "; "))
}
