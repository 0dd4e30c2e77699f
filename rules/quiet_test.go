package rules

import (
	"testing"

	"github.com/wedadiag/wedadiag/record"
)

// quietSeeds are records around the edges of quiet hits: short and long
// numbers after code keys, prose keys, success and failure values after
// error keys.
var quietSeeds = []string{
	`{"code":0,"errCode":0,"status":200}`,
	`errCode: 0 errMsg: "cloud.callFunction:ok"`,
	`[INFO] [workflow] code=0`,
	`code=100009`, `code = -504002`, `"code": "100,009"`, `code=0,100009`, `code=10000`,
	`错误码：100009`, `(code 100009)`, `error code -504002`, `[100039] 套餐到期`, `[-501001]`,
	`errCode: 100009`, `errCode=-1`, `"errorCode": 0`, `error_code=OK`, `errCode:`, `errCode = success`,
	`{"errCode":"\u9519"}`, `CODE=999999 errCode: 0`,
	`FailedOperationCounter=0`, `InvalidParameterValueHint ok`, `com.x.LimitExceededException: slow down`,
	`FailedOperation: 存在循环调用`, `code=FailedOperation.FlexdbResourceOverdue`, `users=100009 id=-504002x`,
	`errCode: -504002`, `"Code":"ResourceNotFound.DataSourceNotExist"`, `ResourceNotFoundExtra.DsNotFound_v2`,
}

// quietAgrees checks, for one record, that quietHits never lets go a
// record whose hits note would find meaningful: no candidate rule, nothing
// error-like, no unescaped scan. It reports whether the record was quiet.
func quietAgrees(t testing.TB, s *Set, in string) bool {
	t.Helper()
	m := s.NewMatcher()
	m.gen++
	rec := record.Record{Text: []byte(in), Lines: 1}
	text := m.p.Text(&rec, "")
	m.text = text
	m.hits = s.auto.Scan(text, m.hits[:0])
	if len(m.hits) == 0 || !m.quietHits(text, m.hits, 0) {
		return false
	}
	m.note(text)
	m.checkStatusClauses()
	if len(m.cands) > 0 || m.errish || m.needUnes {
		t.Fatalf("%q: quietHits, yet noting its hits finds candidates %v, error-like %v, unescaping %v",
			in, m.cands, m.errish, m.needUnes)
	}
	return true
}

func TestQuietOnlyNotesNothing(t *testing.T) {
	sets := diffSets(t)
	inputs := append(diffInputs(t, sets, 2000), quietSeeds...)
	for name, s := range sets {
		quiet := 0
		for _, in := range inputs {
			if quietAgrees(t, s, in) {
				quiet++
			}
		}
		// The success lines of the bench corpora are quiet.
		if name == "builtin" && quiet < 100 {
			t.Errorf("%s: %d quiet records of %d", name, quiet, len(inputs))
		}
	}
}

func TestQuietKinds(t *testing.T) {
	s, err := Compile(Builtin()...)
	if err != nil {
		t.Fatal(err)
	}
	s.ready()
	want := map[string]quietKind{"code": quietShortNumber, "Code": quietShortNumber, "[": quietShortNumber,
		"errCode": quietSuccess, "错误码": quietShortNumber, "FailedOperation": quietPart, "InvalidParameter": quietPart}
	for _, li := range s.lits {
		if k, ok := want[li.text]; ok && li.quiet != k {
			t.Errorf("%q: quiet %d, want %d", li.text, li.quiet, k)
		}
		if len(li.any) > 0 && li.quiet != loud {
			t.Errorf("%q satisfies clauses on sight, yet is quiet", li.text)
		}
	}
	if !s.quietOK {
		t.Error("the built-in set has no rule woken by a status alone, yet quietOK is false")
	}
	for _, in := range []string{`FailedOperationCounter=0`, `InvalidParameterValueHint ok`, `x.LimitExceededHandler ok`} {
		m := s.NewMatcher()
		m.hits = s.auto.Scan([]byte(in), nil)
		if len(m.hits) == 0 || !m.quietHits([]byte(in), m.hits, 0) {
			t.Errorf("%q: noted, want quiet (a code inside a longer name)", in)
		}
	}
	for _, in := range []string{`code=100009`, `错误码：100009`, `[100039] x`, `errCode: 100009`, `errCode=-1`,
		`FailedOperation: x`, `"code":"InvalidParameter"`} {
		m := s.NewMatcher()
		m.hits = s.auto.Scan([]byte(in), nil)
		if len(m.hits) == 0 || m.quietHits([]byte(in), m.hits, 0) {
			t.Errorf("%q: quiet, want noted", in)
		}
	}
}

func FuzzQuietOnly(f *testing.F) {
	for _, s := range quietSeeds {
		f.Add(s)
	}
	s, err := Compile(Builtin()...)
	if err != nil {
		f.Fatal(err)
	}
	s.ready()
	f.Fuzz(func(t *testing.T, in string) {
		quietAgrees(t, s, in)
	})
}

// TestByteClassMatchesPredicates: the class table says of every byte what
// the chains of compares it replaced said.
func TestByteClassMatchesPredicates(t *testing.T) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		word := b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_'
		checks := []struct {
			name      string
			got, want bool
		}{
			{"isCodeGap", isCodeGap(b), b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '"' || b == '\'' || b == '\\'},
			{"isWordByte", isWordByte(b), word},
			{"isTokenByte", isTokenByte(b), word || b == '.'},
			{"sep", byteClass[b]&classSep != 0, b == ':' || b == '='},
			{"run", byteClass[b]&classRun != 0, b >= '0' && b <= '9' || b == '-' || b == ','},
		}
		for _, ch := range checks {
			if ch.got != ch.want {
				t.Errorf("%s(%q) = %v, want %v", ch.name, b, ch.got, ch.want)
			}
		}
	}
}
