package configs

import _ "embed"

// DefaultYAML is the embedded default configuration: the base that a user
// file, WEDADIAG_* variables and flags are merged onto.
//
//go:embed default.yaml
var DefaultYAML []byte
