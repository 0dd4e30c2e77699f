package yamlpos

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

type inner struct {
	Every time.Duration `yaml:"every"`
	N     int           `yaml:"n"`
}

type doc struct {
	Name  string            `yaml:"name"`
	On    bool              `yaml:"on"`
	Items []inner           `yaml:"items"`
	Tags  map[string]string `yaml:"tags"`
	Skip  string            `yaml:"-"`
}

func TestCheck(t *testing.T) {
	src := "name: x\non: perhaps\nitems:\n  - every: 5s\n    n: 3\n  - every: 5 minutes\n    m: 1\ntags: {a: b}\n"
	root, err := Parse("f.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	pos, faults := Check("f.yaml", root, reflect.TypeOf(doc{}), "yaml")
	want := `f.yaml:2:5: on: "perhaps": want true or false
f.yaml:6:12: items[1].every: "5 minutes": want a duration such as 30s
f.yaml:7:5: unknown key "items[1].m" (known here: every, n)`
	if got := faults.Error(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// A fault found later is placed at its key, or the nearest parent.
	if got := pos.Locate(Fault{Key: "items[0].n", Msg: "too big"}).Error(); got != "f.yaml:5:5: items[0].n: too big" {
		t.Errorf("Locate: %s", got)
	}
	if got := pos.Locate(Fault{Key: "tags.c", Msg: "no"}).Error(); got != "f.yaml:8:1: tags.c: no" {
		t.Errorf("Locate parent: %s", got)
	}
	if !pos.Has("tags.a") || pos.Has("skip") {
		t.Error("Has")
	}
	var nilPos *Positions
	if got := nilPos.Locate(Fault{Key: "a", Msg: "b"}).Error(); got != "a: b" {
		t.Errorf("nil Positions: %s", got)
	}
}

func TestShapes(t *testing.T) {
	root, err := Parse("f.yaml", []byte("name: [a]\nitems: {every: 1s}\ntags: [x]\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, faults := Check("f.yaml", root, reflect.TypeOf(doc{}), "yaml")
	want := "f.yaml:2:8: items: want a list, not a mapping\nf.yaml:3:7: tags: want a mapping, not a list"
	// A list for a string: string fields take any scalar, not a list.
	want = "f.yaml:1:7: name: want a string, not a list\n" + want
	if got := faults.Error(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestParseSyntaxError(t *testing.T) {
	_, err := Parse("f.yaml", []byte("a: [\n"))
	var fs Faults
	if !errors.As(err, &fs) || len(fs) != 1 || fs[0].Line == 0 || fs[0].File != "f.yaml" {
		t.Fatalf("got %#v", err)
	}
	if root, err := Parse("f.yaml", nil); root != nil || err != nil {
		t.Errorf("empty document: %v %v", root, err)
	}
}

func TestFaultsErr(t *testing.T) {
	var fs Faults
	if fs.Err() != nil {
		t.Error("no faults is not nil")
	}
	fs.Add("a.b", "bad %d", 1)
	if fs.Err() == nil || fs.Error() != "a.b: bad 1" {
		t.Errorf("got %v", fs.Err())
	}
}

func TestDurationWithoutUnit(t *testing.T) {
	d := reflect.TypeOf(time.Duration(0))
	for in, want := range map[string]string{
		"300": "300 has no unit: write 300s or 5m", "60": "60 has no unit: write 60s or 1m",
		"7200": "7200 has no unit: write 7200s or 2h", "0.5": "0.5 has no unit: write 0.5s or 500ms",
		"45": "45 has no unit: write 45s",
	} {
		if err := CheckScalar(d, in); err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %q", in, err, want)
		}
	}
	for _, ok := range []string{"0", "300s", "5m", "1h30m"} {
		if err := CheckScalar(d, ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}
