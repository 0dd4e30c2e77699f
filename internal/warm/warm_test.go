package warm

import "testing"

func TestCommand(t *testing.T) {
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"scan", "app.log"}, true},
		{[]string{"scan", "--format", "json", "-"}, true},
		{[]string{"run", "--config", "c.yaml"}, true},
		{[]string{"rules", "test", "my.yaml"}, true},
		{[]string{"scan-records", "x.log"}, true},
		{[]string{"explain", "FailedOperation"}, false},
		{[]string{"help", "scan"}, false},
		{[]string{"--help"}, false},
		{[]string{"version"}, false},
		{nil, false},
	} {
		if got := matches(command(c.args)); got != c.want {
			t.Errorf("%q: warms %v, want %v", c.args, got, c.want)
		}
	}
}
