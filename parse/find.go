package parse

import "github.com/wedadiag/wedadiag/internal/automaton"

// Finders of the words the steps look for in every record they parse, by
// each word's rarest byte (automaton.Finder): 'u' of "tatus", '(' of " (",
// 'q' of "eq", not the common first byte strings.Index starts from.
var (
	findTatus   = automaton.NewFinder("tatus")
	findParen   = automaton.NewFinder(" (")
	findEq      = automaton.NewFinder("eq")
	findOde     = automaton.NewFinder("ode")
	findCode    = automaton.NewFinder("code")
	findTCSDK   = automaton.NewFinder("TencentCloudSDK")
	findErrCode = automaton.NewFinder("errCode")

	findErrCodeColon = automaton.NewFinder("errCode:") // wx.cloud's text form

	// sdkMarkers are the markers of the fields of a Tencent Cloud SDK
	// exception (tcsdk), with the field each fills.
	sdkMarkers = [...]struct {
		lit automaton.Finder
		key string
	}{
		{automaton.NewFinder("errorCode:"), "code"}, {automaton.NewFinder("code:"), "code"},
		{automaton.NewFinder("Code="), "code"}, {automaton.NewFinder("ErrorCode="), "code"},
		{automaton.NewFinder("message:"), "message"}, {automaton.NewFinder("Message="), "message"},
		{automaton.NewFinder("requestId:"), "requestId"}, {automaton.NewFinder("RequestId="), "requestId"},
	}

	statusKeys       = [...]automaton.Finder{automaton.NewFinder("状态码"), automaton.NewFinder("Invoke failed:")}
	requestIDFinders = func() (f [len(requestIDKeys)]automaton.Finder) {
		for i, k := range requestIDKeys {
			f[i] = automaton.NewFinder(k)
		}
		return f
	}()
)
