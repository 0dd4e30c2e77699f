//go:build yamlsource

package rules

// Built with -tags yamlsource, the binary has no compiled built-in rules
// and Compile parses builtin/*.yaml: how `go generate` rebuilds
// builtin_gen.go when the file no longer compiles (a field of ruleSpec
// renamed).
var compiledBuiltin []compiledFile
