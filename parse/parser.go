package parse

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/wedadiag/wedadiag/record"
)

// Parser turns a record's bytes into an Event, in two steps so that a
// prefilter can look at the text in between: Text makes the bytes UTF-8
// and notes what was wrong with them, Parse reads the text's format into an
// Event. It owns every buffer, reused from record to record; what it
// returns is valid until its next Text. Not safe for concurrent use: one
// per goroutine.
type Parser struct {
	tab    table             // the record's fields
	fields map[string]string // Event.Fields, filled from tab
	arena  []byte            // unescaped strings and nested keys of the record
	obj    objReader
	st     state
	zones  zoneCache         // zones of offsets that are not whole hours
	isCode func(string) bool // whether a string is a code of some rule's vocabulary
	// Loc is the zone of times written without one (nil: the machine's).
	Loc *time.Location
	// SkipFieldMap leaves Event.Fields nil, which saves filling a map
	// with every field of every record; Event.Field still reads them. For
	// a caller that never reads the map (package rules when no rule's
	// expression names Fields).
	SkipFieldMap bool

	bad     []string
	gbk     *encoding.Decoder
	clean   []byte // the record without NUL bytes
	decoded []byte // GBK decoded, or invalid bytes replaced
	unesc   []byte // JSON \u escapes decoded
}

// New returns a Parser. isCode, which may be nil, tells it which strings
// are codes someone looks for, so that "[CODE] message" is read for them
// even when CODE does not have a Tencent Cloud code's shape.
func New(isCode func(string) bool) *Parser {
	return &Parser{tab: newTable(), fields: make(map[string]string), isCode: isCode, gbk: simplifiedchinese.GBK.NewDecoder()}
}

// Text returns the text of rec as UTF-8 (encoding.go): NUL bytes removed,
// GBK-decoded when the record is not UTF-8 but decodes cleanly as GBK,
// invalid bytes replaced otherwise. It starts a record: Bad then lists why
// the bytes were not clean, and broken_json when a record that opens a
// JSON object does not close one (a source declared as json: when a record
// does not open one). The text is valid until the next call. A record
// whose reader checked its bytes already (record.Record.Clean, not Cut) is
// taken as clean without reading them again.
func (p *Parser) Text(rec *record.Record, format string) []byte {
	p.bad = p.bad[:0]
	text := rec.Text
	if rec.Cut {
		p.bad = append(p.bad, BadTooLong)
	}
	nul, valid := false, true
	if !rec.Clean || rec.Cut {
		nul, valid = scanBytes(text)
	}
	if nul {
		p.bad = append(p.bad, BadNUL)
		p.clean = appendWithout(p.clean[:0], text, 0)
		text = p.clean
		valid = utf8.Valid(text)
	}
	if !valid {
		text = p.toUTF8(text)
	}
	if format != InputPlain && format != InputAccess && looksBrokenJSON(text, format == InputJSON) {
		p.bad = append(p.bad, BadJSON)
	}
	return text
}

// Unescaped returns text with its JSON \uXXXX escapes decoded (others
// kept), so that a literal in Chinese is found in JSON written with
// ensure_ascii. It is valid until the next call.
func (p *Parser) Unescaped(text []byte) []byte {
	p.unesc = unescapeJSON(p.unesc[:0], text)
	return p.unesc
}

// Bad lists the reasons, from BadReasons, that the record Text started was
// not clean.
func (p *Parser) Bad() []string { return p.bad }

// Parse fills ev from text, the record's text as Text returned it: ev is
// reset, then Source and Path come from rec and everything else from the
// text. A record that opens a JSON object and breaks off adds broken_json
// to Bad.
//
// Parse copies nothing: ev's strings (Raw, Message, Code…) and its
// fields share the bytes of text and the Parser's buffers. They are valid
// until the Parser's next Text or Parse and while text is unchanged;
// whoever keeps one longer (a sample, a request id in a diagnosis, a
// metric label) keeps a copy (strings.Clone).
func (p *Parser) Parse(ev *Event, rec *record.Record, text []byte, format string) {
	*ev = Event{Source: rec.Source, Path: rec.Path}
	if p.parse(ev, bytesView(text), format) && !slices.Contains(p.bad, BadJSON) {
		p.bad = append(p.bad, BadJSON)
	}
}

// state is one record as the steps read it.
type state struct {
	ev     *Event
	s      string // the record's text, BOM and surrounding space trimmed
	body   string // what the steps before left to read
	format string // the input format its source declared
	broken bool   // the JSON object that opens the body broke off
}

// A step reads what it recognises of a record into the Event, and may
// consume a prefix of the body; done means the record is read.
type step struct {
	name string
	read func(p *Parser, st *state) (done bool)
}

// steps are the readers every record passes through, in this order. A
// format is a file holding its step and an entry here (or its keys in
// keyKinds, or its shape in shapes, fields.go).
var steps = [...]step{
	{"cloud-function control line", readSCFControl}, // scf.go: START, END, Report RequestId
	{"leading time", readLeadingTime},               // time.go, and a "[tag] " or "[LEVEL]\t" before it
	{"cloud-function prefix", readSCFTabbed},        // scf.go: "\t<requestId>\t[LEVEL\t]"
	{"access line", readAccess},                     // access.go
	{"console prefix", readConsole},                 // console.go
	{"level prefix", readLevelPrefix},               // plain.go
	{"mention", readMention},                        // mention.go: metrics, docs, commits
	{"SDK exception", readTCSDK},                    // sdkexception.go
	{"fields", readFields},                          // logfmt.go, json.go, objlit.go, fields.go
	{"wx.cloud text", readWXText},                   // wxcloud.go
	{"bracket code", readBracketCode},               // jssdk.go: "[CODE] message"
	{"text code", readTextCode},                     // code.go: code=X, "Code":"X"
	{"prose code", readProseCode},                   // prose.go: 错误码：N, (code N)
	{"text", readText},                              // plain.go: request id, status, message
}

// parse fills ev from text (valid UTF-8) and reports whether a record that
// opens a JSON object broke off before its end.
func (p *Parser) parse(ev *Event, text, format string) (brokenJSON bool) {
	if len(p.fields) > 0 {
		clear(p.fields)
	}
	p.tab.reset()
	if cap(p.arena) > maxArena {
		p.arena = nil // a huge record's: let it go
	}
	p.arena = p.arena[:0]
	ev.Raw = text
	ev.tab = &p.tab
	ev.Format = FormatPlain

	s := strings.TrimSpace(strings.TrimPrefix(text, "\uFEFF"))
	// The state lives in the Parser: passed to steps through a func value,
	// a local one would escape to the heap on every record.
	st := &p.st
	*st = state{ev: ev, s: s, body: s, format: format}
	for i := range steps {
		if steps[i].read(p, st) {
			break
		}
	}
	broken := st.broken
	*st = state{} // hold no record's text
	if !p.SkipFieldMap {
		for i := range p.tab.list {
			p.fields[p.tab.list[i].key] = p.tab.list[i].val
		}
		ev.Fields = p.fields
	}
	return broken
}

// maxArena is the arena a Parser keeps from record to record.
const maxArena = 1 << 20

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// setField sets field k to v unless it is set (the first writer wins); k
// and v are substrings of the text, or constants.
func (p *Parser) setField(k, v string) { p.tab.add(k, v) }
