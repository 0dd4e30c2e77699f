package diagnose

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wedadiag/wedadiag/internal/fsutil"
)

// UnmatchedFile is the file in the state directory that holds the daemon's
// unmatched templates, for `wedadiag rules suggest --from-state` and the
// next start.
const UnmatchedFile = "unmatched.json"

// maxStateBytes bounds a live-state file read back at start.
const maxStateBytes = 16 << 20

// unmatchedState is UnmatchedFile's content.
type unmatchedState struct {
	Version   int         `json:"version"`
	Unmatched []Unmatched `json:"unmatched"`
}

// SaveUnmatched writes the top templates to dir atomically (a temporary
// file renamed over the old one).
func SaveUnmatched(dir string, us []Unmatched) error {
	return writeJSONFile(dir, UnmatchedFile, unmatchedState{Version: 1, Unmatched: us})
}

// LoadUnmatched reads the templates SaveUnmatched wrote; a missing file is
// none, a file that is not one is an error naming it.
func LoadUnmatched(dir string) ([]Unmatched, error) {
	var st unmatchedState
	if err := readJSONFile(dir, UnmatchedFile, &st); err != nil {
		return nil, err
	}
	return st.Unmatched, nil
}

// Restore counts templates read back from a state file, as if their
// records had been seen again (their samples kept).
func (u *Unknowns) Restore(us []Unmatched) {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, x := range us {
		if x.Template == "" || x.Count <= 0 {
			continue
		}
		if x.Template == overflowTemplate {
			u.other.Count += x.Count
			continue
		}
		if len(u.m) >= maxTemplates-1 {
			u.other.Count += x.Count
			continue
		}
		g := u.m[x.Template]
		if g == nil {
			g = &unknown{Unmatched: Unmatched{Template: x.Template, Sample: x.Sample, Message: x.Message}, seq: -1}
			g.elem = u.lru.PushBack(g)
			u.m[x.Template] = g
		}
		g.Count += x.Count
	}
}

func writeJSONFile(dir, name string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := fsutil.WriteAtomic(filepath.Join(dir, name), data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Join(dir, name), err)
	}
	return nil
}

// ErrNoState is returned when a state file does not exist.
var ErrNoState = errors.New("no state file")

func readJSONFile(dir, name string, v any) error {
	path := filepath.Join(dir, name)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", path, ErrNoState)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxStateBytes+1))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > maxStateBytes {
		return fmt.Errorf("%s: more than the %d bytes a state file holds", path, maxStateBytes)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: not a wedadiag state file: %w", path, err)
	}
	return nil
}
