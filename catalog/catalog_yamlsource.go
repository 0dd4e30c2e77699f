//go:build yamlsource

package catalog

// Built with -tags yamlsource, the binary has no compiled catalog and
// Default reads data/*.yaml: how `go generate` rebuilds catalog_gen.go
// when the file no longer compiles (a field of Entry renamed).
var (
	compiledEntries []Entry
	compiledGeneric []genericCode
)
