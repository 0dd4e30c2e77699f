package parse

// byteSet is a set of ASCII bytes, made once: strings.TrimLeft and
// TrimRight build one from their cutset on every call, which the parse of
// every record pays several times. A table of 256 entries: a look-up is
// one load, which the per-byte loops (prefixLevel's words) feel.
type byteSet [256]bool

func newByteSet(chars string) byteSet {
	var s byteSet
	for i := 0; i < len(chars); i++ {
		c := chars[i]
		if c >= 0x80 {
			panic("parse: byteSet of a non-ASCII byte")
		}
		s[c] = true
	}
	return s
}

func (s *byteSet) has(c byte) bool { return s[c] }

// trimLeft is strings.TrimLeft(x, chars) for the chars of set.
func trimLeft(x string, set *byteSet) string {
	i := 0
	for i < len(x) && set.has(x[i]) {
		i++
	}
	return x[i:]
}

// trimRight is strings.TrimRight(x, chars) for the chars of set.
func trimRight(x string, set *byteSet) string {
	i := len(x)
	for i > 0 && set.has(x[i-1]) {
		i--
	}
	return x[:i]
}

// trim is strings.Trim(x, chars) for the chars of set.
func trim(x string, set *byteSet) string { return trimRight(trimLeft(x, set), set) }

// Sets of the parsers' trims.
var (
	blanks        = newByteSet(" \t")
	lineEndBlanks = newByteSet(" \t\r")
	blanksAll     = newByteSet("\t\n\v\f\r ") // ASCII space as unicode.IsSpace has it
	timeTail      = newByteSet(" ,|")
	codeQuotes    = newByteSet(" \t\r\n\"'`")
	keyTail       = newByteSet(" :")
)
