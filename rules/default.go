package rules

import "sync"

// Default returns the set of the built-in rules alone, compiled once per
// process and shared: what a scan or a daemon without rule files of its own
// matches with. It is Compile(Builtin()...), the same rules in the same
// order.
func Default() (*Set, error) { return defaultSet() }

var defaultSet = sync.OnceValues(func() (*Set, error) { return Compile(Builtin()...) })

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
