package notify

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/wedadiag/wedadiag/internal/fsutil"
	"github.com/wedadiag/wedadiag/internal/textutil"
	"github.com/wedadiag/wedadiag/redact"
)

// StateFile is the name of the alert state file in the state directory.
const StateFile = "alerts.json"

// stateFile is the JSON form of alerts.json.
type stateFile struct {
	Version int          `json:"version"`
	SavedAt time.Time    `json:"saved_at"`
	Alerts  []savedAlert `json:"alerts"`
	// Lost names the receivers that missed messages: they get every firing
	// alert again once they answer.
	Lost []string `json:"lost,omitempty"`
}

type savedAlert struct {
	ID     string `json:"id"`
	Source string `json:"source"`
	Sample string `json:"sample,omitempty"`
	State
}

const stateVersion = 1

// maxStateBytes bounds alerts.json: one alert per catalog entry and source,
// each with a sample of at most redact.DefaultLimit bytes, fits well below
// it. A larger file is not read (it would cost its size in memory at start).
const maxStateBytes = 16 << 20

// errStateTooLarge is the error of a state file over maxStateBytes.
var errStateTooLarge = errors.New("larger than the limit")

// readState reads alerts.json from dir; a missing file is an empty state.
// Samples are cut to redact.DefaultLimit whatever the file holds.
func readState(dir string) (*stateFile, error) {
	path := filepath.Join(dir, StateFile)
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return &stateFile{Version: stateVersion}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxStateBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > maxStateBytes {
		return nil, fmt.Errorf("%s: %w of %d bytes", path, errStateTooLarge, maxStateBytes)
	}
	var sf stateFile
	if err := json.Unmarshal(data, &sf); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, StateFile), err)
	}
	if sf.Version != stateVersion {
		return nil, fmt.Errorf("%s: version %d, want %d", filepath.Join(dir, StateFile), sf.Version, stateVersion)
	}
	for i := range sf.Alerts {
		sf.Alerts[i].Sample = textutil.Cut(sf.Alerts[i].Sample, redact.DefaultLimit)
	}
	return &sf, nil
}

// writeState writes alerts.json atomically (fsutil.WriteAtomic).
func writeState(dir string, sf *stateFile) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	data, err := json.MarshalIndent(sf, "", "  ")
	if err != nil {
		return err
	}
	return fsutil.WriteAtomic(filepath.Join(dir, StateFile), append(data, '\n'), 0o600)
}
