package containerlog

import (
	"bytes"
	"encoding/json"
	"time"
)

// Formats a source may declare.
const (
	CRI    = "cri"
	Docker = "docker"
	Auto   = "auto" // each line told apart: CRI, docker, or neither (passed on as it is)
)

// Line is one container log line, unwrapped.
type Line struct {
	// Stream is stdout or stderr.
	Stream string
	// Time is the runtime's timestamp of the line.
	Time time.Time
	// Text is the content without the trailing newline.
	Text []byte
	// Partial reports a piece of a longer line: the next pieces of the same
	// stream follow, up to one that is not partial.
	Partial bool
	// Inner reports that Text is the file line's own bytes from some
	// offset to its end (CRI), not decoded from them (docker's JSON).
	Inner bool
}

// Unwrap reads one line of a container log file in format (CRI, Docker or
// Auto) and reports whether it is one.
func Unwrap(format string, b []byte) (Line, bool) {
	return unwrap(format, b, nil)
}

// unwrapState is what a source keeps from line to line to unwrap the
// next faster: the second of the last timestamp read, and a buffer for
// docker's decoded text (valid until the next line).
type unwrapState struct {
	second lastSecond
	text   []byte
}

// unwrap is Unwrap, with st kept from line to line (nil: nothing kept).
func unwrap(format string, b []byte, st *unwrapState) (Line, bool) {
	var ts *lastSecond
	if st != nil {
		ts = &st.second
	}
	switch format {
	case CRI:
		return unwrapCRI(b, ts)
	case Docker:
		return unwrapDocker(b, st)
	}
	// Docker writes its keys in this order; anything else that opens an
	// object is some app's JSON, not worth decoding twice.
	if bytes.HasPrefix(b, []byte(`{"log":`)) {
		return unwrapDocker(b, st)
	}
	if len(b) > 0 && b[0] >= '0' && b[0] <= '9' {
		return unwrapCRI(b, ts)
	}
	return Line{}, false
}

// unwrapCRI reads "TIMESTAMP SP STREAM SP TAG SP CONTENT", TAG a
// ':'-separated list whose first element is P (partial) or F (full), as
// the kubelet writes and reads it.
func unwrapCRI(b []byte, ts *lastSecond) (Line, bool) {
	sp := bytes.IndexByte(b, ' ')
	if sp < 20 || sp > 40 {
		return Line{}, false
	}
	t, ok := ts.parse(b[:sp])
	if !ok {
		return Line{}, false
	}
	rest := b[sp+1:]
	var stream string
	switch {
	case bytes.HasPrefix(rest, []byte("stdout ")):
		stream = "stdout"
	case bytes.HasPrefix(rest, []byte("stderr ")):
		stream = "stderr"
	default:
		return Line{}, false
	}
	rest = rest[len(stream)+1:]
	tag := rest
	content := []byte(nil)
	if i := bytes.IndexByte(rest, ' '); i >= 0 {
		tag, content = rest[:i], rest[i+1:]
	}
	if j := bytes.IndexByte(tag, ':'); j >= 0 {
		tag = tag[:j]
	}
	var partial bool
	switch string(tag) {
	case "P":
		partial = true
	case "F":
	default:
		return Line{}, false
	}
	return Line{Stream: stream, Time: t, Text: content, Partial: partial, Inner: true}, true
}

// dockerLine is one line of docker's json-file driver.
type dockerLine struct {
	Log    *string   `json:"log"`
	Stream string    `json:"stream"`
	Time   time.Time `json:"time"`
}

// unwrapDocker reads {"log":"…\n","stream":"stdout","time":"…"}; a log
// without its trailing newline is a piece of a line longer than 16 KB.
// The line exactly as docker's json-file driver writes it is read by hand
// (dockerFast); any other is decoded by encoding/json, whose results the
// hand reading gives.
func unwrapDocker(b []byte, st *unwrapState) (Line, bool) {
	if l, ok, sure := dockerFast(b, st); sure {
		return l, ok
	}
	return dockerJSON(b)
}

// dockerJSON is unwrapDocker by encoding/json alone.
func dockerJSON(b []byte) (Line, bool) {
	var d dockerLine
	if len(b) == 0 || b[0] != '{' || json.Unmarshal(b, &d) != nil || d.Log == nil ||
		(d.Stream != "stdout" && d.Stream != "stderr") || d.Time.IsZero() {
		return Line{}, false
	}
	text := []byte(*d.Log)
	partial := true
	if n := len(text); n > 0 && text[n-1] == '\n' {
		text, partial = text[:n-1], false
		if n := len(text); n > 0 && text[n-1] == '\r' {
			text = text[:n-1]
		}
	}
	return Line{Stream: d.Stream, Time: d.Time, Text: text, Partial: partial}, true
}
