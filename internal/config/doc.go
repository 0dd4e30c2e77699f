// Package config owns wedadiag's configuration: one typed Config, read
// through viper from the embedded defaults (package configs), a user YAML
// file, WEDADIAG_* environment variables and flags, in that order, and
// validated in one place. configs/default.yaml is the one table of
// defaults: tests hold the `run` flags' defaults (AddFlags), every package's
// own defaults and the example configuration to it.
// Faults (internal/yamlpos) name the file, line, column and key path, or
// the variable or flag that set a bad value.
//
// It imports configs, notify, parse and internal/yamlpos. Only cmd/wedadiag
// and internal/daemon use it; the packages that do the work get plain
// values.
package config
