package record

import "bytes"

// NextBoundary returns the offset in buf of the first line that starts at or
// after from and at which a Framer of mode, maxLineBytes and DefaultMaxLines
// starts a new record whatever it held before: the point where a file may be
// split into ranges that are framed apart and give the records one framer
// gives. It returns -1 when buf shows none.
//
// buf is a window of the stream; atStart says it begins at the stream's
// first byte. Otherwise its first, partial line is unknown, and so is what
// came before it. A line is a boundary when it cannot continue a record:
//   - mode None: every line;
//   - it begins with a date, a traceback header or a "START RequestId:" (no
//     group takes it, the braces group included), and the line before it is
//     a whole, unindented, non-empty line that is not a traceback header (a
//     traceback held open takes any line);
//   - it does not look like a continuation (indent, closing bracket, "at ",
//     "Caused by", "... "), and none of the DefaultMaxLines lines before it
//     could open a group (a record holds at most that many lines).
func NextBoundary(buf []byte, from int, atStart bool, mode Mode, maxLineBytes int) int {
	if maxLineBytes <= 0 {
		maxLineBytes = DefaultMaxBytes
	}
	i := 0
	lastOpener := -1 // the partial first line, or what came before, may open a group
	if !atStart {
		nl := bytes.IndexByte(buf, '\n')
		if nl < 0 {
			return -1
		}
		i = nl + 1
	} else {
		lastOpener = -DefaultMaxLines - 1
	}
	var prev []byte
	prevKnown := atStart // at the stream's start there is no line before
	for idx := 0; i < len(buf); idx++ {
		end := bytes.IndexByte(buf[i:], '\n')
		if end < 0 {
			return -1 // the last line may run on past the window
		}
		raw := buf[i : i+end]
		text := trimLine(raw)
		if i >= from && isBoundary(text, prev, prevKnown, mode, idx-lastOpener >= DefaultMaxLines) {
			return i
		}
		if len(raw) > maxLineBytes || mayOpen(text) {
			lastOpener = idx
		}
		prev, prevKnown = text, len(raw) <= maxLineBytes
		i += end + 1
	}
	return -1
}

func isBoundary(text, prev []byte, prevKnown bool, mode Mode, noGroup bool) bool {
	if mode == None {
		return true
	}
	if len(bytes.TrimSpace(text)) == 0 {
		return false
	}
	// A logger's error header takes the exception printed below it at
	// column 0, and a line behind a syslog or timestamp prefix continues a
	// record of that prefix when what follows the prefix does: neither is a
	// safe place to split.
	if prev != nil && errorHeader(prev) && exceptionLine(text) || prefixedContinuation(text) {
		return false
	}
	if startsNewRecord(text) && prevKnown && (prev == nil || closesTraceback(prev)) {
		return true
	}
	return noGroup && !looksContinued(text)
}

// prefixedContinuation reports a line whose syslog or timestamp prefix is
// followed by what continues a record (an indent, "at ", a closing bracket).
func prefixedContinuation(text []byte) bool {
	n, k := linePrefix(text)
	if k == prefixNone || n >= len(text) {
		return false
	}
	rest := text[n:]
	switch rest[0] {
	case ' ', '\t', '}', ']':
		return true
	}
	return continuation(rest)
}

// closesTraceback reports whether a line leaves no traceback open after
// it: it is neither empty nor indented (a traceback's last line closes
// it) and is not a traceback header.
func closesTraceback(p []byte) bool {
	return len(p) > 0 && p[0] != ' ' && p[0] != '\t' && !bytes.HasSuffix(trimRightBlank(p), pyTraceback) &&
		!bytes.HasPrefix(p, pyTraceback) // below an error header, a traceback's first line opens it

}

// mayOpen reports whether a line, as a record's first, would open a group.
func mayOpen(text []byte) bool {
	return opensGroup(text) || bytes.HasSuffix(trimRightBlank(text), pyTraceback) || bytes.HasPrefix(text, pyTraceback)
}

// looksContinued reports whether a line continues a plain record (the
// groupNone rules of Framer.continues).
func looksContinued(text []byte) bool {
	switch text[0] {
	case ' ', '\t', '}', ']', ')':
		return true
	}
	return stackLine(text)
}
