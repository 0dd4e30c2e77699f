package tailer

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
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

// loaded is what loadPositions found besides the positions.
type loaded struct {
	// bad are the positions files that could not be used, with why; each
	// was moved aside to NAME.bad.
	bad []error
	// usedPrev: positions.json was unusable and the previous good file
	// (positions.json.prev) was used instead.
	usedPrev bool
	// lost: no usable positions file although one existed; lostAt is when
	// it was last written (zero if unknown).
	lost   bool
	lostAt time.Time
}

// loadPositions reads the positions file in dir. A missing file is an
// empty state (first start). An unusable one (unreadable, empty, cut short,
// not JSON, unknown version) is moved aside and the previous good file
// (.prev, which every save keeps) is used instead; when that is unusable
// too, the state is empty and lost is set. It never fails: the daemon
// starts whatever the state directory holds.
func loadPositions(dir string) (posFile, loaded) {
	empty := posFile{Version: positionsVersion, Sources: map[string]posSource{}}
	var ld loaded
	if dir == "" {
		return empty, ld
	}
	name := filepath.Join(dir, PositionsFile)
	if _, err := os.Stat(name); err != nil {
		// None there, or the state directory itself is unusable (that is
		// reported on its own): a first start.
		return empty, ld
	}
	pf, err := readPositions(name)
	if err == nil {
		return pf, ld
	}
	if fi, serr := os.Stat(name); serr == nil {
		ld.lostAt = fi.ModTime()
	}
	bad := name + ".bad"
	_ = os.Rename(name, bad)
	ld.bad = append(ld.bad, fmt.Errorf("positions file %s unusable (moved to %s): %w", name, bad, err))
	prev := name + ".prev"
	pf, err = readPositions(prev)
	if err == nil {
		ld.usedPrev = true
		return pf, ld
	}
	if _, serr := os.Stat(prev); serr == nil {
		_ = os.Rename(prev, prev+".bad")
		ld.bad = append(ld.bad, fmt.Errorf("previous positions file %s unusable (moved to %s.bad): %w", prev, prev, err))
	}
	ld.lost = true
	return empty, ld
}

// readPositions reads and checks one positions file.
func readPositions(name string) (posFile, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return posFile{}, err
	}
	var got posFile
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&got); err != nil {
		return posFile{}, err
	}
	if got.Version != positionsVersion {
		return posFile{}, fmt.Errorf("unknown version %d", got.Version)
	}
	if got.Sources == nil {
		got.Sources = map[string]posSource{}
	}
	return got, nil
}

// savePositions writes pf atomically: a temporary file in dir, fsync; the
// current positions.json, a good one, becomes positions.json.prev (a hard
// link renamed into place, so that positions.json always exists); rename
// over positions.json, fsync of the directory.
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
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// Keep the last good file as .prev (a hard link renamed into place), so
	// a positions file damaged later can fall back to it.
	name := filepath.Join(dir, PositionsFile)
	prevTmp := name + ".prev.tmp"
	_ = os.Remove(prevTmp)
	if os.Link(name, prevTmp) == nil {
		_ = os.Rename(prevTmp, name+".prev")
	}
	return fsutil.WriteAtomic(name, append(data, '\n'), 0o600)
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
