package rules

import "testing"

// TestFieldMap: a set whose expressions never name Fields has its parser
// skip the map (Event.Field still reads every field); a rule that names
// Fields reads it, in its condition and its yield.
func TestFieldMap(t *testing.T) {
	line := `{"level":"error","code":"UserError.DsNotFound","k":"v","data":{"id":"7"}}`
	lean, err := Compile(File{Name: "a.yaml", Data: []byte("rules:\n  - id: a\n    when: 'has(\"UserError.DsNotFound\") && Code == \"UserError.DsNotFound\"'\n    yield: {id: x/y}\n")})
	if err != nil {
		t.Fatal(err)
	}
	if lean.namesFields() {
		t.Error("a set without Fields says it names it")
	}
	res := lean.NewMatcher().Match(rec(line))
	if res.Event == nil || res.Event.Fields != nil || res.Event.Field("data.id") != "7" || len(res.Matches) != 1 {
		t.Fatalf("lean set: %+v", res)
	}
	full, err := Compile(File{Name: "b.yaml", Data: []byte("rules:\n  - id: b\n    when: 'has(\"UserError.DsNotFound\") && Fields[\"k\"] == \"v\"'\n    yield: {code: 'Fields[\"data.id\"]'}\n")})
	if err != nil {
		t.Fatal(err)
	}
	if !full.namesFields() {
		t.Error("a set with Fields says it does not name it")
	}
	res = full.NewMatcher().Match(rec(line))
	if res.Event == nil || res.Event.Fields["k"] != "v" || len(res.Matches) != 1 || res.Matches[0].Code != "7" {
		t.Fatalf("set naming Fields: %+v", res)
	}
}
