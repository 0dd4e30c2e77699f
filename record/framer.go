package record

import "bytes"

// Mode selects how a Framer groups lines.
type Mode int

const (
	// Auto groups continuation lines (stack traces, tracebacks, pretty-printed
	// objects) with the line that opened them.
	Auto Mode = iota
	// None makes every line its own record.
	None
)

// ParseMode turns the configuration words "auto" and "none" into a Mode.
func ParseMode(s string) (Mode, bool) {
	switch s {
	case "", "auto":
		return Auto, true
	case "none":
		return None, true
	}
	return Auto, false
}

// Defaults for a Framer's limits.
const (
	DefaultMaxBytes = 1 << 20
	DefaultMaxLines = 1000
)

type group int

const (
	groupNone   group = iota // a plain line; indented lines may follow
	groupBraces              // a pretty-printed object: continues until balanced
	groupPython              // a Python traceback: ends with its unindented last line
)

// A Framer groups physical lines into Records. It is not safe for concurrent
// use; each file being read owns one. The zero value is not usable; use
// NewFramer.
type Framer struct {
	mode     Mode
	maxBytes int
	maxLines int

	pending bool
	rec     Record
	buf     []byte
	group   group
	depth   int

	pfxKind prefixKind // the prefix every line of the held record repeats
	pfxTag  []byte     // for a syslog prefix, its host and tag
	// errHead reports that the held record's first line names an error or
	// warning level; it is worked out when a line asks (errHeadKnown): an
	// exception line at column 0 is rare, a record's first line is not.
	errHead, errHeadKnown bool
}

// NewFramer returns a Framer for records of the given source and path. A
// maxBytes or maxLines of 0 takes the default.
func NewFramer(source, path string, mode Mode, maxBytes, maxLines int) *Framer {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if maxLines <= 0 {
		maxLines = DefaultMaxLines
	}
	return &Framer{
		mode:     mode,
		maxBytes: maxBytes,
		maxLines: maxLines,
		rec:      Record{Source: source, Path: path},
	}
}

// Pending reports whether a record is held, waiting for a line that tells
// whether it continues.
func (f *Framer) Pending() bool { return f.pending }

// PendingOffset returns the offset of the held record's first byte, or -1
// when none is held. Everything before it has been emitted.
func (f *Framer) PendingOffset() int64 {
	if !f.pending {
		return -1
	}
	return f.rec.Offset
}

// Push adds the next physical line. It calls emit for each record that the
// line completes: usually the record held before it, sometimes the record
// the line itself closes. emit must not keep rec.Text after it returns.
func (f *Framer) Push(l Line, emit func(*Record)) {
	text := trimLine(l.Text)
	if f.pending && f.mode == Auto && f.rec.Lines == 1 && f.group == groupNone && exceptionLine(text) && f.errorHead() {
		// A logger's header line, then the exception it logs at column 0:
		// "… ERROR … : invoke failed" / "com.x.FooException: msg" / "\tat …".
		if bytes.HasPrefix(text, pyTraceback) {
			f.group = groupPython
		}
		f.add(text, l)
		return
	}
	// The line's syslog or timestamp prefix, looked for once: whether the
	// line continues the held record, and how a record it starts goes on.
	var pfx int
	var pfxKind prefixKind
	if f.mode == Auto {
		pfx, pfxKind = linePrefix(text)
	}
	if f.pending && f.mode == Auto && f.continues(text, pfx, pfxKind) {
		f.add(text, l)
		if f.closed(text) {
			f.emit(emit)
		}
		return
	}
	if f.pending {
		f.emit(emit)
	}
	if blank(text) {
		// An empty line ends whatever was held and is not a record itself.
		return
	}
	f.start(text, l, pfx, pfxKind)
	if f.mode == None {
		f.emit(emit)
	}
}

// Flush emits the held record, if any. The tailer calls it when a file has
// been quiet for a moment, scan at the end of a file.
func (f *Framer) Flush(emit func(*Record)) {
	if f.pending {
		f.emit(emit)
	}
}

// Reset drops the held record without emitting it, for a file that was
// truncated or replaced under the reader.
func (f *Framer) Reset() {
	f.pending = false
	f.buf = f.buf[:0]
}

