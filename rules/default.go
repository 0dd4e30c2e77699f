package rules

import "sync"

// Default returns the set of the built-in rules alone, compiled once per
// process and shared (Compile(Builtin()...) returns it too): what a scan or
// a daemon without rule files of its own matches with. A Set is not changed
// once built, so every Matcher may share it.
func Default() (*Set, error) { return defaultSet() }

var defaultSet = sync.OnceValues(func() (*Set, error) { return compile(builtinFiles()) })

// isBuiltin reports whether files are the built-in files, in order, as
// Builtin gives them (precompiled, not a copy changed since).
func isBuiltin(files []File) bool {
	names := builtinNames
	if len(files) != len(names) {
		return false
	}
	for i, f := range files {
		if f.Name != names[i] || precompiled(f) == nil {
			return false
		}
	}
	return true
}

// Warm builds Default's set in the background, so that the first Matcher
// of a process that starts up by other work meanwhile (package
// initialisation, flags, opening files) finds it built. A program calls it
// at most once, early; nothing waits for it, and NewMatcher waits for the
// build when it comes first.
func Warm() {
	go func() {
		if s, err := Default(); err == nil {
			s.ready()
		}
	}()
}
