package benchcorpus

import (
	"bytes"
	"testing"

	"github.com/wedadiag/wedadiag/catalog"
)

// The same options give the same bytes; the truth counts the error lines,
// at about the density asked, over about 40 entries.
func TestWriteDeterministicWithTruth(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []Options{{Shape: Mixed, Lines: 20000, ErrorsPerMille: 20}, {Shape: Success, Lines: 20000, ErrorsPerMille: 200}} {
		var a, b bytes.Buffer
		ta, err := Write(&a, cat, o)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Write(&b, cat, o); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatalf("%s: two writes differ", o.Name())
		}
		if n := bytes.Count(a.Bytes(), []byte("\n")); n != o.Lines {
			t.Fatalf("%s: %d lines, want %d", o.Name(), n, o.Lines)
		}
		want := o.Lines * o.ErrorsPerMille / 1000
		if got := ta.Errors(); got < want*8/10 || got > want*12/10 {
			t.Fatalf("%s: %d error lines, want about %d", o.Name(), got, want)
		}
		if len(ta.Codes) < 30 || len(ta.Counts) < 30 {
			t.Fatalf("%s: %d codes over %d entries, want about 40", o.Name(), len(ta.Codes), len(ta.Counts))
		}
	}
	if _, err := Write(&bytes.Buffer{}, cat, Options{Shape: "nope", Lines: 1}); err == nil {
		t.Fatal("an unknown shape was accepted")
	}
}