// start holds text as a new record's first line; n and kind are its
// prefix (linePrefix; 0 and prefixNone in mode None).
func (f *Framer) start(text []byte, l Line, n int, kind prefixKind) {
	f.pending = true
	f.buf = f.buf[:0]
	f.rec.Offset = l.Offset
	f.rec.Lines = 0
	f.rec.Cut = false
	f.rec.Clean = true
	f.group = groupNone
	f.depth = 0
	f.pfxKind, f.errHead, f.errHeadKnown = prefixNone, false, false
	if f.mode == Auto {
		f.pfxKind = kind
		if f.pfxKind == prefixSyslog {
			f.pfxTag = append(f.pfxTag[:0], syslogTag(text[:n])...)
		}
		if len(text) > f.maxBytes {
			// The held text will be cut: look at the whole line now.
			f.errHead, f.errHeadKnown = errorHeader(text), true
		}
		switch {
		case endsTraceback(text):
			// Also behind a prefix: "<time>\t<requestId>\tERROR\tTraceback …"
			// as a cloud function's Python runtime prints it.
			f.group = groupPython
		case opensGroup(text):
			f.group = groupBraces
		}
	}
	f.add(text, l)
}

// errorHead reports whether the held record's first line names an error
// or warning level (errorHeader); it holds that line whole, or has been
// told already.
func (f *Framer) errorHead() bool {
	if !f.errHeadKnown {
		f.errHead, f.errHeadKnown = errorHeader(f.buf), true
	}
	return f.errHead
}

func (f *Framer) add(text []byte, l Line) {
	if f.rec.Lines > 0 {
		if len(f.buf) < f.maxBytes {
			f.buf = append(f.buf, '\n')
		} else {
			f.rec.Cut = true
		}
	}
	room := f.maxBytes - len(f.buf)
	if room < 0 {
		room = 0
	}
	if len(text) > room {
		f.buf = append(f.buf, text[:room]...)
		f.rec.Cut = true
	} else {
		f.buf = append(f.buf, text...)
	}
	if l.Cut {
		f.rec.Cut = true
	}
	if !l.Clean {
		f.rec.Clean = false
	}
	if f.group == groupBraces {
		f.depth += braceBalance(text)
	}
	f.rec.Lines++
	f.rec.End = l.End
}

func (f *Framer) emit(emit func(*Record)) {
	f.pending = false
	f.rec.Text = f.buf
	emit(&f.rec)
	f.rec.Text = nil
	f.buf = f.buf[:0]
}

// continues reports whether text, of prefix n and k (linePrefix),
// continues the held record.
func (f *Framer) continues(text []byte, n int, k prefixKind) bool {
	if f.rec.Lines >= f.maxLines {
		return false
	}
	if f.pfxKind != prefixNone {
		// syslog or a timestamp on every line: what follows the prefix
		// tells whether the line continues the record.
		if k == f.pfxKind {
			if k == prefixSyslog && !bytes.Equal(syslogTag(text[:n]), f.pfxTag) {
				return false // another program's line
			}
			return continuation(text[n:]) || f.group == groupBraces && f.depth > 0 && len(text) > n &&
				(text[n] == ' ' || text[n] == '\t' || text[n] == '}' || text[n] == ']')
		}
	}
	switch f.group {
	case groupBraces:
		if f.depth > 0 {
			return !startsNewRecord(text)
		}
	case groupPython:
		return true
	}
	if len(text) == 0 {
		return false
	}
	switch text[0] {
	case ' ', '\t':
		return len(bytes.TrimSpace(text)) > 0
	case '}', ']', ')':
		return true
	}
	return stackLine(text)
}

// closed reports whether the line just added completes the held record.
func (f *Framer) closed(text []byte) bool {
	switch f.group {
	case groupBraces:
		return f.depth <= 0
	case groupPython:
		// The traceback's last line is its first unindented line after the
		// header: "ValueError: message".
		return len(text) > 0 && text[0] != ' ' && text[0] != '\t' && f.rec.Lines > 1
	}
	return false
}

var (
	pyTraceback = []byte("Traceback (most recent call last):")
	atPrefix    = []byte("at ")
	causedBy    = []byte("Caused by")
	morePrefix  = []byte("... ")
	bom         = []byte("\xef\xbb\xbf")
)

// trimLine strips a trailing '\r' and a leading byte-order mark.
func trimLine(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	if len(b) > 0 && b[0] == bom[0] {
		b = bytes.TrimPrefix(b, bom)
	}
	return b
}

// blank reports whether b holds only white space (bytes.TrimSpace would
// leave nothing), looking no further than its first byte when that is
// printable ASCII, as in nearly every line.
func blank(b []byte) bool {
	if len(b) > 0 && b[0] > ' ' && b[0] < 0x7f {
		return false
	}
	return len(bytes.TrimSpace(b)) == 0
}

// endsTraceback reports whether a line ends with a Python traceback's
// header (trailing blanks aside); most lines do not end with its colon.
func endsTraceback(text []byte) bool {
	t := trimRightBlank(text)
	return len(t) > 0 && t[len(t)-1] == ':' && bytes.HasSuffix(t, pyTraceback)
}

