package tailer

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/wedadiag/wedadiag/record"
)

// Stdin is the path that names standard input as a source.
const Stdin = "-"

// Source is one configured source: a name (the `source` label) and the globs
// whose files it follows, or standard input.
type Source struct {
	// Name is the source's name, the value of the `source` metric label and
	// of Record.Source. Names are unique within a Config.
	Name string
	// Paths are glob patterns (filepath.Match syntax); relative ones are made
	// absolute against the working directory. A source whose only path is
	// "-" reads standard input.
	Paths []string
	// Multiline selects how lines are grouped into records.
	Multiline record.Mode
	// Exclude are globs of files the Paths match that are not followed: a
	// pattern with a '/' is matched against the whole path, one without
	// against the file name.
	Exclude []string
	// IgnoreOlder, when positive, leaves out files not modified for this
	// long when they are found; a file already followed stays followed.
	IgnoreOlder time.Duration
}

// excluded reports whether an Exclude pattern matches path.
func (s Source) excluded(path string) bool {
	for _, pat := range s.Exclude {
		target := path
		if !strings.Contains(pat, "/") {
			target = filepath.Base(path)
		}
		if ok, _ := filepath.Match(pat, target); ok {
			return true
		}
	}
	return false
}

func (s Source) isStdin() bool { return len(s.Paths) == 1 && s.Paths[0] == Stdin }

// Config configures a Tailer. Zero durations and sizes take the defaults.
type Config struct {
	Sources []Source
	// StateDir holds positions.json. Empty keeps positions in memory only:
	// every start is then a first start.
	StateDir string
	// FromStart makes a source's first start read the files that already
	// exist from their beginning instead of their end.
	FromStart bool
	// MaxFilesPerSource caps the files followed per source (default 1000);
	// the most recently modified are kept.
	MaxFilesPerSource int
	// MaxLineBytes cuts longer lines (and records) at this many bytes
	// (default record.DefaultMaxBytes, 1 MiB); the rest of the line is
	// skipped, never held in memory.
	MaxLineBytes int
	// PollInterval is how often every source re-evaluates its globs and
	// checks its files, whatever inotify reports (default 250ms).
	PollInterval time.Duration
	// IdleFlush is how long a partial last line (no newline yet) or a held
	// multi-line record waits before it is emitted anyway (default 250ms).
	IdleFlush time.Duration
	// SaveInterval is how often positions are saved (default 5s).
	SaveInterval time.Duration
	// SaveAfterRecords and SaveAfterBytes save positions early, once the
	// records or bytes acknowledged since the last save reach them (default
	// 1000 records, 1 MiB; at most 5 saves a second): fewer
	// lines read again after a crash. Negative: only on the timer.
	SaveAfterRecords int
	SaveAfterBytes   int64
	// StartAtUnknown is where files start when the positions file (and its
	// previous copy) exists but cannot be used: StartModified (default)
	// reads the files modified after the positions file was last written
	// from their beginning and the others from their end; StartBeginning
	// reads all from the beginning, StartEnd none.
	StartAtUnknown string
	// AllowRoots are directories that a symlink matched by a glob may point
	// into, besides the directories of the source's globs (up to their first
	// wildcard). A symlink to anywhere else is not followed.
	AllowRoots []string
	// ReleaseAfter is how long a file that left its glob (rotated away or
	// deleted) stays open after it was read to its end without growing,
	// for writers that still have it open (default 5s). It counts from the
	// file's last data or from when it left its glob, whichever is later:
	// a writer gets that long after a rotation to reopen.
	ReleaseAfter time.Duration
	// Buffer is the capacity of the Records channel (default 1024).
	Buffer int
	// BufferBytes bounds the bytes of file that the records handed on and
	// not yet acknowledged were read from (default 32 MiB): reading waits
	// beyond it, so long lines cannot pile up in memory. A record gives
	// back its file span when acknowledged, whatever its text became.
	BufferBytes int64
	// Poll disables inotify (the hpcloud/tail file watches and the directory
	// watches): files are found and read by polling only.
	Poll bool
	// Stdin replaces os.Stdin as the reader of a "-" source.
	Stdin io.Reader

	// Test hooks, set by the package's tests only.

	// skipFinalSave simulates kill -9: Run does not save positions when it
	// stops and SavePositions does nothing, so only the periodic saves are
	// on disk.
	skipFinalSave bool
	// waker tells the runners when to poll (default: every PollInterval).
	waker pollWaker
}

// StartAtUnknown values.
const (
	StartModified  = "modified"
	StartBeginning = "beginning"
	StartEnd       = "end"
)

