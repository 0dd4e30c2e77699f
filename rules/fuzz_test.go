package rules

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wedadiag/wedadiag/parse"
	"github.com/wedadiag/wedadiag/record"
)

// FuzzMatchRecord matches arbitrary records and checks what rules adds to
// the Event and the Result: Bad reasons come from the fixed set, Codes are
// vocabulary codes (a number only as Code), a suspect record has no match,
// and matching the same record twice gives the same result. The Event's own
// invariants are parse's FuzzParseRecord.
func FuzzMatchRecord(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add([]byte(s), false)
	}
	f.Add([]byte("ERROR \xff code=100,009"), true)
	s := testSet(f)
	m := s.NewMatcher()
	f.Fuzz(func(t *testing.T, text []byte, cut bool) {
		r := &record.Record{Text: text, Cut: cut, Lines: 1}
		res := m.Match(r)
		first := strings.Join(found(res), " ")
		for _, b := range res.Bad {
			if !slices.Contains(parse.BadReasons(), b) {
				t.Fatalf("bad reason %q", b)
			}
		}
		if cut != slices.Contains(res.Bad, parse.BadTooLong) {
			t.Fatalf("cut %v, bad %v", cut, res.Bad)
		}
		if res.Suspect && (!res.ErrorLike || len(res.Matches) > 0) {
			t.Fatal("suspect with matches or not error-like")
		}
		if ev := res.Event; ev != nil {
			if !utf8.ValidString(ev.Raw) || strings.IndexByte(ev.Raw, 0) >= 0 {
				t.Fatalf("Raw %q is not UTF-8 without NUL", ev.Raw)
			}
			for _, c := range ev.Codes {
				if !s.vocab[c] {
					t.Fatalf("Codes holds %q, not a vocabulary code", c)
				}
				if isNumber(c) && c != ev.Code {
					t.Fatalf("numeric code %q outside a code position (Code %q)", c, ev.Code)
				}
			}
		}
		if again := strings.Join(found(m.Match(r)), " "); again != first {
			t.Fatalf("second match differs: %q then %q", first, again)
		}
	})
}

func fuzzSeeds() []string {
	seeds := []string{
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
	}
	if data, err := os.ReadFile("testdata/rules.yaml"); err == nil {
		for _, m := range regexp.MustCompile(`input: '([^']*)'`).FindAllStringSubmatch(string(data), -1) {
			seeds = append(seeds, m[1])
		}
	}
	return seeds
}

// FuzzRuleFile compiles arbitrary rule files: Compile never panics, and
// every fault it reports has a file, a position and a message.
func FuzzRuleFile(f *testing.F) {
	if data, err := os.ReadFile("testdata/rules.yaml"); err == nil {
		f.Add(string(data))
	}
	for _, name := range mustGlob(f, "testdata/bad/*.yaml") {
		data, _ := os.ReadFile(name)
		f.Add(string(data))
	}
	f.Add("rules:\n  - id: x\n    when: |\n      has(\"a\")\n        && Code ==\n    yield: {id: faq/x}\n")
	f.Add("rules: [{id: x, codes: ['1,000'], yield: {code: 'Codes[0]'}, examples: [{input: 'code=1000', want: ''}]}]")
	lineRe := regexp.MustCompile(`^in\.yaml:[1-9][0-9]*:[1-9][0-9]*: .+`)
	f.Fuzz(func(t *testing.T, data string) {
		s, err := Compile(File{Name: "in.yaml", Data: []byte(data)})
		if err != nil {
			faults, ok := err.(Faults)
			if !ok || len(faults) == 0 {
				t.Fatalf("error %T without faults: %v", err, err)
			}
			for _, l := range strings.Split(err.Error(), "\n") {
				if !lineRe.MatchString(l) && !strings.HasPrefix(l, " ") {
					// A message may span lines only when yaml or expr
					// put a newline in it; its first line has the position.
					if !slices.ContainsFunc(faults, func(f Fault) bool { return strings.Contains(f.Msg, l) }) {
						t.Fatalf("fault line without position: %q", l)
					}
				}
			}
			for _, f := range faults {
				if f.File != "in.yaml" || f.Line < 1 || f.Col < 1 || f.Msg == "" {
					t.Fatalf("fault without position: %+v", f)
				}
			}
			return
		}
		Test(s, func(Match) string { return "" })
	})
}

func mustGlob(f *testing.F, pattern string) []string {
	names, err := filepath.Glob(pattern)
	if err != nil {
		f.Fatal(err)
	}
	return names
}