// opensGroup reports whether a record's first line opens a pretty-printed
// object or array: it ends with an opening bracket that is not closed.
func opensGroup(text []byte) bool {
	t := trimRightBlank(text)
	if len(t) == 0 {
		return false
	}
	last := t[len(t)-1]
	if last != '{' && last != '[' {
		return false
	}
	return braceBalance(t) > 0
}

// startsNewRecord reports whether a line inside an unbalanced group is more
// likely the start of a new record than part of the group: it begins with a
// date such as 2024-06-21 or a bracketed level, at column 0.
func startsNewRecord(text []byte) bool {
	if len(text) >= 5 && isDigit(text[0]) && isDigit(text[1]) && isDigit(text[2]) &&
		isDigit(text[3]) && (text[4] == '-' || text[4] == '/') {
		return true
	}
	return bytes.HasPrefix(text, pyTraceback) || bytes.HasPrefix(text, []byte("START RequestId:"))
}

// trimRightBlank drops trailing spaces and tabs (bytes.TrimRight builds a
// set on every call; this runs once per line).
func trimRightBlank(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// braceBalance counts opening minus closing brackets outside quoted strings.
func braceBalance(b []byte) int {
	n := 0
	var quote byte
	for i := 0; i < len(b); i++ {
		c := b[i]
		if quote != 0 {
			switch c {
			case '\\':
				i++
			case quote:
				quote = 0
			}
			continue
		}
		switch c {
		case '"', '\'', '`':
			quote = c
		case '{', '[':
			n++
		case '}', ']':
			n--
		}
	}
	return n
}

// continuation reports whether what follows a line's prefix continues the
// message before it: indented text that is not a padded level word, a
// closing bracket, a stack frame, "Caused by", "... n more".
func continuation(rest []byte) bool {
	if len(rest) == 0 {
		return false
	}
	switch rest[0] {
	case ' ', '\t':
		t := bytes.TrimLeft(rest, " \t")
		return len(t) > 0 && !levelWord(t)
	case '}', ']', ')':
		return true
	}
	return stackLine(rest)
}

// stackLine reports whether text opens as a stack frame does ("at "),
// with "Caused by" or with "... " (of "... 12 more"): a continuation
// wherever it stands. Most lines are told by their first byte.
func stackLine(text []byte) bool {
	if len(text) == 0 {
		return false
	}
	switch text[0] {
	case 'a':
		return bytes.HasPrefix(text, atPrefix)
	case 'C':
		return bytes.HasPrefix(text, causedBy)
	case '.':
		return bytes.HasPrefix(text, morePrefix)
	}
	return false
}

var levelWords = [...]string{"TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "WARNING", "ERROR", "FATAL", "SEVERE", "CRITICAL"}

// levelWord reports whether t opens with an upper-case level word (a
// level padded to a column, not a continuation).
func levelWord(t []byte) bool {
	for _, w := range levelWords {
		if bytes.HasPrefix(t, []byte(w)) && (len(t) == len(w) || !isUpper(t[len(w)])) {
			return true
		}
	}
	return false
}

// errorHeader reports whether a record's first line names an error or a
// warning level as a word: the header a logger writes before the
// exception it logs.
func errorHeader(text []byte) bool {
	for _, w := range [...]string{"ERROR", "FATAL", "SEVERE", "WARN"} {
		i := bytes.Index(text, []byte(w))
		if i < 0 {
			continue
		}
		end := i + len(w)
		if (i == 0 || !isWordChar(text[i-1])) && (end == len(text) || !isWordChar(text[end]) || w == "WARN" && text[end] == 'I') {
			return true
		}
	}
	return false
}

func isWordChar(c byte) bool { return isUpper(c) || isLower(c) || isDigit(c) || c == '_' }

// exceptionLine reports whether a line at column 0 is an exception a
// logger prints below its header: "com.tencentcloudapi.common.exception.
// TencentCloudSDKException: …", "java.lang.IllegalStateException",
// "WedaError: …", or a Python traceback's first line.
func exceptionLine(text []byte) bool {
	if len(text) == 0 || !isUpper(text[0]) && !isLower(text[0]) {
		return false // most lines: a time, a bracket, an address
	}
	if bytes.HasPrefix(text, pyTraceback) {
		return true
	}
	i := 0
	for i < len(text) && (isWordChar(text[i]) || text[i] == '.' || text[i] == '$') {
		i++
	}
	if i == 0 || !isUpper(text[0]) && !isLower(text[0]) || i < len(text) && text[i] != ':' {
		return false
	}
	name := text[:i]
	if j := bytes.LastIndexByte(name, '.'); j >= 0 {
		name = name[j+1:]
	}
	return bytes.HasSuffix(name, []byte("Exception")) || bytes.HasSuffix(name, []byte("Error")) ||
		bytes.HasSuffix(name, []byte("Throwable"))
}
