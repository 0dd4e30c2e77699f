package catalog

import (
	"strings"
	"testing"
)

func TestParseCustomFaults(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       []string
	}{
		{"bad id", "entries:\n  - {id: orders/x, title: t, remedy: r}\n",
			[]string{`f.yaml:2:10: entry "orders/x": id "orders/x": a custom entry's id is custom/`}},
		{"unknown field", "entries:\n  - id: custom/x\n    title: t\n    remedy: r\n    colour: red\n",
			[]string{`f.yaml:5:5: entry "custom/x": unknown field "colour"`}},
		{"severity", "entries:\n  - {id: custom/x, title: t, remedy: r, severity: fatal}\n",
			[]string{`f.yaml:2:51: entry "custom/x": severity "fatal": want one of critical, error, warning, info`}},
		{"missing", "entries:\n  - {id: custom/x}\n",
			[]string{`f.yaml:2:5: entry "custom/x": missing title`, `f.yaml:2:5: entry "custom/x": missing remedy`}},
		{"placeholder", "entries:\n  - {id: custom/x, code: A.B, message: 'bad {1}', title: t, remedy: r}\n",
			[]string{`f.yaml:2:40: entry "custom/x": message:`}},
		{"not a list", "entries: {id: custom/x}\n", []string{"f.yaml:1:10: `entries:` must be a list"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, fs := ParseCustom("f.yaml", []byte(tc.yaml))
			if len(fs) != len(tc.want) {
				t.Fatalf("faults %v, want %d", fs, len(tc.want))
			}
			for i, f := range fs {
				if !strings.HasPrefix(f.String(), tc.want[i]) {
					t.Errorf("fault %q, want it to start %q", f, tc.want[i])
				}
			}
		})
	}
}

func TestWithCustom(t *testing.T) {
	base, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	es, fs := ParseCustom("f.yaml", []byte(`rules: []
entries:
  - id: custom/order-sync-timeout
    code: OrderSync.Timeout
    message: "订单同步超时：{0}"
    title: 订单同步超时
    remedy: 检查 ERP
    related: [faq/cdn-traffic-exhausted-app-unreachable]
  - {id: custom/clash, code: FailedOperation.FlexdbResourceOverdue, title: t, remedy: r}
  - {id: custom/bad-related, title: t, remedy: r, related: [faq/nope]}
`))
	if len(fs) != 0 {
		t.Fatal(fs)
	}
	cat, fs := base.WithCustom(es)
	if len(fs) != 2 || !strings.Contains(fs[0].String(), "f.yaml:9:") || !strings.Contains(fs[0].Msg, "already explained by datasource/flexdb-resource-overdue") ||
		!strings.Contains(fs[1].String(), "f.yaml:10:") || !strings.Contains(fs[1].Msg, `related "faq/nope"`) {
		t.Errorf("faults %v", fs)
	}
	e := cat.ByID("custom/order-sync-timeout")
	if e == nil || e.Source != SourceCustom || e.Kind != KindErrorCode || e.Title("zh") != "订单同步超时" || e.Title("en") != "订单同步超时" || e.Remedy("zh") != "检查 ERP" {
		t.Fatalf("custom entry %+v", e)
	}
	if got, full := cat.Resolve("OrderSync.Timeout", "订单同步超时：erp down"); got != e || !full {
		t.Errorf("Resolve = %v %v", got, full)
	}
	if rows, _ := cat.LookupCode("ordersync.timeout"); len(rows) != 1 || rows[0] != e {
		t.Errorf("LookupCode: %v", rows)
	}
	if base.ByID(e.ID) != nil || len(base.Custom()) != 0 {
		t.Error("WithCustom changed the base catalog")
	}
	if len(cat.Related(e)) != 1 || len(cat.Entries()) != len(base.Entries())+1 {
		t.Errorf("related %v, %d entries", cat.Related(e), len(cat.Entries()))
	}
	var b strings.Builder
	if err := cat.WriteText(&b, e, "zh"); err != nil || !strings.Contains(b.String(), "自定义条目") || !strings.Contains(b.String(), "f.yaml:3") {
		t.Errorf("WriteText: %v\n%s", err, b.String())
	}
}

func TestCustomFieldsDocumented(t *testing.T) {
	fs, keys := CustomFields(), CustomKeys()
	if len(fs) != len(keys) {
		t.Fatalf("%d documented fields, %d keys", len(fs), len(keys))
	}
	for i, f := range fs {
		if f.Name != keys[i] || f.Doc == "" {
			t.Errorf("field %d: documented %q, decoded %q", i, f.Name, keys[i])
		}
	}
}
