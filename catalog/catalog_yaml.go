//go:build catalog_yaml

package catalog

// Built with -tags catalog_yaml, the binary has no compiled catalog and
// Default reads data/*.yaml: how `go generate` rebuilds catalog_gen.go
// when the file no longer compiles (a field of Entry renamed).
var (
	compiledEntries []Entry
	compiledGeneric []genericCode
)
