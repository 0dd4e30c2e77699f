package warm

import "github.com/wedadiag/wedadiag/rules"

func init() { rules.Warm() }
