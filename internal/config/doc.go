// Package config owns wedadiag's configuration: one typed Config, read
// through viper from the embedded defaults (package configs), a user YAML
// file, WEDADIAG_* environment variables and flags, in that order, and
// validated in one place. Faults name the file, the key path and its line.
//
// Only cmd/wedadiag and internal/daemon use it; the packages that do the
// work get plain values.
package config
