package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// LoadFiles reads the rule files that paths name, in order: a plain path
// must exist; a path with glob characters names the files it matches, in
// name order, possibly none. The built-in files are not among them (see
// Builtin); later files override earlier rules by id when compiled.
func LoadFiles(paths []string) ([]File, error) {
	var out []File
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
			out = append(out, File{Name: n, Data: data})
		}
	}
	return out, nil
}
