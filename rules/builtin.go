package rules

import (
	_ "embed" // the built-in rule files
	"slices"
)

// The built-in rule files, each embedded as a []byte that stays where the
// linker put it: an embed.FS would copy every file to the heap on its
// first read (128 KB, 32 fresh pages at each start). builtinNames lists
// them in name order; TestBuiltinListsEveryFile keeps it equal to
// builtin/*.yaml.
var (
	//go:embed builtin/catalog.yaml
	builtinCatalog []byte
	//go:embed builtin/handwritten.yaml
	builtinHandwritten []byte
)

var builtinNames = []string{"builtin/catalog.yaml", "builtin/handwritten.yaml"}

// Builtin returns the embedded rule files (rules/builtin/*.yaml) in name
// order, named "builtin/<file>". Their bytes are shared by every call: they
// must not be changed.
func Builtin() []File { return slices.Clone(builtinFiles()) }

func builtinFiles() []File {
	return []File{
		{Name: builtinNames[0], Data: builtinCatalog},
		{Name: builtinNames[1], Data: builtinHandwritten},
	}
}
