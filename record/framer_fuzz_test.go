package record

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzFramer frames arbitrary input and checks that nothing is lost or
// invented: the records' lines, blank lines aside, are the input's lines
// (without their '\r' and byte-order mark); records come in file order,
// never overlap, and leave out only blank lines.
func FuzzFramer(f *testing.F) {
	for _, s := range []string{
		"a\nb\nc\n",
		"\xef\xbb\xbfa\r\nb\r\n",
		"Error: boom\n    at f (a.js:1:2)\n    at g (b.js:3:4)\nnext\n",
		"Traceback (most recent call last):\n  File \"a.py\", line 1\nValueError: bad\n",
		"2024-06-21 ERROR {\n\"code\": \"X\",\n\"msg\": \"}\"\n}\nnext\n",
		"{\n  code: 'FnError.HTTP.NetworkError',\n  message: 'x'\n}\n",
		"{\"a\": 1\n\n  \n}\n2024-06-21 x\n",
		"}\n]\n)\n... 3 more\nCaused by: x\n",
		"\x00\xff\n\r\n\r\r\n",
		"{'a\\'\n}`\n",
		"2024-06-21 ERROR x\ncom.a.FooException: y\n\tat z\n",
		"Jun 21 08:02:14 h app[1]: ERROR x {\nJun 21 08:02:14 h app[1]:   y\nJun 21 08:02:14 h app[1]: }\n",
		"2024-06-21T08:02:14Z ERROR {\n2024-06-21T08:02:14Z   a\n2024-06-21T08:02:14Z }\n",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, input string, none bool) {
		mode := Auto
		if none {
			mode = None
		}
		recs := frameAll(t, mode, input)

		var want, got []string
		for _, l := range strings.Split(input, "\n") {
			l = string(trimLine([]byte(l)))
			if strings.TrimSpace(l) != "" {
				want = append(want, l)
			}
		}
		var prevEnd int64
		for i, r := range recs {
			if r.Cut {
				t.Skip("a record was cut at the default limit")
			}
			if r.Offset < prevEnd || r.End <= r.Offset || r.End > int64(len(input)) {
				t.Fatalf("record %d spans %d..%d after %d (input %d bytes)", i, r.Offset, r.End, prevEnd, len(input))
			}
			// What lies between records is blank lines only.
			if gap := input[prevEnd:r.Offset]; strings.TrimSpace(strings.ReplaceAll(gap, "\xef\xbb\xbf", "")) != "" {
				t.Fatalf("record %d: non-blank input %q skipped", i, gap)
			}
			prevEnd = r.End
			if n := bytes.Count(r.Text, []byte("\n")) + 1; n != r.Lines {
				t.Fatalf("record %d: %d lines in text, Lines %d", i, n, r.Lines)
			}
			if mode == None && r.Lines != 1 {
				t.Fatalf("record %d: %d lines in mode none", i, r.Lines)
			}
			if len(bytes.TrimSpace(r.Text)) == 0 {
				t.Fatalf("record %d is blank", i)
			}
			for _, l := range strings.Split(string(r.Text), "\n") {
				if strings.TrimSpace(l) != "" {
					got = append(got, l)
				}
			}
		}
		if rest := input[prevEnd:]; strings.TrimSpace(strings.ReplaceAll(rest, "\xef\xbb\xbf", "")) != "" {
			t.Fatalf("trailing input %q not framed", rest)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("lines changed:\ngot  %q\nwant %q", got, want)
		}
	})
}
