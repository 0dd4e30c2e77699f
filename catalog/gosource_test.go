package catalog

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// TestGeneratedIsCurrent is the drift test of catalog_gen.go: the YAML
// under data/ is the source, the Go values a build product that must be
// what the generator makes of it now.
func TestGeneratedIsCurrent(t *testing.T) {
	want, err := goSource(os.DirFS("data"))
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile("catalog_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, want) {
		t.Errorf("catalog_gen.go differs from what data/*.yaml compiles to; run: go generate ./catalog")
	}
	embedded, err := GoSource()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(embedded, want) {
		t.Errorf("GoSource (the embedded YAML) differs from data/*.yaml")
	}
}

// TestCompiledEqualsYAML: the catalog Default builds from the compiled
// values is the one Load makes of the YAML, entry for entry and in every
// lookup.
func TestCompiledEqualsYAML(t *testing.T) {
	fromYAML, err := Load(os.DirFS("data"))
	if err != nil {
		t.Fatal(err)
	}
	compiled, err := fromCompiled(compiledEntries, compiledGeneric)
	if err != nil {
		t.Fatal(err)
	}
	if len(compiledEntries) == 0 {
		t.Fatal("no compiled entries (built with -tags yamlsource?)")
	}
	for _, c := range []*Catalog{compiled, mustDefault(t)} {
		if len(c.entries) != len(fromYAML.entries) {
			t.Fatalf("%d entries, YAML has %d", len(c.entries), len(fromYAML.entries))
		}
		for i, e := range c.entries {
			if !reflect.DeepEqual(e, fromYAML.entries[i]) {
				t.Errorf("entry %d %s differs from the YAML's:\n%+v\n%+v", i, e.ID, *e, *fromYAML.entries[i])
			}
		}
		ids := func(m map[string][]*Entry) map[string][]string {
			out := map[string][]string{}
			for k, es := range m {
				for _, e := range es {
					out[k] = append(out[k], e.ID)
				}
			}
			return out
		}
		one := func(m map[string]*Entry) map[string]string {
			out := map[string]string{}
			for k, e := range m {
				out[k] = e.ID
			}
			return out
		}
		for _, d := range []struct {
			name       string
			have, want any
		}{
			{"byCode", ids(c.t().byCode), ids(fromYAML.t().byCode)},
			{"byID", one(c.byID), one(fromYAML.byID)},
			{"codes", c.t().codes, fromYAML.t().codes},
			{"generic", c.t().generic, fromYAML.t().generic},
			{"genericID", c.t().genericID, fromYAML.t().genericID},
			{"genericRow", one(c.t().genericRow), one(fromYAML.t().genericRow)},
		} {
			if !reflect.DeepEqual(d.have, d.want) {
				t.Errorf("%s differs from the YAML's", d.name)
			}
		}
		if c.TextIndex() == nil || len(c.TextIndex().postings) != len(fromYAML.TextIndex().postings) {
			t.Errorf("text index differs from the YAML's")
		}
	}
}

// TestGoSourceReportsFaults: the generator refuses a catalog Load refuses,
// with the fault at its file:line:col.
func TestGoSourceReportsFaults(t *testing.T) {
	bad, err := os.ReadFile("testdata/bad/unknown-key.yaml")
	if err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile("data/errors-apis.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = goSource(fstest.MapFS{"errors-apis.yaml": {Data: good}, "errors-bad.yaml": {Data: bad}})
	if err == nil || !strings.Contains(err.Error(), `errors-bad.yaml:5:3: unknown key "mesage"`) {
		t.Errorf("goSource of a bad catalog: %v", err)
	}
}

// TestCompiledTablesOnFirstUse: the built-in catalog builds its code
// tables on first use, once, whichever goroutines ask first (run with
// -race), and each then sees them whole.
func TestCompiledTablesOnFirstUse(t *testing.T) {
	c, err := fromCompiled(compiledEntries, compiledGeneric)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.tabs.byCode) != 0 || len(c.tabs.codes) != 0 {
		t.Fatal("code tables built before their first use")
	}
	want := len(mustDefault(t).Codes())
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Go(func() {
			if n := len(c.Codes()); n != want {
				t.Errorf("%d codes, want %d", n, want)
			}
			if len(c.ByCode("-501001")) == 0 || !c.IsGeneric("FailedOperation") {
				t.Error("lookups by code fail on first use")
			}
		})
	}
	wg.Wait()
}

// BenchmarkDefaultCompiled is what Default costs once per process: the
// catalog made from the compiled values with its code tables (built on
// first use; the text index is left for its own first use).
func BenchmarkDefaultCompiled(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		c, err := fromCompiled(compiledEntries, compiledGeneric)
		if err != nil {
			b.Fatal(err)
		}
		c.t()
	}
}
