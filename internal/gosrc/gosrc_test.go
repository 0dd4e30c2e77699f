package gosrc

import (
	"bytes"
	"go/format"
	"reflect"
	"testing"
)

type inner struct {
	s    string
	n    int
	f    float64
	tags []string
}

type outer struct {
	Name   string
	On     bool
	Inners []inner
	Ptrs   []*inner
	P      *inner
	Nil    *inner
	M      map[string]string
	A      [2]int
	Empty  []string
	u      uint8
}

func TestWrite(t *testing.T) {
	v := outer{Name: "a\"b\n", On: true, Inners: []inner{{s: "x", n: -1, f: 0.5, tags: []string{"t"}}},
		Ptrs: []*inner{{s: "y"}}, P: &inner{n: 2}, M: map[string]string{"b": "2", "a": "1"}, A: [2]int{1, 2},
		Empty: []string{}, u: 7}
	var b bytes.Buffer
	if err := Write(&b, reflect.ValueOf(v), "gosrc"); err != nil {
		t.Fatal(err)
	}
	got, err := format.Source([]byte("package gosrc\nvar x = " + b.String() + "\n"))
	if err != nil {
		t.Fatalf("not Go: %v\n%s", err, b.String())
	}
	want := `package gosrc

var x = outer{
	Name: "a\"b\n",
	On:   true,
	Inners: []inner{{
		s:    "x",
		n:    -1,
		f:    0.5,
		tags: []string{"t"},
	}},
	Ptrs: []*inner{{
		s: "y",
	}},
	P: &inner{
		n: 2,
	},
	M: map[string]string{
		"a": "1",
		"b": "2",
	},
	A:     [2]int{1, 2},
	Empty: []string{},
	u:     7,
}
`
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if err := Write(&b, reflect.ValueOf(struct{ F func() }{F: func() {}}), "gosrc"); err == nil {
		t.Error("a func field written")
	}
}