// Defaults.
const (
	DefaultSaveAfterRecords  = 1000
	DefaultSaveAfterBytes    = 1 << 20
	DefaultMaxFilesPerSource = 1000
	DefaultPollInterval      = 250 * time.Millisecond
	DefaultIdleFlush         = 250 * time.Millisecond
	DefaultSaveInterval      = 5 * time.Second
	DefaultReleaseAfter      = 5 * time.Second
	DefaultBuffer            = 1024
	DefaultBufferBytes       = 32 << 20
)

func (c *Config) setDefaults() {
	if c.MaxFilesPerSource <= 0 {
		c.MaxFilesPerSource = DefaultMaxFilesPerSource
	}
	if c.MaxLineBytes <= 0 {
		c.MaxLineBytes = record.DefaultMaxBytes
	}
	if c.PollInterval <= 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.IdleFlush <= 0 {
		c.IdleFlush = DefaultIdleFlush
	}
	if c.SaveInterval <= 0 {
		c.SaveInterval = DefaultSaveInterval
	}
	if c.SaveAfterRecords == 0 {
		c.SaveAfterRecords = DefaultSaveAfterRecords
	}
	if c.SaveAfterBytes == 0 {
		c.SaveAfterBytes = DefaultSaveAfterBytes
	}
	if c.StartAtUnknown == "" {
		c.StartAtUnknown = StartModified
	}
	if c.ReleaseAfter <= 0 {
		c.ReleaseAfter = DefaultReleaseAfter
	}
	if c.BufferBytes <= 0 {
		c.BufferBytes = DefaultBufferBytes
	}
	if c.Buffer <= 0 {
		c.Buffer = DefaultBuffer
	}
	if c.waker == nil {
		c.waker = timedWaker{c.PollInterval}
	}
}

// normalizeSources checks sources and returns copies with absolute, cleaned
// patterns.
func normalizeSources(in []Source) ([]Source, error) {
	out := make([]Source, 0, len(in))
	seen := map[string]bool{}
	stdin := ""
	var errs []error
	for i, s := range in {
		if s.Name == "" {
			errs = append(errs, fmt.Errorf("source %d: empty name", i))
			continue
		}
		if seen[s.Name] {
			errs = append(errs, fmt.Errorf("source %q: duplicate name", s.Name))
			continue
		}
		seen[s.Name] = true
		if len(s.Paths) == 0 {
			errs = append(errs, fmt.Errorf("source %q: no paths", s.Name))
			continue
		}
		n := Source{Name: s.Name, Multiline: s.Multiline, IgnoreOlder: s.IgnoreOlder}
		if slices.Contains(s.Paths, Stdin) {
			if len(s.Paths) != 1 {
				errs = append(errs, fmt.Errorf("source %q: %q (standard input) must be the source's only path", s.Name, Stdin))
				continue
			}
			if stdin != "" {
				errs = append(errs, fmt.Errorf("source %q: standard input is already read by source %q", s.Name, stdin))
				continue
			}
			stdin = s.Name
			n.Paths = []string{Stdin}
			out = append(out, n)
			continue
		}
		for _, p := range s.Paths {
			if p == "" {
				errs = append(errs, fmt.Errorf("source %q: empty path", s.Name))
				continue
			}
			if _, err := filepath.Match(p, ""); err != nil {
				errs = append(errs, fmt.Errorf("source %q: path %q: %w", s.Name, p, err))
				continue
			}
			abs, err := filepath.Abs(p)
			if err != nil {
				errs = append(errs, fmt.Errorf("source %q: path %q: %w", s.Name, p, err))
				continue
			}
			if !slices.Contains(n.Paths, abs) {
				n.Paths = append(n.Paths, abs)
			}
		}
		for _, p := range s.Exclude {
			if _, err := filepath.Match(p, ""); err != nil {
				errs = append(errs, fmt.Errorf("source %q: exclude %q: %w", s.Name, p, err))
				continue
			}
			if strings.Contains(p, "/") {
				p, _ = filepath.Abs(p)
			}
			n.Exclude = append(n.Exclude, p)
		}
		out = append(out, n)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// check reports what is wrong with the settings that have no default.
func (c *Config) check() error {
	var errs []error
	switch c.StartAtUnknown {
	case StartModified, StartBeginning, StartEnd:
	default:
		errs = append(errs, fmt.Errorf("start_at_unknown %q: want %s, %s or %s", c.StartAtUnknown, StartModified, StartBeginning, StartEnd))
	}
	roots := make([]string, 0, len(c.AllowRoots))
	for _, r := range c.AllowRoots {
		abs, err := filepath.Abs(r)
		if err != nil || r == "" {
			errs = append(errs, fmt.Errorf("allow_roots: %q is not a directory path", r))
			continue
		}
		roots = append(roots, abs)
	}
	c.AllowRoots = roots
	return errors.Join(errs...)
}

func samePaths(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
