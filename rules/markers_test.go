package rules

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// The marker checks as they were written first, one strings.Index per
// word: markerWords must agree with them on every text.

func refFailureWords(raw string) bool {
	for _, w := range failureMarkers {
		off := 0
		for n := 0; n < maxFailureLooks; n++ {
			i := strings.Index(raw[off:], w)
			if i < 0 {
				break
			}
			i += off
			off = i + len(w)
			if w[0] >= 0x80 || !inIdentifier(raw, i, off) {
				return true
			}
		}
	}
	return false
}

func refSuccessWords(raw string) bool {
	for _, w := range successMarkers {
		if i := strings.Index(raw, w); i >= 0 && (w[0] >= 0x80 || !inIdentifier(raw, i, i+len(w))) {
			return true
		}
	}
	return false
}

func refTroubleWords(raw string) bool {
	for _, w := range troubleMarkers {
		if strings.Contains(raw, w) {
			return true
		}
	}
	return false
}

func checkMarkers(t *testing.T, raw string) {
	t.Helper()
	got := markerWords(raw)
	want := words{failure: refFailureWords(raw), success: refSuccessWords(raw), trouble: refTroubleWords(raw)}
	if got != want {
		t.Fatalf("markerWords(%q) = %+v, want %+v", raw, got, want)
	}
}

func TestMarkerWordsAgree(t *testing.T) {
	for _, raw := range []string{
		"", "Invoke failed: 434 MemoryLimitReached", "FailedOperation.FlexdbResourceOverdue",
		"retry policy loaded for FailedOperation", "handler registered, request timed out",
		"deniedenied", "denied_denied Denied", "is_failed fail.", "连接超时", "资源不存在，请求失败",
		"successfully_done then succeeded", "cannot load: not found", "FAILFAILFAIL",
		strings.Repeat("FailedOperation ", 20) + "failed", strings.Repeat("xFail ", 17) + "fail",
	} {
		checkMarkers(t, raw)
	}
	// Random texts of pieces of the words, identifier bytes and spaces.
	var pieces []string
	for _, l := range [][]string{failureMarkers[:], successMarkers[:], troubleMarkers[:]} {
		for _, w := range l {
			pieces = append(pieces, w, w[:len(w)/2], w[len(w)/2:])
		}
	}
	pieces = append(pieces, " ", "_", ".", "A", "a", "ed", "d", "，", "Operation")
	r := rand.New(rand.NewPCG(4, 2))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(40) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		checkMarkers(t, b.String())
	}
}

func FuzzMarkerWords(f *testing.F) {
	f.Add("Invoke failed: 434")
	f.Add("deniedenied registered 成功")
	f.Fuzz(func(t *testing.T, raw string) { checkMarkers(t, raw) })
}
