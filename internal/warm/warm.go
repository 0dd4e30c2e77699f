package warm

import (
	"os"
	"strings"

	"github.com/wedadiag/wedadiag/rules"
)

func init() {
	if matches(command(os.Args[1:])) {
		rules.Warm()
	}
}

// command returns the subcommand of the arguments: the first that is not
// a flag ("" for none).
func command(args []string) string {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			return a
		}
	}
	return ""
}

// matches reports whether the subcommand matches records against the rule
// set: the others (explain, catalog, version, help …) never build it, and a
// build in the background would only cost them CPU.
func matches(cmd string) bool {
	switch cmd {
	case "scan", "scan-records", "run", "rules":
		return true
	}
	return false
}
