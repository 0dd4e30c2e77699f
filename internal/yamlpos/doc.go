// Package yamlpos owns how wedadiag reports faults in YAML input by
// position. Fault and Faults carry a key path (alerts.receivers[1].url),
// a message and, where the input has one, file:line:col. Check walks a
// yaml.v3 node tree against a Go type (fields named by a struct tag such as
// mapstructure or yaml), records where every key is set and reports unknown
// keys, wrong shapes and scalars that do not parse as the field's type, all
// of them, each with its position. Positions.Locate gives faults found later
// (by validation of decoded values) the position of the key they name.
//
// internal/config and notify use it; it imports only the standard library
// and gopkg.in/yaml.v3.
package yamlpos
