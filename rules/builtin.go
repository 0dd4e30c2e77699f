package rules

import (
	"embed"
	"io/fs"
	"path"
	"slices"
	"sync"
)

//go:embed builtin/*.yaml
var builtinFS embed.FS

// Builtin returns the embedded rule files (rules/builtin/*.yaml) in name
// order, named "builtin/<file>". Their bytes are read once and shared by
// every call: they must not be changed.
func Builtin() []File { return slices.Clone(builtinFiles()) }

var builtinFiles = sync.OnceValue(func() []File {
	entries, err := fs.ReadDir(builtinFS, "builtin")
	if err != nil {
		return nil // unreachable: the directory is embedded
	}
	var out []File
	for _, e := range entries {
		name := path.Join("builtin", e.Name())
		data, err := builtinFS.ReadFile(name)
		if err != nil {
			continue
		}
		out = append(out, File{Name: name, Data: data})
	}
	return out
})
