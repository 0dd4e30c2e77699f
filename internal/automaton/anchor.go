package automaton

import "sync"

// byteRank orders bytes by how common they are in log text, 0 the rarest:
// the prefilter anchors each literal at its rarest byte so that the bytes it
// must look at closely are few. The ranks are a judgement over JSON, access,
// cloud-function, logfmt and Chinese plain-text logs, with their request
// ids, hex and timestamps, checked against the corpus of tools/benchgen
// (ranking by that corpus's measured frequencies did worse: what follows the
// anchor matters too). A poor rank costs speed, never a match.
func byteRank(b byte) int { return int(byteRanks()[b]) }

// byteRanks is rankOf of every byte: anchor looks ranks up for every
// position of every literal.
var byteRanks = sync.OnceValue(func() *[256]uint8 {
	var t [256]uint8
	for b := range 256 {
		t[b] = uint8(rankOf(byte(b)))
	}
	return &t
})

func rankOf(b byte) int {
	switch {
	case b < 0x20 || b == 0x7f:
		return 0
	case b >= 0x80 && b < 0xc0: // UTF-8 continuation bytes: two in every Chinese character
		return 9
	case b >= 0xe0 && b < 0xf0: // leads of three-byte sequences: Chinese
		return 8
	case b >= 0xc0: // other leads: rare in these logs
		return 1
	}
	for rank, set := range [...]string{
		1: "!#$%&*+;<>?@\\^`|~",
		2: "JKQVWXYBUjkqxz",
		3: "ACDLRS[](){}'",
		// Upper case of log levels (INFO, ERROR, DEBUG, WARN), HTTP
		// methods and user agents is less rare.
		4: "=_vEFGHMNOP",
		5: "I",
		// Lower-case letters by their frequency in English, except that
		// a-f are also hex digits, in every request id and hash.
		6: "gmpuwy",
		7: ".:",
		// Digits, and T and Z of timestamps, are in every line; Chinese
		// leads (8) tie with them and come first in a Chinese literal.
		8: "bcdfhl/3456789TZ",
		9: "aeinorst012,-\" \t",
	} {
		for i := 0; i < len(set); i++ {
			if set[i] == b {
				return rank
			}
		}
	}
	return 5
}

// minSuffix is the shortest suffix anchor leaves: a suffix of a byte or two
// would occur all the time, each occurrence a step into the automaton and a
// prefix to verify.
const minSuffix = 4

// logWords are words nearly every log line holds in some form: the keys of
// JSON and logfmt records, the words of access and request logs. A key
// that starts with two bytes of one of them ("qu" of request, "us" of
// status, "ze" of size) leaves the start state on every such line and walks
// a few states before it fails, so anchor avoids such starts when the
// literal has another.
var logWords = [...]string{
	"request", "Request", "response", "Response", "status", "Status", "message", "level", "time", "duration",
	"size", "Size", "count", "total", "user", "Data", "data", "result", "service", "method", "path", "url",
	"host", "version", "process", "update", "upstream", "page", "region", "query", "queue", "local", "log",
	"lowcode", "module", "name", "type", "value", "action", "info", "prod", "app", "env",
}

// anchor returns where the rarest byte of lit is, the earliest of equals
// (the longest suffix), leaving at least minSuffix bytes (or all of a
// shorter literal), so that the suffix the automaton looks for starts with
// an uncommon byte; and first of all a start whose two bytes are not
// common in logs (pairCommonness).
func anchor(lit string) int {
	best, common := 0, pairCommonness(lit, 0)
	for i := 1; i <= len(lit)-minSuffix; i++ {
		c := pairCommonness(lit, i)
		if c < common || c == common && byteRank(lit[i]) < byteRank(lit[best]) {
			best, common = i, c
		}
	}
	return best
}

// pairCommonness tells how common the two bytes at lit[k:] are in logs: 2
// for two common bytes (`":`, "s ", the syntax of every JSON line), 1 for
// two bytes of a log word (a key that starts so leaves the start state on
// nearly every line), else 0. Chinese text is all common bytes (a lead
// and continuations), and its first two bytes with the third, which the
// start filter also reads, tell a character: a key that starts at a
// character of commonHan leaves the start state all through a Chinese
// line (2), one that starts at another character less often (1), one that
// starts inside a character never at a character's start (2).
func pairCommonness(lit string, k int) int {
	if k+2 > len(lit) {
		return 0
	}
	if b := lit[k]; b >= 0xe0 && b < 0xf0 && k+3 <= len(lit) {
		if commonHanSet()[lit[k:k+3]] {
			return 2
		}
		return 1
	}
	if byteRank(lit[k]) >= 7 && byteRank(lit[k+1]) >= 7 {
		return 2
	}
	if x := uint32(lit[k]) | uint32(lit[k+1])<<8; logWordPairs()[x>>6]&(1<<(x&63)) != 0 {
		return 1
	}
	return 0
}

// logWordPairs has bit b0|b1<<8 set for the pairs of bytes of logWords.
var logWordPairs = sync.OnceValue(func() *[1 << 10]uint64 {
	var set [1 << 10]uint64
	for _, w := range logWords {
		for i := 0; i+1 < len(w); i++ {
			x := uint32(w[i]) | uint32(w[i+1])<<8
			set[x>>6] |= 1 << (x & 63)
		}
	}
	return &set
})

// commonHan are the characters most Chinese log lines hold: the commonest
// of written Chinese and the words of application logs (请求, 失败, 成功,
// 错误, 查询, 用户, 数据, 订单, 信息, 返回, 记录, 服务, 接口, 调用, 页面,
// 时间, 参数, 更新, 创建, 删除, 登录, 上传, 发送, 处理, 系统). A key of a
// Chinese literal starts at a character that is not one of them where the
// literal has one (数据库资源到期… at 库, 的请求体格式错误 at 体).
const commonHan = "的一是不了在有人这中大为上个以要时来用们生到作地于出就分对成会可发年动同" +
	"工也能下过子说产种面而方后多定行学法所得经之进着等部度家电力里如化高自理起小" +
	"物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天日那事平形" +
	"相全表间样与关各重新线内数正心明看原又么利比或但质第向此变条只没结解问意建月" +
	"公无系很情者最立代想已通并提直题程果员位入常文总次品式活设及管特件长求头基资" +
	"据处队取任回先做必单更转再收权证共认联受交极请错误败功失询订户息返获录耗载页" +
	"账码登删创送传调接口服务统参数"

var commonHanSet = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	for _, r := range commonHan {
		set[string(r)] = true
	}
	return set
})
