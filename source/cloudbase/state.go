package cloudbase

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wedadiag/wedadiag/internal/fsutil"
)

const stateVersion = 1

// stateFile is what a source persists: the mark (every record before it
// was read and acknowledged), the keys of acknowledged records from
// mark-overlap on (so a restart re-reading the overlap hands on only what
// was not acknowledged) and the next record sequence number.
type stateFile struct {
	Version int          `json:"version"`
	EnvID   string       `json:"env_id"`
	Mark    time.Time    `json:"mark"`
	NextSeq int64        `json:"next_seq"`
	Acked   []ackedEntry `json:"acked"`
}

type ackedEntry struct {
	Key  uint64 `json:"k"`
	Time int64  `json:"t"` // Unix milliseconds (the bookkeeping time)
}

// statePath is the state file of a source: one file per source name, with
// anything unsafe in a file name replaced.
func statePath(dir, name string) string {
	var b strings.Builder
	for _, r := range name {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.String() != name {
		fmt.Fprintf(&b, "-%08x", uint32(fnv64(name)))
	}
	return filepath.Join(dir, "cloudbase-"+b.String()+".json")
}

// errCorrupt marks a state file that exists but cannot be used.
var errCorrupt = errors.New("state file is corrupt")

// loadState reads path; a missing file is no state (nil, nil).
func loadState(path string) (*stateFile, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var st stateFile
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", errCorrupt, path, err)
	}
	if st.Version != stateVersion {
		return nil, fmt.Errorf("%w: %s: version %d, want %d", errCorrupt, path, st.Version, stateVersion)
	}
	return &st, nil
}

// saveState writes st atomically (fsutil.WriteAtomic).
func saveState(path string, st *stateFile) error {
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return fsutil.WriteAtomic(path, data, 0o600)
}
