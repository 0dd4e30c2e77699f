package record

import (
	"bytes"
	"strings"
	"testing"
)

// frameAll splits input into lines the way a reader does and frames them.
func frameAll(t testing.TB, mode Mode, input string) []Record {
	t.Helper()
	f := NewFramer("src", "p", mode, 0, 0)
	var out []Record
	emit := func(r *Record) {
		c := *r
		c.Text = bytes.Clone(r.Text)
		out = append(out, c)
	}
	var off int64
	for len(input) > 0 {
		i := strings.IndexByte(input, '\n')
		var line string
		next := off
		if i < 0 {
			line, input = input, ""
			next += int64(len(line))
		} else {
			line, input = input[:i], input[i+1:]
			next += int64(i + 1)
		}
		f.Push(Line{Text: []byte(line), Offset: off, End: next}, emit)
		off = next
	}
	f.Flush(emit)
	return out
}

func TestFramerGroups(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []string
	}{
		{"plain lines", "a\nb\nc\n", []string{"a", "b", "c"}},
		{"crlf and bom", "\xef\xbb\xbfa\r\nb\r\n", []string{"a", "b"}},
		{"empty lines end records", "a\n\n  b\n", []string{"a", "  b"}},
		{"node stack", "Error: boom\n    at f (a.js:1:2)\n    at g (b.js:3:4)\nnext\n",
			[]string{"Error: boom\n    at f (a.js:1:2)\n    at g (b.js:3:4)", "next"}},
		{"node error with props", "Error: x\n    at f (a.js:1:1) {\n  code: 'FailedOperation'\n}\nnext\n",
			[]string{"Error: x\n    at f (a.js:1:1) {\n  code: 'FailedOperation'\n}", "next"}},
		{"java", "Exception in thread \"main\" java.lang.RuntimeException: x\n\tat A.b(A.java:1)\nCaused by: java.io.IOException: y\n\t... 3 more\nnext\n",
			[]string{"Exception in thread \"main\" java.lang.RuntimeException: x\n\tat A.b(A.java:1)\nCaused by: java.io.IOException: y\n\t... 3 more", "next"}},
		{"python", "Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\n    f()\nValueError: bad\nnext\n",
			[]string{"Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\n    f()\nValueError: bad", "next"}},
		{"scf python", "2024-06-21T00:10:01.311Z\tc4d5\tERROR\tTraceback (most recent call last):\n  File \"/var/user/index.py\", line 41, in main_handler\n    resp = client.RunSql(req)\nTencentCloudSDKException: [TencentCloudSDKException] code:X message:y\nEND RequestId: c4d5\n",
			[]string{"2024-06-21T00:10:01.311Z\tc4d5\tERROR\tTraceback (most recent call last):\n  File \"/var/user/index.py\", line 41, in main_handler\n    resp = client.RunSql(req)\nTencentCloudSDKException: [TencentCloudSDKException] code:X message:y", "END RequestId: c4d5"}},
		{"pretty json", "2024-06-21 ERROR {\n\"code\": \"X\",\n\"msg\": \"}\"\n}\nnext\n",
			[]string{"2024-06-21 ERROR {\n\"code\": \"X\",\n\"msg\": \"}\"\n}", "next"}},
		{"broken json does not swallow", "{\"a\": 1\nnext\n", []string{"{\"a\": 1", "next"}},
		{"open group cut by dated line", "{\n  \"a\": 1\n2024-06-21 INFO x\n", []string{"{\n  \"a\": 1", "2024-06-21 INFO x"}},
		{"no trailing newline", "a\nb", []string{"a", "b"}},
		{"node object literal", "{\n  code: 'FnError.HTTP.NetworkError',\n  message: '方法 getList 底层接口网络请求失败',\n  requestId: 'x'\n}\nnext\n",
			[]string{"{\n  code: 'FnError.HTTP.NetworkError',\n  message: '方法 getList 底层接口网络请求失败',\n  requestId: 'x'\n}", "next"}},
		{"node object after prefix", "2024-06-21T08:00:01.123Z\t1d3e\tERROR\t{\n  code: 'X',\n  requestId: 'y'\n}\nnext\n",
			[]string{"2024-06-21T08:00:01.123Z\t1d3e\tERROR\t{\n  code: 'X',\n  requestId: 'y'\n}", "next"}},
		{"pretty json nested", "{\n  \"Response\": {\n    \"Error\": {\"Code\": \"X\"},\n    \"List\": [\n      1,\n      2\n    ]\n  }\n}\nnext\n",
			[]string{"{\n  \"Response\": {\n    \"Error\": {\"Code\": \"X\"},\n    \"List\": [\n      1,\n      2\n    ]\n  }\n}", "next"}},
		{"pretty json array", "[\n  {\"a\": 1}\n]\nnext\n", []string{"[\n  {\"a\": 1}\n]", "next"}},
		{"braces in strings do not count", "{\n  \"msg\": \"{{params.AAA}} unclosed {\",\n  \"q\": 'it''s'\n}\nnext\n",
			[]string{"{\n  \"msg\": \"{{params.AAA}} unclosed {\",\n  \"q\": 'it''s'\n}", "next"}},
		{"scf line with stack", "2024-06-21T08:00:01.123Z\t1d3e\tERROR\tError: boom\n    at exports.main (/var/user/index.js:7:23)\n    at process (node:internal:1:1)\nEND RequestId: 1d3e\n",
			[]string{"2024-06-21T08:00:01.123Z\t1d3e\tERROR\tError: boom\n    at exports.main (/var/user/index.js:7:23)\n    at process (node:internal:1:1)", "END RequestId: 1d3e"}},
		{"crlf in group", "{\r\n  \"a\": 1\r\n}\r\nnext\r\n", []string{"{\n  \"a\": 1\n}", "next"}},
		{"open group cut by scf start", "{\n  \"a\": 1\nSTART RequestId: 1d3e Version: $LATEST\n",
			[]string{"{\n  \"a\": 1", "START RequestId: 1d3e Version: $LATEST"}},
		{"python chained", "Traceback (most recent call last):\n  File \"a.py\", line 1\nKeyError: 'x'\n\nDuring handling of the above exception, another exception occurred:\n",
			[]string{"Traceback (most recent call last):\n  File \"a.py\", line 1\nKeyError: 'x'", "During handling of the above exception, another exception occurred:"}},
		{"java caused by with more", "java.lang.IllegalStateException: x\n\tat A.b(A.java:1)\nCaused by: com.tencentcloudapi.common.exception.TencentCloudSDKException: y\n\t... 12 more\n",
			[]string{"java.lang.IllegalStateException: x\n\tat A.b(A.java:1)\nCaused by: com.tencentcloudapi.common.exception.TencentCloudSDKException: y\n\t... 12 more"}},
		{"whitespace-only line ends record", "Error: x\n    at f\n   \nnext\n", []string{"Error: x\n    at f", "next"}},
		{"bom on later line", "a\n\xef\xbb\xbfb\n", []string{"a", "b"}},
		{"logback header then exception at column 0", "2024-06-21 08:01:59.548 ERROR 4211 --- [exec-7] c.a.w.FlowClient : invoke failed\ncom.tencentcloudapi.common.exception.TencentCloudSDKException: [TencentCloudSDKException]message:x errorCode:FailedOperation\n\tat com.x.A.b(A.java:1)\n\tat com.x.C.d(C.java:2)\n2024-06-21 08:02:00.000 INFO next\n",
			[]string{"2024-06-21 08:01:59.548 ERROR 4211 --- [exec-7] c.a.w.FlowClient : invoke failed\ncom.tencentcloudapi.common.exception.TencentCloudSDKException: [TencentCloudSDKException]message:x errorCode:FailedOperation\n\tat com.x.A.b(A.java:1)\n\tat com.x.C.d(C.java:2)", "2024-06-21 08:02:00.000 INFO next"}},
		{"python logging header then traceback", "2024-06-21 08:01:25,906 ERROR [weda.client] queryUserId failed\nTraceback (most recent call last):\n  File \"a.py\", line 88, in call\n    raise WedaError()\nweda.errors.WedaError: [FailedOperation] x\nnext\n",
			[]string{"2024-06-21 08:01:25,906 ERROR [weda.client] queryUserId failed\nTraceback (most recent call last):\n  File \"a.py\", line 88, in call\n    raise WedaError()\nweda.errors.WedaError: [FailedOperation] x", "next"}},
		{"info header does not take an exception line", "2024-06-21 08:00:00 INFO started\njava.lang.IllegalStateException: x\n\tat A.b(A.java:1)\n",
			[]string{"2024-06-21 08:00:00 INFO started", "java.lang.IllegalStateException: x\n\tat A.b(A.java:1)"}},
		{"error header does not take a plain line", "2024-06-21 08:00:00 ERROR failed\nConfig: loaded\n",
			[]string{"2024-06-21 08:00:00 ERROR failed", "Config: loaded"}},
		{"syslog-prefixed util.inspect", "Jun 21 08:02:14 app-7f8d weda-app[2314]: ERROR createUser failed Error: x\nJun 21 08:02:14 app-7f8d weda-app[2314]:     at callDataSource (/var/user/index.js:1:2) {\nJun 21 08:02:14 app-7f8d weda-app[2314]:   code: 'FailedOperation',\nJun 21 08:02:14 app-7f8d weda-app[2314]: }\nJun 21 08:02:15 app-7f8d weda-app[2314]: INFO next\n",
			[]string{"Jun 21 08:02:14 app-7f8d weda-app[2314]: ERROR createUser failed Error: x\nJun 21 08:02:14 app-7f8d weda-app[2314]:     at callDataSource (/var/user/index.js:1:2) {\nJun 21 08:02:14 app-7f8d weda-app[2314]:   code: 'FailedOperation',\nJun 21 08:02:14 app-7f8d weda-app[2314]: }", "Jun 21 08:02:15 app-7f8d weda-app[2314]: INFO next"}},
		{"syslog lines of another program stay apart", "Jun 21 08:02:14 h app[1]: ERROR x {\nJun 21 08:02:14 h other[2]:   y\n",
			[]string{"Jun 21 08:02:14 h app[1]: ERROR x {", "Jun 21 08:02:14 h other[2]:   y"}},
		{"timestamp-prefixed object dump", "2024-06-21T08:02:14.758Z ERROR callApis failed {\n2024-06-21T08:02:14.758Z   code: 'FailedOperation',\n2024-06-21T08:02:14.758Z   requestId: 'r'\n2024-06-21T08:02:14.758Z }\n2024-06-21T08:02:15.000Z INFO next\n",
			[]string{"2024-06-21T08:02:14.758Z ERROR callApis failed {\n2024-06-21T08:02:14.758Z   code: 'FailedOperation',\n2024-06-21T08:02:14.758Z   requestId: 'r'\n2024-06-21T08:02:14.758Z }", "2024-06-21T08:02:15.000Z INFO next"}},
		{"timestamped lines with padded levels stay apart", "2024-06-21 08:00:01.000  INFO a\n2024-06-21 08:00:01.001  WARN b\n",
			[]string{"2024-06-21 08:00:01.000  INFO a", "2024-06-21 08:00:01.001  WARN b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := frameAll(t, Auto, tt.input)
			var texts []string
			for _, r := range got {
				texts = append(texts, string(r.Text))
			}
			if strings.Join(texts, "|") != strings.Join(tt.want, "|") {
				t.Fatalf("got %q\nwant %q", texts, tt.want)
			}
		})
	}
}

