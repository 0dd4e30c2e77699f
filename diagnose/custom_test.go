package diagnose

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/record"
	"github.com/wedadiag/wedadiag/rules"
)

func TestCompileCustomEntries(t *testing.T) {
	base, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	// A code-only entry: no rule of the file names it, the generic code
	// rule finds it in a code position.
	f := rules.File{Name: "my.yaml", Data: []byte(`entries:
  - {id: custom/order-sync-timeout, code: OrderSync.Timeout, title: 订单同步超时, remedy: 检查 ERP, severity: critical}
`)}
	k, err := Compile(base, append(rules.Builtin(), f)...)
	if err != nil {
		t.Fatal(err)
	}
	res := NewResolver(k.Catalog)
	m := k.Set.NewMatcher()
	for _, tc := range []struct{ line, want string }{
		{`{"level":"error","code":"OrderSync.Timeout","msg":"erp down"}`, "custom/order-sync-timeout"},
		{`ERROR [sync] code=OrderSync.Timeout`, "custom/order-sync-timeout"},
		{`INFO the OrderSync.Timeout setting is 30s`, ""},
	} {
		rec := record.Record{Source: "t", Text: []byte(tc.line), Lines: 1, End: int64(len(tc.line))}
		r := m.Match(&rec)
		got := ""
		for _, f := range res.ResolveAll(r.Matches, nil) {
			got = f.Entry.ID
		}
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.line, got, tc.want)
		}
	}
	for _, x := range rules.Test(k.Set, res.ResolveID) {
		if !x.Pass {
			t.Errorf("example of %s failed: %+v", x.Rule, x)
		}
	}

	// A yield of an id no tier has says how to define it.
	bad := rules.File{Name: "bad.yaml", Data: []byte(`rules:
  - id: r
    when: has("zzz")
    yield: {id: custom/undefined}
`)}
	_, err = Compile(base, bad)
	var fs rules.Faults
	if !errors.As(err, &fs) || len(fs) != 1 || !strings.HasPrefix(fs[0].String(), `bad.yaml:4:17: rule "r": yield id "custom/undefined" is not in the catalog`) ||
		!strings.Contains(fs[0].Msg, "entries: [{id: custom/undefined, title: …, remedy: …}]") {
		t.Errorf("faults %v", err)
	}
}

// Without rule files, Load takes the built-in set compiled once per
// process (rules.Default), and it holds the rules a compile of the
// built-in files holds, in the same order.
func TestLoadWithoutFilesSharesTheDefaultSet(t *testing.T) {
	base, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	k, err := Load(base, nil)
	if err != nil {
		t.Fatal(err)
	}
	def, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	if k.Set != def {
		t.Fatal("Load without files compiled a set of its own")
	}
	// The built-in files under other names: not recognised as them, so
	// compiled afresh.
	var copies []rules.File
	for _, f := range rules.Builtin() {
		copies = append(copies, rules.File{Name: "copy/" + f.Name, Data: bytes.Clone(f.Data)})
	}
	fresh, err := Compile(base, copies...)
	if err != nil {
		t.Fatal(err)
	}
	if fresh.Set == def {
		t.Fatal("copies of the built-in files compiled to the shared set")
	}
	got, want := k.Set.Rules(), fresh.Set.Rules()
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("%d rules, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i].ID != want[i].ID {
			t.Fatalf("rule %d is %s, want %s", i, got[i].ID, want[i].ID)
		}
	}
	if len(k.Catalog.Entries()) != len(fresh.Catalog.Entries()) {
		t.Fatalf("catalog of %d entries, want %d", len(k.Catalog.Entries()), len(fresh.Catalog.Entries()))
	}
	other, err := Load(base, nil)
	if err != nil || other.Set != def {
		t.Fatalf("a second Load: %v, shares the set: %v", err, other != nil && other.Set == def)
	}
}
