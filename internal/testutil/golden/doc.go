// Package golden compares a test's output with a file under testdata/ and,
// under the test binary's -update flag, rewrites the file instead. It is
// imported by tests only, and imports nothing but the standard library, so
// that a package's tests (and their fuzz builds) link nothing more.
package golden
