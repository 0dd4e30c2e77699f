package rules

import (
	"embed"
	"io/fs"
	"path"
)

//go:embed builtin/*.yaml
var builtinFS embed.FS

// Builtin returns the embedded rule files (rules/builtin/*.yaml) in name
// order, named "builtin/<file>".
func Builtin() []File {
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
}
