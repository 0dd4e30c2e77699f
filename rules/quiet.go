package rules

import "github.com/wedadiag/wedadiag/internal/automaton"

// Quiet hits: most ordinary success lines hold a code key ("code":0,
// "errCode": 0, [INFO]) and nothing else the prefilter looks for. Noting
// such a hit finds that it satisfies nothing; quietHits tells the same
// sooner, so the record leaves the Matcher without note's bookkeeping.

// quietKind says what makes a hit of a literal mean nothing.
type quietKind uint8

const (
	// loud: every hit of the literal must be noted.
	loud quietKind = iota
	// quietShortNumber: a code key with no other role; its hit means
	// nothing when the number after it is shorter than every numeric code.
	quietShortNumber
	// quietSuccess: an error key with no other role; its hit means
	// nothing when a success code follows it (errCode: 0).
	quietSuccess
	// quietPart: a code that counts only as a whole token in a code's
	// place; its hit means nothing inside a longer name
	// (LimitExceededException, FailedOperationCount) or as a number that
	// stands where no code does.
	quietPart
)

// markQuiet decides each literal's quietKind and whether a record of
// quiet hits only may skip note: not when some rule is woken by a status
// alone (checkStatusClauses runs for it whatever else the record holds).
func (s *Set) markQuiet() {
	s.quietOK = true
	for _, d := range s.statusClauses {
		if int(d.open) >= s.rules[d.rule].clauses {
			s.quietOK = false
		}
	}
	for i := range s.lits {
		li := &s.lits[i]
		li.quiet = loud
		switch {
		case len(li.any) > 0 || i == s.unesc:
			// Satisfies clauses, or asks for the unescaped text, on sight.
		case len(li.token) > 0 || len(li.vocab) > 0:
			if !li.errish && !li.codeKey && !li.errKey {
				li.quiet = quietPart
			}
		case li.codeKey && !li.errish && !li.errKey && s.numLen[0] > 0:
			li.quiet = quietShortNumber
		case li.errKey && li.errish && !li.codeKey:
			li.quiet = quietSuccess
		}
	}
}

// quietHits reports whether every hit of the record's text is quiet, so
// that noting them would satisfy no clause and find nothing error-like.
// hits end at End-base in text (base 0: the Matcher's own hits); a hit
// that does not lie inside text is not known to be quiet.
func (m *Matcher) quietHits(text []byte, hits []automaton.Hit, base uint32) bool {
	if !m.set.quietOK {
		return false
	}
	lits := m.set.lits
	for _, h := range hits {
		end, ok := m.hitEnd(h, base, len(text))
		if !ok {
			return false
		}
		switch lits[h.Lit].quiet {
		case quietShortNumber:
			if numberRunAfter(text, int(end)) >= m.set.numLen[0] {
				return false
			}
		case quietSuccess:
			if !successAfterKey(text, int(end)) {
				return false
			}
		case quietPart:
			if start := int(end - m.set.auto.Len(h.Lit)); tokenCounts(text, start, int(end), lits[h.Lit].numeric) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// numberRunAfter bounds the length of any number that numberAfterKey or
// proseNumberAfter can find after a code key ending at text[end]: past the
// separators either skips (ASCII ones only), the run of digits, '-' and
// ','. A non-ASCII byte in the way ("错误码：") could be a separator of
// prose, so it counts as a run too long to ignore.
func numberRunAfter(text []byte, end int) int {
	i := end
	for i < len(text) && byteClass[text[i]]&(classGap|classSep) != 0 {
		i++
	}
	if i < len(text) && text[i] >= 0x80 {
		return len(text)
	}
	d := i
	for i < len(text) && byteClass[text[i]]&classRun != 0 {
		i++
	}
	return i - d
}