func TestFramerOffsets(t *testing.T) {
	got := frameAll(t, Auto, "a\nErr\n  at x\nb\n")
	want := [][2]int64{{0, 2}, {2, 13}, {13, 15}}
	if len(got) != len(want) {
		t.Fatalf("got %d records", len(got))
	}
	for i, r := range got {
		if r.Offset != want[i][0] || r.End != want[i][1] {
			t.Errorf("record %d: offset %d..%d, want %d..%d", i, r.Offset, r.End, want[i][0], want[i][1])
		}
	}
}

func TestFramerNoneMode(t *testing.T) {
	got := frameAll(t, None, "Error: x\n    at f\n")
	if len(got) != 2 {
		t.Fatalf("none mode grouped lines: %d records", len(got))
	}
}

func TestFramerLimits(t *testing.T) {
	f := NewFramer("s", "p", Auto, 10, 3)
	var out []Record
	emit := func(r *Record) { c := *r; c.Text = bytes.Clone(r.Text); out = append(out, c) }
	for i, l := range []string{"Error: 0123456789abc", "  at 1", "  at 2", "  at 3"} {
		f.Push(Line{Text: []byte(l), Offset: int64(i * 30), End: int64(i*30 + 30)}, emit)
	}
	f.Flush(emit)
	if len(out) != 2 || len(out[0].Text) != 10 || !out[0].Cut || out[0].Lines != 3 {
		t.Fatalf("limits not applied: %+v", out)
	}
}

func TestBlankIsTrimSpace(t *testing.T) {
	for _, s := range []string{"", " ", "\t", " \t ", "\u3000", "\u3000x", "\u00a0", "x", " x", "~", "\x7f", "\x00", "\v\f", "\xef\xbb\xbf", "{", "好"} {
		if got, want := blank([]byte(s)), len(bytes.TrimSpace([]byte(s))) == 0; got != want {
			t.Errorf("blank(%q) = %v, TrimSpace says %v", s, got, want)
		}
	}
}
