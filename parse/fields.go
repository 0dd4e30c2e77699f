package parse

import (
	"slices"
	"strconv"
	"strings"
)

// readFields reads the record's fields: logfmt pairs and JSON or
// JavaScript objects, as far as the declared format allows; then derives
// the Event's fields from them (and from the fields steps before set).
// logfmt comes first when the body opens with a pair (an object may be one
// of its values), else only when no object was found.
func readFields(p *Parser, st *state) bool {
	ev, body, format := st.ev, st.body, st.format
	structured := format != InputPlain && format != InputAccess
	pairFirst := structured && format != InputJSON && startsWithPair(body)
	if pairFirst && p.logfmt(body) {
		ev.Format = FormatLogfmt
	}
	objStart := -1
	if structured {
		objStart = strings.IndexByte(body, '{')
		if objStart > 0 && inMetricLabels(body, objStart+1) {
			objStart = -1 // name{code="X"} 0: a metric's labels, not an object
		}
	}
	if objStart >= 0 {
		broken := p.objects(body, objStart)
		if broken && objStart == 0 {
			st.broken = true
		}
	}
	if structured && format != InputJSON && !pairFirst && len(p.keys) == 0 && p.logfmt(body) {
		ev.Format = FormatLogfmt
	}
	if len(p.keys) > 0 {
		p.structured(ev)
	}
	return false
}

// What a field names, by its flattened key.
const (
	kindNone = iota
	kindCode
	kindMsg
	kindLevel
	kindTime
	kindRequestID
	kindStatus
	numKinds
)

// keyKinds lists, for each kind, the flattened keys that name it, the most
// preferred first. A format whose records name a field differently adds its
// key here, in its place in the order (SCF_Message is how CLS ships a cloud
// function's message).
var keyKinds = [numKinds][]string{
	kindCode: {"Response.Error.Code", "errorCode", "errCode", "errcode", "error_code", "ErrorCode", "err_code", "ErrCode",
		"code", "Code"},
	kindMsg: {"msg", "message", "Message", "errMsg", "errmsg", "errorMessage", "ErrorMessage", "error_message", "err_msg",
		"errorMsg", "log", "SCF_Message", "ret_msg", "__CONTENT__", "@m", "@mt"},
	kindLevel: {"level", "lvl", "severity", "levelname", "loglevel", "log_level", "Level", "Severity", "LogLevel", "@l",
		"log.level", "SCF_Level"},
	kindTime: {"time", "timestamp", "ts", "@timestamp", "datetime", "Time", "Timestamp", "@t", "asctime", "logtime", "date",
		"SCF_LogTime", "__TIMESTAMP__"},
	kindRequestID: {"Response.RequestId", "RequestId", "requestId", "request_id", "requestID", "RequestID", "reqId", "req_id",
		"x-request-id", "SCF_RequestId", "request-id", "x_request_id"},
	kindStatus: {"statusCode", "status", "StatusCode", "status_code", "SCF_StatusCode", "httpStatus", "http_status", "Status",
		"res.statusCode", "response.status"},
}

// codeKeys are the keys of a code nested in an error object (error.code,
// originError.Code): the code keys but Response.Error.Code.
var codeKeys = keyKinds[kindCode][1:]

// errMsgKeys are the keys (last segments) of the message beside a code, the
// most preferred first.
var errMsgKeys = []string{"Message", "message", "msg", "errMsg", "errmsg", "errorMessage", "ErrorMessage", "error_message",
	"err_msg", "errorMsg", "Msg", "ret_msg"}

// keyIndex finds a key in ordered key tables about as fast as a switch
// over them would: a binary search by length, then by bytes. Read-only
// once built.
type keyIndex []keyEntry

type keyEntry struct {
	key        string
	kind, rank int // the key's table, and its place there
}

func newKeyIndex(tables ...[]string) keyIndex {
	var x keyIndex
	for kind, keys := range tables {
		for rank, k := range keys {
			x = append(x, keyEntry{k, kind, rank})
		}
	}
	slices.SortFunc(x, func(a, b keyEntry) int { return cmpKey(a.key, b.key) })
	return x
}

