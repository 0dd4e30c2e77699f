package rules

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/wedadiag/wedadiag/record"
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
		for _, r := range fromYAML {
			r.src = nil // the compiled form keeps no lines: it has no faults to place
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

// TestBuiltinCompilesOnFirstUse: the built-in rules, whose expressions compile on
// first use when taken from their compiled form, compile without a fault
// when compiled at once (from their YAML, under another name); both sets
// match every example alike.
func TestBuiltinCompilesOnFirstUse(t *testing.T) {
	var eagerFiles []File
	for _, f := range Builtin() {
		eagerFiles = append(eagerFiles, File{Name: "eager/" + f.Name, Data: f.Data})
	}
	eager, err := Compile(eagerFiles...)
	if err != nil {
		t.Fatal(err)
	}
	// compile, not Compile: Compile(Builtin()...) is the shared set of the
	// process, which another test may have built already.
	lazy, err := compile(Builtin())
	if err != nil {
		t.Fatal(err)
	}
	if lazy.pending == nil || len(lazy.rules) > 0 {
		t.Error("a set of built-in files only is built before its first use")
	}
	want := eager.Rules()
	for i := range want {
		want[i].File = strings.TrimPrefix(want[i].File, "eager/")
	}
	if !reflect.DeepEqual(lazy.Rules(), want) {
		t.Error("Rules of a set not yet built differ")
	}
	lazy.ready()
	if len(lazy.rules) != len(eager.rules) {
		t.Fatalf("%d rules built on first use, %d at once", len(lazy.rules), len(eager.rules))
	}
	deferred := 0
	for i, r := range lazy.rules {
		if r.deferred == nil {
			continue
		}
		deferred++
		if r.when != nil {
			t.Errorf("rule %s: compiled before its first use", r.id)
		}
		r.ready()
		e := eager.rules[i]
		// A built-in rule is all checks: its first use compiles no
		// program (expr's compilation is most of a first use's cost).
		if !r.runs || !e.runs || r.when != nil || r.mixed != nil || (r.check == nil) != (e.check == nil) {
			t.Errorf("rule %s: on first use runs=%v, program %v, check %v; at once runs=%v, check %v",
				r.id, r.runs, r.when != nil, r.check != nil, e.runs, e.check != nil)
		}
		for k := range r.yieldCheck {
			if (r.yieldCheck[k] == nil) != (e.yieldCheck[k] == nil) {
				t.Errorf("rule %s: yield %d compiled on first use differs from at once", r.id, k)
			}
		}
		r.readyPrograms()
		if (r.when == nil) != (e.when == nil) || r.yield[0] == nil != (e.yield[0] == nil) ||
			(r.yield[1] == nil) != (e.yield[1] == nil) || (r.yield[2] == nil) != (e.yield[2] == nil) {
			t.Errorf("rule %s: compiled on first use, its programs differ from those compiled at once", r.id)
		}
	}
	if deferred == 0 {
		t.Error("no built-in rule compiles on first use")
	}
	resolve := func(m Match) string { return m.ID + "|" + m.Code + "|" + m.Message + "|" + m.Question }
	a, b := Test(eager, resolve), Test(lazy, resolve)
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("%d example results at once, %d on first use", len(a), len(b))
	}
	for i := range a {
		if !reflect.DeepEqual(a[i].Got, b[i].Got) || a[i].Err != nil || b[i].Err != nil {
			t.Errorf("rule %s example at line %d: %v (%v) at once, %v (%v) on first use", a[i].Rule, a[i].Line, a[i].Got, a[i].Err, b[i].Got, b[i].Err)
		}
	}
}

// TestDeferredBuildConcurrent: goroutines that start matching a set built
// on first use at once build it once and see it whole (run with -race).
func TestDeferredBuildConcurrent(t *testing.T) {
	s, err := Compile(Builtin()...)
	if err != nil {
		t.Fatal(err)
	}
	var inputs []string
	for _, r := range s.pending.specs {
		for _, ex := range r.examples {
			if ex.Want != "" {
				inputs = append(inputs, ex.Input)
			}
		}
	}
	if len(inputs) == 0 {
		t.Fatal("no examples")
	}
	counts := make([]int, 4)
	var wg sync.WaitGroup
	for g := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := s.NewMatcher()
			for i, in := range inputs {
				if i%8 == 7 {
					// A new Matcher while other goroutines compile rules
					// on first use (NewMatcher reads rules too).
					m = s.NewMatcher()
				}
				rec := record.Record{Source: "t", Text: []byte(in), Lines: 1, End: int64(len(in))}
				counts[g] += len(m.Match(&rec).Matches)
			}
		}()
	}
	wg.Wait()
	for g := range counts {
		if counts[g] == 0 || counts[g] != counts[0] {
			t.Fatalf("matches per goroutine: %v", counts)
		}
	}
}

// buildAll builds s and compiles every rule's expressions now, what a set
// of built-in files defers to first use, for tests that read them.
func buildAll(s *Set) {
	s.ready()
	for _, r := range s.rules {
		r.readyPrograms()
	}
}

// The built-in files, as Builtin gives them or with the same bytes, compile
// to the one set of the process; other files, or the same bytes under
// other names, to a set of their own.
func TestBuiltinCompilesToTheDefaultSet(t *testing.T) {
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, files := range [][]File{Builtin(), Builtin()} {
		if s, err := Compile(files...); err != nil || s != def {
			t.Fatalf("Compile(Builtin()...): %v, the default set %v", err, s == def)
		}
	}
	var renamed []File
	for _, f := range Builtin() {
		renamed = append(renamed, File{Name: "other/" + f.Name, Data: f.Data})
	}
	if s, err := Compile(renamed...); err != nil || s == def {
		t.Fatalf("renamed files: %v, the default set %v", err, s == def)
	}
	if s, err := Compile(Builtin()[:1]...); err != nil || s == def {
		t.Fatalf("one built-in file: %v, the default set %v", err, s == def)
	}
}
