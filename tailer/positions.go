package tailer

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/wedadiag/wedadiag/internal/fsutil"
)

// PositionsFile is the name of the positions file in the state directory.
const PositionsFile = "positions.json"

// positionsVersion is the format version written to positions.json.
const positionsVersion = 1

// carryFor is how long positions of a source that is no longer configured
// are kept, so that a source removed by mistake and put back resumes.
const carryFor = 7 * 24 * time.Hour

// posEntry is the persisted position of one stream: the file's identity
// (device, inode and a fingerprint of its first bytes), where it was last
// seen, and the offset up to which its records were processed.
type posEntry struct {
	Source string `json:"source"`
	Path   string `json:"path"`
	Dev    uint64 `json:"dev"`
	Ino    uint64 `json:"ino"`
	// FP is the hex SHA-256 of the file's first FPLen bytes.
	FP     string `json:"fp"`
	FPLen  int    `json:"fp_len"`
	Offset int64  `json:"offset"`
	// Updated is when the entry was last written (Unix seconds); entries of
	// sources no longer configured are dropped after carryFor.
	Updated int64 `json:"updated"`
}

// posSource is what is remembered of a source: its globs. A source whose
// globs changed (or that is new) starts as at a first start.
type posSource struct {
	Paths   []string `json:"paths"`
	Updated int64    `json:"updated"`
}

type posFile struct {
	Version int                  `json:"version"`
	Sources map[string]posSource `json:"sources"`
	Files   []posEntry           `json:"files"`
}

// loadPositions reads the positions file in dir. A missing file is an empty
// state (first start). A file that cannot be parsed is moved aside and
// reported, and the state is empty: the daemon still starts.
func loadPositions(dir string) (posFile, error) {
	pf := posFile{Version: positionsVersion, Sources: map[string]posSource{}}
	if dir == "" {
		return pf, nil
	}
	name := filepath.Join(dir, PositionsFile)
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return pf, nil
	}
	if err != nil {
		return pf, fmt.Errorf("read positions: %w", err)
	}
	var got posFile
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&got); err != nil || got.Version != positionsVersion {
		if err == nil {
			err = fmt.Errorf("unknown version %d", got.Version)
		}
		bad := name + ".bad"
		_ = os.Rename(name, bad)
		return pf, &corruptError{fmt.Errorf("positions file %s unusable (moved to %s): %w", name, bad, err)}
	}
	if got.Sources == nil {
		got.Sources = map[string]posSource{}
	}
	return got, nil
}

// corruptError is a positions file that could not be parsed: reported, not
// fatal.
type corruptError struct{ err error }

func (e *corruptError) Error() string { return e.err.Error() }
func (e *corruptError) Unwrap() error { return e.err }

// savePositions writes pf atomically: a temporary file in dir, fsync,
// rename over positions.json, fsync of the directory.
func savePositions(dir string, pf posFile) error {
	slices.SortFunc(pf.Files, func(a, b posEntry) int {
		if c := compareStrings(a.Source, b.Source); c != 0 {
			return c
		}
		if c := compareStrings(a.Path, b.Path); c != 0 {
			return c
		}
		return cmp.Compare(a.Offset, b.Offset)
	})
	data, err := json.MarshalIndent(pf, "", " ")
	if err != nil {
		return err
	}
	return fsutil.WriteAtomic(filepath.Join(dir, PositionsFile), append(data, '\n'), 0o600)
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
