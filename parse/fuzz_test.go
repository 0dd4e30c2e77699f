package parse

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wedadiag/wedadiag/record"
)

var levels = []string{"", "debug", "info", "warn", "error", "fatal"}

var formats = []string{FormatJSON, FormatTCAPI, FormatCloudBase, FormatJSSDK, FormatWXCloud, FormatSCF,
	FormatTCSDK, FormatLogfmt, FormatAccess, FormatConsole, FormatPlain, FormatMetrics, FormatDocs}

// fuzzCodes stands in for a rule set's vocabulary.
func fuzzCodes(c string) bool {
	return c == "100009" || c == "UserError.DsNotFound" || c == "FnError.HTTP.NetworkError"
}

// FuzzParseRecord parses arbitrary records and checks the Event's
// invariants: Raw is UTF-8 without NUL, Code carries no thousands
// separators, Level, Format and Status take their documented values, Bad
// reasons come from the fixed set, and parsing the same record twice gives
// the same Event. The parser alone takes any UTF-8 text.
func FuzzParseRecord(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add([]byte(s), false)
	}
	f.Add([]byte("ERROR \xff code=100,009"), true)
	p := New(fuzzCodes)
	f.Fuzz(func(t *testing.T, text []byte, cut bool) {
		r := &record.Record{Text: text, Cut: cut, Lines: 1}
		var ev Event
		p.Parse(&ev, r, p.Text(r, ""), "")
		for _, b := range p.Bad() {
			if !slices.Contains(BadReasons(), b) {
				t.Fatalf("bad reason %q", b)
			}
		}
		if cut != slices.Contains(p.Bad(), BadTooLong) {
			t.Fatalf("cut %v, bad %v", cut, p.Bad())
		}
		if !utf8.ValidString(ev.Raw) || strings.IndexByte(ev.Raw, 0) >= 0 {
			t.Fatalf("Raw %q is not UTF-8 without NUL", ev.Raw)
		}
		checkEventInvariants(t, &ev)
		// A copy: ev's strings share the Parser's buffers, which the
		// second parse writes again.
		first := cloneEvent(&ev)
		var again Event
		p.Parse(&again, r, p.Text(r, ""), "")
		if !reflect.DeepEqual(first, again) {
			t.Fatalf("second parse differs:\n%+v\n%+v", first, again)
		}

		q := New(fuzzCodes)
		ev = Event{}
		q.parse(&ev, strings.ToValidUTF8(string(text), "\uFFFD"), "")
		checkEventInvariants(t, &ev)
	})
}

// cloneEvent copies ev's strings and fields out of the Parser's buffers.
func cloneEvent(ev *Event) Event {
	c := *ev
	for _, s := range []*string{&c.Source, &c.Path, &c.Raw, &c.Format, &c.Level, &c.Message, &c.RequestID, &c.Code, &c.ErrMessage} {
		*s = strings.Clone(*s)
	}
	c.Fields = make(map[string]string, len(ev.Fields))
	for k, v := range ev.Fields {
		c.Fields[strings.Clone(k)] = strings.Clone(v)
	}
	return c
}

func checkEventInvariants(t *testing.T, ev *Event) {
	t.Helper()
	if !utf8.ValidString(ev.Raw) {
		t.Fatalf("Raw %q is not UTF-8", ev.Raw)
	}
	if NormCode(ev.Code) != ev.Code {
		t.Fatalf("Code %q not normalised", ev.Code)
	}
	if !slices.Contains(levels, ev.Level) {
		t.Fatalf("Level %q", ev.Level)
	}
	if !slices.Contains(formats, ev.Format) {
		t.Fatalf("Format %q", ev.Format)
	}
	if ev.Status != 0 && (ev.Status < 100 || ev.Status > 599) {
		t.Fatalf("Status %d", ev.Status)
	}
	if len(ev.Fields) > maxFields {
		t.Fatalf("%d fields", len(ev.Fields))
	}
}

func fuzzSeeds() []string {
	return []string{
		`{"Response":{"Error":{"Code":"FailedOperation.FlexdbResourceOverdue","Message":"数据库资源到期"},"RequestId":"r1"}}`,
		"START RequestId: 1d3e Version: $LATEST",
		"2024-06-21T08:00:01.123Z\t1d3e5f7a-2b4c\tERROR\t{\"code\":\"X.Y\",\"message\":\"m\"}",
		"{\n  code: 'FnError.HTTP.NetworkError',\n  message: '方法' +\n 'x',\n  requestId: 'x'\n}",
		`{"code":"OPERATION_FAIL","msg":"[FnError.HTTP.NetworkError] 方法 getList"}`,
		"Error: errCode: -501000 | errMsg: [100003] Param Invalid",
		"[TencentCloudSDKException] code:A.B message:c requestId:d",
		"[TencentCloudSDKError] Code=A.B, Message=c, RequestId=d",
		`level=error code=UserError.DsNotFound msg="找不到\"数据源\""`,
		`1.2.3.4 - - [21/Jun/2024:08:00:01 +0800] "GET / HTTP/1.1" 502 1 "-" "ua"`,
		"[Error] Failed to load resource: the server responded with a status of 502 ()",
		"index.js:12 Uncaught (in promise) {code: 'X.Y'}",
		`{"a":[{"b":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}]}`,
		`{"s":"\ud83d\ude00 \ud800 \u00"}`,
		"code=1,000,000,0 100,009 -100,009",
		"\x00ERROR\x00",
		"\xef\xbb\xbf{\"code\":1}\r",
		"2024-06-21T08:00:01Z " + "\xb5\xf7\xd3\xc3\xca\xa7\xb0\xdc" + " code=UserError.DsNotFound", // GBK 调用失败
	}
}
