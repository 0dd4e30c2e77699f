package rules

import (
	"bytes"
	"os"
	"reflect"
	"testing"
)

// TestBuiltinGoIsCurrent is the drift test of builtin_gen.go: the YAML
// under builtin/ is the source, the Go values what the generator makes of
// it now.
func TestBuiltinGoIsCurrent(t *testing.T) {
	want, err := BuiltinGoSource()
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile("builtin_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, want) {
		t.Errorf("builtin_gen.go differs from what builtin/*.yaml decodes to; run: go generate ./rules")
	}
}

// TestPrecompiledEqualsYAML: every built-in file is taken from its
// compiled form, which holds what decoding its YAML gives; a file that
// differs from the embedded one by a byte is decoded from its YAML.
func TestPrecompiledEqualsYAML(t *testing.T) {
	files := Builtin()
	if len(files) == 0 || len(compiledBuiltin) != len(files) {
		t.Fatalf("%d built-in files, %d compiled (built with -tags yamlsource?)", len(files), len(compiledBuiltin))
	}
	for _, f := range files {
		c := precompiled(f)
		if c == nil {
			t.Fatalf("%s: not taken from its compiled form", f.Name)
		}
		if f.HasEntries() {
			t.Errorf("%s: HasEntries, want false for a built-in file", f.Name)
		}
		var faults Faults
		fromYAML := decodeYAML(f, &faults)
		if len(faults) > 0 {
			t.Fatal(faults)
		}
		if !reflect.DeepEqual(c.specs, fromYAML) {
			t.Errorf("%s: compiled rules differ from the YAML's", f.Name)
		}
		edited := File{Name: f.Name, Data: append(bytes.Clone(f.Data), '\n')}
		if precompiled(edited) != nil || !edited.HasEntries() {
			t.Errorf("%s edited: still taken from the compiled form", f.Name)
		}
	}
}
