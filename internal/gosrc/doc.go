// Package gosrc owns writing Go values as Go source: Write renders a value
// (strings, numbers, bools, slices, arrays, sorted maps, pointers, structs
// with their unexported fields) as a composite literal of the package that
// declares its type, so a generator can compile data (the catalog, the
// built-in rules) into Go values the linker lays out and start-up never
// decodes. It hands on bytes; catalog and rules use it in their
// generators, not at run time. It imports only the standard library.
package gosrc
