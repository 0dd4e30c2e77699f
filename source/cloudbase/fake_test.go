package cloudbase

import (
	"testing"

	"github.com/wedadiag/wedadiag/source/cloudbase/cloudbasetest"
)

// The fake API lives in cloudbasetest, so the daemon's tests drive the
// same one.
type (
	fakeAPI = cloudbasetest.API
	fakeLog = cloudbasetest.Log
)

func newFakeAPI(t testing.TB) *fakeAPI { return cloudbasetest.New(t) }
