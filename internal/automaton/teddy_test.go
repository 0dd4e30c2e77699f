package automaton

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestTeddyFillAgreesWithItsScalarForm: every bit the vector loop sets or
// leaves is the bit the tables give position by position, for texts of
// every length around the block and segment sizes.
func TestTeddyFillAgreesWithItsScalarForm(t *testing.T) {
	if !haveTeddy {
		t.Skip("no vector loop on this CPU: the scalar skip is tested alone")
	}
	lits := benchLiterals(t)
	var keys []string
	for _, l := range lits {
		keys = append(keys, keyOf(l, anchor(l)))
	}
	tables := newTeddy(keys, math.Inf(1))
	a := New(lits)
	a.teddy = builtTeddy(tables)
	r := rand.New(rand.NewPCG(3, 4))
	base := strings.Join(benchBenign, "\n") + " FailedOperation.FlexdbResourceOverdue 数据库资源到期 code=100009 [x] \\u9519"
	for _, n := range []int{19, 20, 31, 34, 35, 36, 100, 1023, 1024, 1025, 1026, 1027, 1028, 1039, 1043, 2048 + 21, 4095, 4096, 4099, 10000} {
		var b strings.Builder
		for b.Len() < n {
			if r.IntN(4) == 0 {
				b.WriteByte(byte(r.IntN(256)))
			} else {
				at := r.IntN(len(base))
				b.WriteString(base[at:min(len(base), at+1+r.IntN(40))])
			}
		}
		text := []byte(b.String()[:n])
		for from := 0; from < n; from += teddySegment {
			var cand candidates
			end := a.fillCandidates(tables, text, from, &cand)
			if want := min(n, from+teddySegment); end != want {
				t.Fatalf("length %d from %d: end %d, want %d", n, from, end, want)
			}
			for q := 0; q < teddySegment; q++ {
				got := cand[q>>6]&(1<<(q&63)) != 0
				p := from + q
				want := false
				switch {
				case p >= end:
				case p+teddyWidth > n:
					// Undecidable: a candidate where a key short
					// enough begins.
					for _, k := range keys {
						if len(k) <= n-p && k[0] == text[p] {
							want = true
						}
					}
				default:
					want = tables.candidate(text, p)
				}
				if got != want {
					t.Fatalf("length %d, position %d: candidate %v, want %v", n, p, got, want)
				}
			}
		}
	}
}

// TestTeddyScanIsTheScalarScan: with the built-in literals, the vector
// scan reports the scalar scan's hits in the same order, and those are
// every occurrence, on log lines long and short, records over several
// segments and literals planted at the edges of blocks and segments.
func TestTeddyScanIsTheScalarScan(t *testing.T) {
	if !haveTeddy {
		t.Skip("no vector loop on this CPU: the scalar skip is tested alone")
	}
	lits := benchLiterals(t)
	r := rand.New(rand.NewPCG(5, 6))
	texts := slices.Clone(benchBenign)
	joined := strings.Join(benchBenign, "\n")
	for _, n := range []int{18, 19, 33, 1021, 1024, 1027, 2050, 4096, 9000} {
		for range 4 {
			b := []byte(strings.Repeat(joined, n/len(joined)+1)[:n])
			for range 1 + r.IntN(6) {
				l := lits[r.IntN(len(lits))]
				at := r.IntN(len(b))
				switch r.IntN(3) {
				case 0: // at a segment's or block's end
					at = max(0, min(len(b), teddySegment*r.IntN(3)+r.IntN(5)-2))
				case 1: // at the text's end
					at = len(b)
				}
				b = append(b[:at:at], append([]byte(l), b[at:]...)...)
			}
			texts = append(texts, string(b))
		}
	}
	for _, text := range texts {
		checkAutomaton(t, lits, text)
	}
}

// FuzzTeddy: any text with the built-in literals, the vector scan and the
// scalar one agree with brute force.
func FuzzTeddy(f *testing.F) {
	for _, s := range benchBenign {
		f.Add(s)
	}
	f.Add(strings.Repeat("FailedOperation.FlexdbResourceOverdue ", 120))
	lits := benchLiterals(f)
	p := newPair(lits)
	f.Fuzz(func(t *testing.T, text string) { checkScans(t, lits, p, text) })
}

// TestBuiltinLiteralsGetTheVectorLoop: the built-in literals' keys suit
// the buckets (their estimated pass is under teddyMaxPass), so a scan runs
// the vector loop where the CPU has it, and the tables wait for a text
// long enough.
func TestBuiltinLiteralsGetTheVectorLoop(t *testing.T) {
	if !haveTeddy {
		t.Skip("no vector loop on this CPU: the scalar skip is tested alone")
	}
	a := New(benchLiterals(t))
	a.Scan([]byte("short"), nil)
	if a.teddy.t != nil {
		t.Fatal("tables built for a text too short to use them")
	}
	if a.Scan([]byte(benchBenign[0]), nil); a.teddy.tables() == nil {
		t.Fatal("no tables for the built-in literals: their buckets let too much through")
	}
}

// TestBucketsWeighedByLogBytes: spread by the bytes' shares in log text
// (logByteFreq), the built-in literals' buckets let through at most 6 %
// of the positions of everyday lines; spread by byteRank's ten coarse
// ranks, they let through 6.9 %, and 1.6–1.9 times as many as now on the
// bench corpora (docs/speed.md).
func TestBucketsWeighedByLogBytes(t *testing.T) {
	tables := New(benchLiterals(t)).teddy.tables()
	if tables == nil {
		t.Fatal("no tables for the built-in literals")
	}
	n, pass := 0, 0
	for _, l := range benchBenign {
		for i := 0; i+teddyWidth <= len(l); i++ {
			n++
			if tables.candidate([]byte(l), i) {
				pass++
			}
		}
	}
	if pass*100 > n*6 {
		t.Fatalf("the buckets let through %d of %d positions (%.1f %%)", pass, n, 100*float64(pass)/float64(n))
	}
}
