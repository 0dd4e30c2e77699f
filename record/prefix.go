package record

// The prefixes a logger or a log shipper writes before every physical line
// of a message (syslog's, a timestamp's): the Framer looks for one once a
// line, to tell whether the line goes on with the record before it.

import (
	"bytes"
	"encoding/binary"
)

// prefixKind is the kind of prefix a logger or a log shipper writes before
// every physical line of a multi-line message.
type prefixKind uint8

const (
	prefixNone   prefixKind = iota
	prefixSyslog            // "Jun 21 08:02:14 host app[2314]: "
	prefixTime              // "2024-06-21T08:02:14.758Z " (kubectl --timestamps, CI runners)
)

// linePrefix returns the length and kind of a syslog or timestamp prefix
// at the start of b (its separator included), or 0 and prefixNone.
func linePrefix(b []byte) (int, prefixKind) {
	if n := syslogPrefix(b); n > 0 {
		return n, prefixSyslog
	}
	if n := timePrefix(b); n > 0 {
		return n, prefixTime
	}
	return 0, prefixNone
}

// syslogPrefix matches "Mmm dd hh:mm:ss host tag[pid]: " (RFC 3164).
func syslogPrefix(b []byte) int {
	if len(b) < 16 || !isUpper(b[0]) || !isLower(b[1]) || !isLower(b[2]) || b[3] != ' ' {
		return 0
	}
	i := 4
	if b[i] == ' ' {
		i++
	}
	d := i
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	if i == d || i-d > 2 || i+9 > len(b) || b[i] != ' ' {
		return 0
	}
	i++
	if !isClock(b[i:]) {
		return 0
	}
	i += 8
	if i >= len(b) || b[i] != ' ' {
		return 0
	}
	// host and tag: "host tag[pid]: ", within 128 bytes.
	for j := i + 1; j+1 < len(b) && j < i+128; j++ {
		if b[j] == ':' && b[j+1] == ' ' {
			return j + 2
		}
		if b[j] == '\n' {
			break
		}
	}
	return 0
}

// syslogTag returns the host and tag of a syslog prefix (what follows its
// time), by which lines of one message are told from another program's.
func syslogTag(p []byte) []byte {
	if i := bytes.IndexByte(p, ':'); i >= 0 {
		if j := bytes.IndexByte(p[i:], ' '); j >= 0 {
			return p[i+j:]
		}
	}
	return p
}

// timePrefix matches "2024-06-21T08:02:14[.frac][Z|±hh:mm] " or the same
// with a space between date and time, and one space or tab after it.
func timePrefix(b []byte) int {
	if len(b) < 20 || !digitsAround(binary.LittleEndian.Uint64(b), dateSeps, dateSepMask) ||
		!isDigit(b[8]) || !isDigit(b[9]) || b[10] != 'T' && b[10] != ' ' || !isClock(b[11:]) {
		return 0
	}
	i := 19
	if i < len(b) && (b[i] == '.' || b[i] == ',') {
		i++
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	if i < len(b) && b[i] == 'Z' {
		i++
	} else if i+6 <= len(b) && (b[i] == '+' || b[i] == '-') && isDigit(b[i+1]) && isDigit(b[i+2]) {
		i += 3
		if b[i] == ':' {
			i++
		}
		for k := 0; k < 2 && i < len(b) && isDigit(b[i]); k++ {
			i++
		}
	}
	if i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		return i + 1
	}
	return 0
}

func isClock(b []byte) bool {
	return len(b) >= 8 && digitsAround(binary.LittleEndian.Uint64(b), clockSeps, clockSepMask)
}

// The separators of "2024-06-" and "08:02:14", little-endian, and their
// places: the eight bytes of a date's start and of a clock, told at once
// (every line is asked whether it starts with a timestamp).
const (
	dateSeps     = 0x2d00002d00000000 // '-' at 4 and 7
	dateSepMask  = 0xff0000ff00000000
	clockSeps    = 0x00003a00003a0000 // ':' at 2 and 5
	clockSepMask = 0x0000ff0000ff0000
)

// digitsAround reports whether the eight bytes of w hold seps where
// sepMask has them and a digit everywhere else: every other byte's high
// nibble is 3 and stays 3 when 6 is added (0x30-0x39; the sum carries
// into no other byte, as every byte is at most 0x3f by then).
func digitsAround(w, seps, sepMask uint64) bool {
	const hi, three, six = 0xf0f0f0f0f0f0f0f0, 0x3030303030303030, 0x0606060606060606
	d := w &^ sepMask
	return w&sepMask == seps && d&hi == three&^sepMask && (d+six&^sepMask)&hi == three&^sepMask
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isLower(c byte) bool { return c >= 'a' && c <= 'z' }
