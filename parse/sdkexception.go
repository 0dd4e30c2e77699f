package parse

import (
	"strings"

	"github.com/wedadiag/wedadiag/internal/automaton"
)

// readTCSDK reads a Tencent Cloud SDK exception anywhere in the body.
func readTCSDK(p *Parser, st *state) bool {
	if findTCSDK.In(st.body) {
		p.tcsdk(st.ev, st.body)
	}
	return false
}

// tcsdk reads a Tencent Cloud SDK exception as the SDKs print it:
// Python "[TencentCloudSDKException] code:X message:Y requestId:Z",
// Go "[TencentCloudSDKError] Code=X, Message=Y, RequestId=Z",
// Java and Node "[TencentCloudSDKException]message:Y requestId:Z" with the
// code as "errorCode:X" or "code:X".
func (p *Parser) tcsdk(ev *Event, body string) bool {
	i := strings.Index(body, "[TencentCloudSDK")
	if i < 0 {
		i = strings.Index(body, "TencentCloudSDK")
	}
	j := strings.IndexByte(body[i:], ']')
	if j < 0 {
		j = strings.IndexByte(body[i:], ':')
	}
	if j < 0 {
		return false
	}
	rest := body[i+j+1:]
	if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
		rest = rest[:nl]
	}
	type mark struct {
		key   string // field it fills
		at    int    // where the marker starts
		value int    // where its value starts
	}
	var marks [8]mark
	n := 0
	for _, m := range &sdkMarkers {
		at := indexWord(rest, m.lit)
		if at < 0 || n == len(marks) {
			continue
		}
		dup := false
		for _, o := range marks[:n] {
			if o.key == m.key {
				dup = true
			}
		}
		if dup {
			continue
		}
		marks[n] = mark{m.key, at, at + m.lit.Len()}
		n++
	}
	if n == 0 {
		return false
	}
	ms := marks[:n]
	// Values run to the next marker.
	for a := range ms {
		end := len(rest)
		for b := range ms {
			if ms[b].at >= ms[a].value && ms[b].at < end {
				end = ms[b].at
			}
		}
		v := strings.TrimSpace(rest[ms[a].value:end])
		v = strings.TrimSuffix(v, ",")
		v = strings.TrimSpace(v)
		switch ms[a].key {
		case "code":
			if v != "" && ev.Code == "" {
				ev.Code = NormCode(v)
			}
		case "message":
			ev.ErrMessage = v
		case "requestId":
			ev.RequestID = v
		}
		p.setField(ms[a].key, v)
	}
	ev.Format = FormatTCSDK
	if ev.Level == "" {
		ev.Level = "error"
	}
	return true
}

// indexWord finds lit in s where it starts a word: at the start, or after
// a character that is not a letter or digit.
func indexWord(s string, lit automaton.Finder) int {
	off := 0
	for {
		i := lit.Index(s[off:])
		if i < 0 {
			return -1
		}
		i += off
		if i == 0 || !isWordByte(s[i-1]) {
			return i
		}
		off = i + 1
	}
}
