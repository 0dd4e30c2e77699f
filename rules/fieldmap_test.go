package rules

import "testing"

// TestFieldMap: a set whose VM-run expressions never name Fields has its
// parser skip the map, and its checks read fields all the same; a rule
// that the VM runs and that names Fields reads the map.
func TestFieldMap(t *testing.T) {
	line := `{"level":"error","code":"UserError.DsNotFound","k":"v","data":{"id":"7"}}`
	for _, c := range []struct {
		name, when, yield string
		wantMap           bool
	}{
		{"no Fields", `has(\"UserError.DsNotFound\") && Code == \"UserError.DsNotFound\"`, `Fields[\"data.id\"]`, false},
		{"checks", `has(\"UserError.DsNotFound\") && Fields[\"k\"] == \"v\" && \"data.id\" in Fields`, `Fields[\"data.id\"]`, false},
		{"VM", `has(\"UserError.DsNotFound\") && len(Fields) == 4`, `Fields[\"data.id\"]`, true},
	} {
		src := "rules:\n  - id: a\n    when: \"" + c.when + "\"\n    yield: {code: \"" + c.yield + "\"}\n"
		s, err := Compile(File{Name: "a.yaml", Data: []byte(src)})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := s.namesFields(); got != c.wantMap {
			t.Errorf("%s: namesFields %v, want %v", c.name, got, c.wantMap)
		}
		res := s.NewMatcher().Match(rec(line))
		if res.Event == nil || (res.Event.Fields != nil) != c.wantMap || res.Event.Field("data.id") != "7" {
			t.Fatalf("%s: event %+v", c.name, res.Event)
		}
		if len(res.Matches) != 1 || res.Matches[0].Code != "7" {
			t.Errorf("%s: matches %+v", c.name, res.Matches)
		}
	}
}