func cmpKey(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// find returns k's entry.
func (x keyIndex) find(k string) (keyEntry, bool) {
	lo, hi := 0, len(x)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if c := cmpKey(x[m].key, k); c == 0 {
			return x[m], true
		} else if c < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return keyEntry{}, false
}

var (
	keyKindIndex = newKeyIndex(keyKinds[:]...)
	errMsgIndex  = newKeyIndex(errMsgKeys)
	codeKeyIndex = newKeyIndex(codeKeys)
)

// keyKind returns what a field key names and its preference among the keys
// of that kind, 0 the most preferred.
func keyKind(k string) (kind, rank int) {
	e, ok := keyKindIndex.find(k)
	if !ok {
		return kindNone, 0
	}
	return e.kind, e.rank
}

// errMsgRank returns the preference of a key (its last segment) for the
// message beside a code, -1 when it names no message.
func errMsgRank(k string) int {
	e, ok := errMsgIndex.find(k)
	if !ok {
		return -1
	}
	return e.rank
}

// structured derives the Event's fields from the fields read, in one pass
// over their keys.
func (p *Parser) structured(ev *Event) {
	f := p.fields
	var best [numKinds]string
	var bestRank [numKinds]int
	for _, k := range p.keys {
		kind, rank := keyKind(k)
		if kind == kindNone || f[k] == "" {
			continue
		}
		if kind == kindStatus {
			if n, err := strconv.Atoi(f[k]); err != nil || n < 100 || n > 599 {
				continue
			}
		}
		if best[kind] == "" || rank < bestRank[kind] {
			best[kind], bestRank[kind] = k, rank
		}
	}
	codeKey := best[kindCode]
	if codeKey == "" {
		// error.code, err.code, originError.Code: a code key under an
		// error object, shallowest first.
		depth := 0
		for _, k := range p.keys {
			dot := strings.LastIndexByte(k, '.')
			if dot < 0 || !isCodeKey(k[dot+1:]) || !errorParent(k[:dot]) || f[k] == "" {
				continue
			}
			if d := strings.Count(k, "."); codeKey == "" || d < depth {
				codeKey, depth = k, d
			}
		}
	}
	if codeKey != "" {
		ev.Code = NormCode(f[codeKey])
		parent := codeKey[:strings.LastIndexByte(codeKey, '.')+1]
		bestMsg := -1
		for _, k := range p.keys {
			if len(k) <= len(parent) || k[:len(parent)] != parent || strings.IndexByte(k[len(parent):], '.') >= 0 {
				continue
			}
			if r := errMsgRank(k[len(parent):]); r >= 0 && (bestMsg < 0 || r < bestMsg) {
				ev.ErrMessage, bestMsg = f[k], r
			}
		}
	}
	if ev.Level == "" && best[kindLevel] != "" {
		ev.Level = normLevel(f[best[kindLevel]])
	}
	if ev.Time.IsZero() && best[kindTime] != "" {
		ev.Time = parseTimeValue(f[best[kindTime]], p.Loc)
	}
	if ev.RequestID == "" {
		ev.RequestID = f[best[kindRequestID]]
	}
	if ev.Status == 0 && best[kindStatus] != "" {
		ev.Status, _ = strconv.Atoi(f[best[kindStatus]])
	}
	if ev.Message == "" {
		ev.Message = f[best[kindMsg]]
		if ev.Message == "" {
			ev.Message = ev.ErrMessage
		}
	}
	// A message that is itself a JSON object (a container's "log" field, a
	// cloud function's SCF_Message) is read once, for what it carries.
	if m := strings.TrimSpace(ev.Message); len(m) > 1 && m[0] == '{' && m[len(m)-1] == '}' && codeKey == "" {
		n := len(p.keys)
		p.obj = objReader{s: m, fields: p.fields, order: &p.keys, key: p.obj.key[:0], esc: p.obj.esc}
		p.obj.readObject()
		if len(p.keys) > n {
			ev.Message = ""
			p.structured(ev)
			return
		}
	}

	if p.jssdk(ev) {
		return
	}
	if ev.Format == FormatTCSDK || ev.Format == FormatLogfmt {
		return
	}
	// The object's own shape names the format; a plain, SCF or console line
	// carrying it takes that name.
	for _, sh := range shapes {
		if sh.is(f, codeKey) {
			ev.Format = sh.format
			return
		}
	}
	if ev.Format == FormatPlain {
		ev.Format = FormatJSON
	}
}

// A shape names the format of a structured record by the fields it
// carries: f, and the key its code came from ("" when none).
type shape struct {
	format string
	is     func(f map[string]string, codeKey string) bool
}

// shapes are tried in order; the first that fits names the format, and a
// record that fits none is json. A format recognised by its fields is a
// file with its shape and an entry here.
var shapes = [...]shape{
	{FormatTCAPI, isTCAPI},         // tc3api.go
	{FormatSCF, isSCFError},        // scf.go
	{FormatWXCloud, isWXCloud},     // wxcloud.go
	{FormatCloudBase, isCloudBase}, // objlit.go
	{FormatSCF, isCLSFunction},     // cls.go: a cloud function's record as CLS stores it
	{FormatCloudBase, isCLSTCB},    // cls.go: CloudBase's log fields (function_name, module…)
}

func hasKey(f map[string]string, k string) bool { _, ok := f[k]; return ok }

// fieldOf returns the most preferred non-empty field of a kind.
func (p *Parser) fieldOf(kind int) string {
	v, best := "", 0
	for _, k := range p.keys {
		if kd, rank := keyKind(k); kd == kind && p.fields[k] != "" && (v == "" || rank < best) {
			v, best = p.fields[k], rank
		}
	}
	return v
}

func isCodeKey(k string) bool { _, ok := codeKeyIndex.find(k); return ok }

// errorParent reports whether a key path names an error object.
func errorParent(path string) bool {
	last := path
	if dot := strings.LastIndexByte(path, '.'); dot >= 0 {
		last = path[dot+1:]
	}
	return strings.Contains(last, "err") || strings.Contains(last, "Err") || strings.Contains(last, "ERR")
}
