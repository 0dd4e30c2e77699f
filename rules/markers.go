package rules

import (
	"sync"
	"unsafe"

	"github.com/wedadiag/wedadiag/internal/automaton"
)

// words tells which kinds of marker words a record's text holds.
type words struct {
	// failure: a failure word as a word of its own (a Chinese one
	// anywhere), among the first 16 occurrences of that word, not
	// overlapping: "Invoke failed", not "FailedOperation".
	failure bool
	// success: the first occurrence of some success word stands as a
	// word of its own.
	success bool
	// trouble: some trouble word occurs.
	trouble bool
}

// reportsSuccess tells a line that reports a success or a setting ("retry
// policy loaded for X", "handler registered for X") and names no failure:
// even at error level it only mentions its codes, so only a code position
// counts.
func (w words) reportsSuccess() bool { return w.success && !w.failure && !w.trouble }

// markerAutomaton finds the failure, success and trouble markers, in that
// order of literal ids, in one pass: looking for each of the 46 words
// with a strings.Index of its own was 8 % of a scan of error-dense logs.
var markerAutomaton = sync.OnceValue(func() *automaton.Automaton {
	lits := make([]string, 0, len(failureMarkers)+len(successMarkers)+len(troubleMarkers))
	lits = append(lits, failureMarkers[:]...)
	lits = append(lits, successMarkers[:]...)
	lits = append(lits, troubleMarkers[:]...)
	return automaton.New(lits)
})

// maxFailureLooks is how many occurrences of one failure word are looked
// at: a text that repeats FailedOperation a thousand times is not read
// that often.
const maxFailureLooks = 16

// markerWords finds the marker words of raw in one pass.
func markerWords(raw string) words {
	var w words
	if raw == "" {
		return w
	}
	var buf [16]automaton.Hit
	// Scan only reads the bytes.
	hits := markerAutomaton().Scan(unsafe.Slice(unsafe.StringData(raw), len(raw)), buf[:0])
	var looked [len(failureMarkers)]uint8
	var next [len(failureMarkers)]int
	var first [len(successMarkers)]bool
	for _, h := range hits {
		id, end := int(h.Lit), int(h.End)
		switch {
		case id < len(failureMarkers):
			word := failureMarkers[id]
			start := end - len(word)
			if w.failure || looked[id] >= maxFailureLooks || start < next[id] {
				continue // found, looked at enough, or overlapping the last one
			}
			looked[id]++
			next[id] = end
			if word[0] >= 0x80 || !inIdentifier(raw, start, end) {
				w.failure = true
			}
		case id < len(failureMarkers)+len(successMarkers):
			k := id - len(failureMarkers)
			if w.success || first[k] {
				continue // only a word's first occurrence counts
			}
			first[k] = true
			word := successMarkers[k]
			if word[0] >= 0x80 || !inIdentifier(raw, end-len(word), end) {
				w.success = true
			}
		default:
			w.trouble = true
		}
	}
	return w
}
