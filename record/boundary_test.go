package record

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// boundaryPieces are the records and fragments a split may fall among:
// plain lines, JSON lines, stack traces, tracebacks (also behind a prefix),
// pretty-printed objects with unindented and dated lines inside, blank
// lines, CRLF, a byte-order mark and lines that open a group never closed.
var boundaryPieces = []string{
	"2024-06-21 08:00:01 INFO ok %d",
	`{"level":"info","msg":"page %d","cost_ms":12}`,
	"2024-06-21 08:00:02 ERROR boom %d\n\tat a.b.C.d(C.java:1)\n\tat a.b.E.f(E.java:2)\nCaused by: x.Y: z\n\t... 3 more",
	"Traceback (most recent call last):\n  File \"a.py\", line %d, in <module>\n    f()\nValueError: bad",
	"2024-06-21T08:00:03Z\tabc\tERROR\tTraceback (most recent call last):\n  File \"h.py\", line 2\n2024-06-21 08:00:04 taken by the traceback %d",
	"Traceback (most recent call last):\n2024-06-21 08:00:05 the traceback's last line %d",
	"result: {\n  \"code\": %d,\nunindented inside\n2024-06-21 08:00:06 a date ends the group\n}",
	"{\n  \"Response\": {\n    \"Error\": {\"Code\": \"InvalidParameter\", \"Message\": \"m%d\"}\n  }\n}",
	"config [\n\n  1,\n  2 %d\n]",
	"opened and never closed {\nplain %d\n{\"level\":\"info\"}",
	"",
	"   ",
	"2024-06-21 08:00:07 WARN crlf %d\r",
	"\xef\xbb\xbf2024-06-21 08:00:08 INFO bom %d",
	"START RequestId: r-%d Version: $LATEST",
	") trailing %d",
	"... %d more",
	// A logger's header, then the exception at column 0 (also loose).
	"2024-06-21 08:00:09 ERROR [main] c.a.Svc - invoke failed %d\ncom.acme.WedaException: boom\n\tat a.b.C.d(C.java:1)",
	"2024-06-21 08:00:10 WARN header alone %d",
	"com.acme.FooException: loose %d",
	"Traceback (most recent call last): %d",
	// Lines behind a syslog or timestamp prefix that continue a record.
	"Jun 21 08:02:14 host app[23]: { err: 'x',\nJun 21 08:02:14 host app[23]:   code: %d }",
	"Jun 21 08:02:15 host app[23]:     at f (a.js:%d)",
	"2024-06-21T08:02:14.758Z { a: %d,\n2024-06-21T08:02:14.758Z   b: 2 }",
	"2024-06-21T08:02:15.001Z     at g (b.js:%d)",
}

func randomLog(rng *rand.Rand, n int) string {
	var b strings.Builder
	for i := range n {
		p := boundaryPieces[rng.IntN(len(boundaryPieces))]
		if strings.Contains(p, "%d") {
			p = fmt.Sprintf(p, i)
		}
		b.WriteString(p)
		b.WriteByte('\n')
	}
	return b.String()
}

// Framing a stream in two parts split at NextBoundary gives the records
// framing it whole gives, wherever the nominal split point and the window
// fall.
func TestNextBoundarySplitsExactly(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 3))
	found := 0
	for iter := range 3000 {
		mode := Auto
		if iter%5 == 0 {
			mode = None
		}
		input := randomLog(rng, 5+rng.IntN(60))
		at := rng.IntN(len(input))
		lo := max(at-rng.IntN(400), 0)
		hi := min(at+rng.IntN(400), len(input))
		b := NextBoundary([]byte(input[lo:hi]), at-lo, lo == 0, mode, 0)
		if b < 0 {
			continue
		}
		found++
		split := lo + b
		if split < at || (split > 0 && input[split-1] != '\n') {
			t.Fatalf("boundary %d: before %d or not at a line start", split, at)
		}
		whole := frameAll(t, mode, input)
		parts := frameAll(t, mode, input[:split])
		for _, r := range frameAll(t, mode, input[split:]) {
			r.Offset += int64(split)
			r.End += int64(split)
			parts = append(parts, r)
		}
		if !reflect.DeepEqual(whole, parts) {
			t.Fatalf("mode %d, split at %d (asked %d, window %d-%d):\n%q\nwhole: %d records, parts: %d", mode, split, at, lo, hi, input, len(whole), len(parts))
		}
	}
	if found < 1000 {
		t.Fatalf("only %d of 3000 windows showed a boundary", found)
	}
}

// A window whose lines could all still belong to a group opened before it
// shows no boundary but a hard one (a date after a whole plain line).
func TestNextBoundaryUnknownHistory(t *testing.T) {
	window := []byte("partial line\n{\"a\":1}\n{\"a\":2}\n  indented\n")
	if b := NextBoundary(window, 0, false, Auto, 0); b != -1 {
		t.Fatalf("boundary at %d inside what may be an open group", b)
	}
	window = append(window, "x\n2024-06-21 08:00:01 INFO ok\n"...)
	if b := NextBoundary(window, 0, false, Auto, 0); b != len(window)-len("2024-06-21 08:00:01 INFO ok\n") {
		t.Fatalf("boundary at %d, want the dated line", b)
	}
}
