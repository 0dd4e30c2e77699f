package rules

import "testing"

func TestSchemaDocsMatchTheDecoder(t *testing.T) {
	fields := RuleFields()
	if len(fields) != len(ruleKeys) {
		t.Fatalf("RuleFields has %d fields, the decoder %d (%v)", len(fields), len(ruleKeys), ruleKeys)
	}
	for i, f := range fields {
		if f.Name != ruleKeys[i] || f.Doc == "" {
			t.Errorf("RuleFields[%d] = %q, the decoder's field is %q", i, f.Name, ruleKeys[i])
		}
	}
	names := envNames()
	vars := Variables()
	if len(vars) != len(names) {
		t.Fatalf("Variables: %d, Event fields: %d", len(vars), len(names))
	}
	for i, v := range vars {
		if v.Name != names[i] || v.Doc == "" {
			t.Errorf("variable %q (Event field %q) is undocumented", v.Name, names[i])
		}
	}
}
