package parse

import (
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
	if structured && format != InputJSON && !pairFirst && p.tab.len() == 0 && p.logfmt(body) {
		ev.Format = FormatLogfmt
	}
	if p.tab.len() > 0 {
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

// keyIndex finds a key in ordered key tables with one hash of its length
// and end bytes and a string comparison or two. Read-only once built. Its
// entries are one slice, grouped by bucket: a few KB built at start
// rather than 256 slices.
type keyIndex struct {
	start   [257]uint16 // bucket b's entries are entries[start[b]:start[b+1]]
	entries []keyEntry
	n       int // entries
}

type keyEntry struct {
	key        string
	kind, rank int // the key's table, and its place there
	id         int // its place in the index
}

func newKeyIndex(tables ...[]string) *keyIndex {
	x := &keyIndex{}
	size := 0
	for _, keys := range tables {
		size += len(keys)
	}
	all := make([]keyEntry, 0, size)
	bucket := make([]uint8, 0, size)
	for kind, keys := range tables {
	next:
		for rank, k := range keys {
			b := keyBucket(k)
			for i := range all {
				if bucket[i] == b && all[i].key == k {
					continue next // the first table's
				}
			}
			all = append(all, keyEntry{k, kind, rank, len(all)})
			bucket = append(bucket, b)
		}
	}
	x.n = len(all)
	// A counting sort by bucket, each bucket in the order of all.
	for _, b := range bucket {
		x.start[int(b)+1]++
	}
	for b := 1; b < len(x.start); b++ {
		x.start[b] += x.start[b-1]
	}
	x.entries = make([]keyEntry, len(all))
	next := x.start
	for i, b := range bucket {
		x.entries[next[b]] = all[i]
		next[b]++
	}
	return x
}

func keyBucket(k string) uint8 {
	return uint8(len(k)*131 + int(k[0])*31 + int(k[len(k)-1]))
}

// find returns k's entry, nil when k is not there.
func (x *keyIndex) find(k string) *keyEntry {
	if k == "" {
		return nil
	}
	h := keyBucket(k)
	b := x.entries[x.start[h]:x.start[int(h)+1]]
	for i := range b {
		if b[i].key == k {
			return &b[i]
		}
	}
	return nil
}

// lookupKeys are the keys that the shapes (and the cloud-function health
// metrics, through Event.Field) look for besides those of keyKinds: the
// field table finds a known key without hashing it.
var lookupKeys = []string{"errorCode", "errorMessage", "errCode", "errcode", "errMsg", "errmsg", "code", "message", "msg",
	"function_name", "module", "request_id", "requestId", "RequestId",
	"SCF_FunctionName", "SCF_RequestId", "SCF_StatusCode", "SCF_Type", "SCF_Duration", "SCF_MemUsage"}

var (
	// knownIndex holds the keys of keyKinds, then the lookupKeys that
	// name no kind (table numKinds, kindNone for keyKind).
	knownIndex   = newKeyIndex(append(keyKinds[:], lookupKeys)...)
	errMsgIndex  = newKeyIndex(errMsgKeys)
	codeKeyIndex = newKeyIndex(codeKeys)
)

// maxKnown bounds knownIndex, whose keys the field table keeps a slot for.
const maxKnown = 128

// keyKind returns what a field key names and its preference among the keys
// of that kind, 0 the most preferred.
func keyKind(k string) (kind, rank int) {
	e := knownIndex.find(k)
	if e == nil || e.kind >= numKinds {
		return kindNone, 0
	}
	return e.kind, e.rank
}

// errMsgRank returns the preference of a key (its last segment) for the
// message beside a code, -1 when it names no message.
func errMsgRank(k string) int {
	e := errMsgIndex.find(k)
	if e == nil {
		return -1
	}
	return e.rank
}

// structured derives the Event's fields from the fields read, in one pass
// over them.
func (p *Parser) structured(ev *Event) {
	t := &p.tab
	var best [numKinds]int // 1 + index of the most preferred field of each kind
	for i := range t.list {
		f := &t.list[i]
		kind := int(f.kind)
		if kind == kindNone || f.val == "" {
			continue
		}
		if kind == kindStatus {
			if n, ok := atoiStatus(f.val); !ok || n < 100 || n > 599 {
				continue
			}
		}
		if b := best[kind]; b == 0 || f.rank < t.list[b-1].rank {
			best[kind] = i + 1
		}
	}
	val := func(kind int) string {
		if b := best[kind]; b > 0 {
			return t.list[b-1].val
		}
		return ""
	}
	codeKey := ""
	if b := best[kindCode]; b > 0 {
		codeKey = t.list[b-1].key
		ev.Code = NormCode(t.list[b-1].val)
	} else {
		// error.code, err.code, originError.Code: a code key under an
		// error object, shallowest first.
		depth, at := 0, -1
		for i := range t.list {
			f := &t.list[i]
			k := f.key
			dot := strings.LastIndexByte(k, '.')
			if dot < 0 || f.val == "" || !isCodeKey(k[dot+1:]) || !errorParent(k[:dot]) {
				continue
			}
			if d := strings.Count(k, "."); at < 0 || d < depth {
				at, depth = i, d
			}
		}
		if at >= 0 {
			codeKey = t.list[at].key
			ev.Code = NormCode(t.list[at].val)
		}
	}
	if codeKey != "" {
		parent := codeKey[:strings.LastIndexByte(codeKey, '.')+1]
		bestMsg := -1
		for i := range t.list {
			k := t.list[i].key
			if len(k) <= len(parent) || k[:len(parent)] != parent || strings.IndexByte(k[len(parent):], '.') >= 0 {
				continue
			}
			if r := errMsgRank(k[len(parent):]); r >= 0 && (bestMsg < 0 || r < bestMsg) {
				ev.ErrMessage, bestMsg = t.list[i].val, r
			}
		}
	}
	if ev.Level == "" && best[kindLevel] > 0 {
		ev.Level = normLevel(val(kindLevel))
	}
	if ev.Time.IsZero() && best[kindTime] > 0 {
		ev.Time = parseTimeValue(val(kindTime), p.Loc, &p.zones)
	}
	if ev.RequestID == "" {
		ev.RequestID = val(kindRequestID)
	}
	if ev.Status == 0 && best[kindStatus] > 0 {
		ev.Status, _ = atoiStatus(val(kindStatus))
	}
	if ev.Message == "" {
		ev.Message = val(kindMsg)
		if ev.Message == "" {
			ev.Message = ev.ErrMessage
		}
	}
	// A message that is itself a JSON object (a container's "log" field, a
	// cloud function's SCF_Message) is read once, for what it carries.
	if m := strings.TrimSpace(ev.Message); len(m) > 1 && m[0] == '{' && m[len(m)-1] == '}' && codeKey == "" {
		n := t.len()
		p.obj = objReader{s: m, fields: t, arena: &p.arena, key: p.obj.key[:0]}
		p.obj.readObject()
		if t.len() > n {
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
		if sh.is(t, codeKey) {
			ev.Format = sh.format
			return
		}
	}
	if ev.Format == FormatPlain {
		ev.Format = FormatJSON
	}
}

// atoiStatus is strconv.Atoi for the short numbers a status field holds:
// a sign, then at most 18 digits; anything else is not a number.
func atoiStatus(s string) (int, bool) {
	if len(s) > 0 && len(s) < 19 {
		neg := s[0] == '-'
		d := s
		if s[0] == '-' || s[0] == '+' {
			d = s[1:]
		}
		if d == "" {
			return 0, false
		}
		n := 0
		for i := 0; i < len(d); i++ {
			c := d[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		if neg {
			n = -n
		}
		return n, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// A shape names the format of a structured record by the fields it
// carries: f, and the key its code came from ("" when none).
type shape struct {
	format string
	is     func(f *table, codeKey string) bool
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

func hasKey(f *table, k string) bool { return f.has(k) }

// fieldOf returns the most preferred non-empty field of a kind.
func (p *Parser) fieldOf(kind int) string {
	v, best := "", int16(0)
	for i := range p.tab.list {
		f := &p.tab.list[i]
		if int(f.kind) == kind && f.val != "" && (v == "" || f.rank < best) {
			v, best = f.val, f.rank
		}
	}
	return v
}

func isCodeKey(k string) bool { return codeKeyIndex.find(k) != nil }

// errorParent reports whether a key path names an error object.
func errorParent(path string) bool {
	last := path
	if dot := strings.LastIndexByte(path, '.'); dot >= 0 {
		last = path[dot+1:]
	}
	return strings.Contains(last, "err") || strings.Contains(last, "Err") || strings.Contains(last, "ERR")
}
