package parse

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/wedadiag/wedadiag/record"
)

// TestText: the bytes of a record become UTF-8, and Bad says why they were
// not clean.
func TestText(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String("ERROR 调用失败 code=UserError.DsNotFound")
	if err != nil {
		t.Fatal(err)
	}
	p := New(nil)
	for _, tc := range []struct {
		in, format string
		cut        bool
		want       string
		bad        []string
	}{
		{in: "ERROR plain", want: "ERROR plain"},
		{in: gbk, want: "ERROR 调用失败 code=UserError.DsNotFound"},
		{in: "ERROR 调用\xff失败", want: "ERROR 调用\uFFFD失败", bad: []string{BadInvalidUTF8}},
		{in: "\x00ERROR\x00 x", want: "ERROR x", bad: []string{BadNUL}},
		{in: `{"level":"info","msg":"cut`, cut: true, want: `{"level":"info","msg":"cut`, bad: []string{BadTooLong, BadJSON}},
		{in: `{"level":"info"}`, format: InputJSON, want: `{"level":"info"}`},
		{in: "INFO not an object", format: InputJSON, want: "INFO not an object", bad: []string{BadJSON}},
		{in: `{"broken":`, format: InputPlain, want: `{"broken":`},
		{in: "\xef\xbb\xbf{\"code\":1}\r", want: "\uFEFF{\"code\":1}\r"},
	} {
		got := string(p.Text(&record.Record{Text: []byte(tc.in), Cut: tc.cut}, tc.format))
		if got != tc.want || !slices.Equal(p.Bad(), tc.bad) {
			t.Errorf("Text(%q, %q) = %q, bad %v; want %q, bad %v", tc.in, tc.format, got, p.Bad(), tc.want, tc.bad)
		}
	}
}

// TestUnescaped: JSON \u escapes are decoded for the prefilter, others kept.
func TestUnescaped(t *testing.T) {
	p := New(nil)
	for in, want := range map[string]string{
		`{"msg":"\u8c03\u7528\u5931\u8d25"}`: `{"msg":"调用失败"}`,
		`\ud83d\ude00 \n \u00`:               "😀 \\n \\u00",
		`no escapes`:                         `no escapes`,
	} {
		if got := string(p.Unescaped([]byte(in))); got != want {
			t.Errorf("Unescaped(%q) = %q, want %q", in, got, want)
		}
	}
}

func scanBytesSeeds() []string {
	return []string{"", "a", "abcdefgh", "abcdefgh\x00", "\x00", "1234567\x00", "12345678\xff", "审批成功 code=0",
		"{\"code\":0,\"msg\":\"ok\"}\x00\xe5", "abcdefghijklmnop\xe5\xae", "\xe5\xae\xa1abcdefgh\x00", "abc\x80def\x00ghijklmn",
		"abcdefg\x7f", "\x01\x01\x01\x01\x01\x01\x01\x01\x00", "\x81\x00\x00\x00\x00\x00\x00\x00"}
}

func TestScanBytes(t *testing.T) {
	for _, s := range scanBytesSeeds() {
		checkScanBytes(t, s)
	}
}

func FuzzScanBytes(f *testing.F) {
	for _, s := range scanBytesSeeds() {
		f.Add(s)
	}
	f.Fuzz(checkScanBytes)
}

func checkScanBytes(t *testing.T, s string) {
	nul, valid := scanBytes([]byte(s))
	if want := strings.IndexByte(s, 0) >= 0; nul != want {
		t.Errorf("%q: NUL %v, want %v", s, nul, want)
	}
	if want := utf8.ValidString(s); valid != want {
		t.Errorf("%q: valid %v, want %v", s, valid, want)
	}
}

// TestLooksBrokenJSONShortcut: the early answers for the common first
// bytes agree with the full check on every text of up to five bytes over
// the bytes it looks at.
func TestLooksBrokenJSONShortcut(t *testing.T) {
	alphabet := []byte("{} \t\ra\xef\xbb\xbf")
	var walk func(text []byte)
	walk = func(text []byte) {
		for _, strict := range []bool{false, true} {
			if got, want := looksBrokenJSON(text, strict), brokenJSONFull(text, strict); got != want {
				t.Fatalf("looksBrokenJSON(%q, %v) = %v, want %v", text, strict, got, want)
			}
		}
		if len(text) == 5 {
			return
		}
		for _, c := range alphabet {
			walk(append(text[:len(text):len(text)], c))
		}
	}
	walk(nil)
}
