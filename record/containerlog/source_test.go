package containerlog

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wedadiag/wedadiag/record"
)

// lines is a line source over fixed text: one record per line, as the
// tailer with multiline none; it remembers acks.
type lines struct {
	ch    chan record.Record
	mu    sync.Mutex
	acked map[int64]int // End → times acknowledged
}

func newLines(source, path string, stream uint64, text string) *lines {
	l := &lines{ch: make(chan record.Record, 1<<12), acked: map[int64]int{}}
	off := int64(0)
	for _, ln := range strings.SplitAfter(text, "\n") {
		if ln == "" {
			continue
		}
		end := off + int64(len(ln))
		text := strings.TrimSuffix(ln, "\n")
		// Clean as the tailer's line splitter tells it.
		l.ch <- record.Record{Source: source, Path: path, Stream: stream, Offset: off, End: end,
			Text: []byte(text), Lines: 1, Clean: utf8.ValidString(text) && !strings.ContainsRune(text, 0)}
		off = end
	}
	close(l.ch)
	return l
}

func (l *lines) Run(ctx context.Context) error { return nil }
func (l *lines) Ready() bool                   { return true }
func (l *lines) Records() <-chan record.Record { return l.ch }
func (l *lines) Ack(r record.Record) {
	l.mu.Lock()
	l.acked[r.End]++
	l.mu.Unlock()
}

// read runs a Source over text and returns what it passes on (records of
// different streams in no fixed order), each
// acknowledged; it checks that every line was acknowledged exactly once.
func read(t *testing.T, format, text string) []record.Record {
	t.Helper()
	in := newLines("pods", "/var/log/pods/ns_pod_uid/app/0.log", 7, text)
	s := NewSource(in, SourceConfig{Formats: map[string]string{"pods": format}})
	recs := s.Records() // before Run, which waits for what it passes on to be taken
	if err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	var out []record.Record
	for r := range recs {
		out = append(out, r)
		s.Ack(r)
	}
	nlines := strings.Count(text, "\n")
	if len(in.acked) != nlines {
		t.Errorf("%d of %d lines acknowledged", len(in.acked), nlines)
	}
	for end, n := range in.acked {
		if n != 1 {
			t.Errorf("line ending at %d acknowledged %d times", end, n)
		}
	}
	return out
}

func texts(rs []record.Record) []string {
	var out []string
	for _, r := range rs {
		out = append(out, string(r.Text))
	}
	return out
}

func TestCRI(t *testing.T) {
	long := strings.Repeat("x", 20<<10) // a 20 KB line, in 8 KB pieces as containerd writes them
	var b strings.Builder
	b.WriteString("2026-12-02T07:00:00.000000001Z stdout F {\"code\":\"ENV_SUSPENDED\",\"message\":\"环境已停服\"}\n")
	b.WriteString("2026-12-02T07:00:00.1Z stderr P Error: errCode: -501003 | errMsg: ")
	b.WriteString("cloud.callFunction:fail\n")
	b.WriteString("2026-12-02T07:00:00.2Z stdout P " + long[:8<<10] + "\n")
	b.WriteString("2026-12-02T07:00:00.2Z stderr F  requests exceed the environment quota\n")
	b.WriteString("2026-12-02T07:00:00.2Z stdout P " + long[8<<10:16<<10] + "\n")
	b.WriteString("2026-12-02T07:00:00.2Z stdout F " + long[16<<10:] + " FailedOperation.FlexdbResourceOverdue\n")
	b.WriteString("2026-12-02T07:00:01+08:00 stdout F TypeError: x is undefined\n")
	b.WriteString("2026-12-02T07:00:01+08:00 stdout F     at handler (index.js:3:9)\n")
	b.WriteString("2026-12-02T07:00:01+08:00 stdout F \n")
	b.WriteString("2026-12-02T07:00:02Z stdout F done\n")
	out := read(t, CRI, b.String())
	got := texts(out)
	want := []string{
		`{"code":"ENV_SUSPENDED","message":"环境已停服"}`,
		long + " FailedOperation.FlexdbResourceOverdue",
		"TypeError: x is undefined\n    at handler (index.js:3:9)",
		"done",
		"Error: errCode: -501003 | errMsg: cloud.callFunction:fail requests exceed the environment quota",
	}
	if len(got) != len(want) {
		t.Fatalf("%d records, want %d: %q", len(got), len(want), got)
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || g == w
		}
		if !found {
			t.Errorf("no record %.80q", w)
		}
	}
	for _, r := range out {
		if r.Time.IsZero() || r.Stream != 7 || r.End <= r.Offset {
			t.Errorf("record %.40q: time %v stream %d span %d-%d", r.Text, r.Time, r.Stream, r.Offset, r.End)
		}
	}
}

// A record of CRI lines is told Clean when its lines were, whole or in
// pieces, and never when its text is not valid UTF-8 or holds a NUL; a
// docker record (its text decoded from JSON) is never told so.
func TestCleanCarriesOver(t *testing.T) {
	var b strings.Builder
	b.WriteString("2026-12-02T07:00:00Z stdout F 环境已停服 FailedOperation\n")
	b.WriteString("2026-12-02T07:00:01Z stdout F bad \xff\xfe bytes\n")
	b.WriteString("2026-12-02T07:00:02Z stdout F nul \x00 byte\n")
	b.WriteString("2026-12-02T07:00:03Z stdout P first piece 好\n")
	b.WriteString("2026-12-02T07:00:03Z stdout F second piece\n")
	b.WriteString("2026-12-02T07:00:04Z stdout P clean piece\n")
	b.WriteString("2026-12-02T07:00:04Z stdout F dirty \xe5 piece\n")
	b.WriteString("2026-12-02T07:00:06Z stdout P dirty \xff first\n")
	b.WriteString("2026-12-02T07:00:06Z stdout F clean second\n")
	b.WriteString("2026-12-02T07:00:05Z stdout P cut \xe5\n")
	b.WriteString("2026-12-02T07:00:05Z stdout F \xa5\xbd in two\n")
	clean := 0
	for _, r := range read(t, CRI, b.String()) {
		valid := utf8.Valid(r.Text) && !strings.ContainsRune(string(r.Text), 0)
		if r.Clean && !valid {
			t.Errorf("%q told clean", r.Text)
		}
		if r.Clean {
			clean++
		}
	}
	if clean != 2 {
		t.Errorf("%d records told clean, want 2 (the whole clean line, the clean pieces)", clean)
	}
	for _, r := range read(t, Docker, dockerText("stdout", "clean line\n", time.Now())) {
		if r.Clean {
			t.Errorf("docker record %q told clean", r.Text)
		}
	}
}

func dockerText(stream, log string, at time.Time) string {
	b, _ := json.Marshal(map[string]string{"log": log, "stream": stream, "time": at.Format(time.RFC3339Nano)})
	return string(b) + "\n"
}

func TestDocker(t *testing.T) {
	at := time.Date(2026, 12, 2, 7, 0, 0, 0, time.UTC)
	long := strings.Repeat("y", 20<<10)
	inner := `{"level":"error","msg":"query failed","code":"FailedOperation.FlexdbResourceOverdue"}`
	text := dockerText("stdout", inner+"\n", at) +
		dockerText("stdout", long[:16<<10], at) + // docker's 16 KB split: no newline
		dockerText("stderr", "Error: errCode: -501015 | errMsg: quota\n", at) +
		dockerText("stdout", long[16<<10:]+"\n", at) +
		"not a docker line\n"
	out := read(t, Docker, text)
	got := texts(out)
	want := []string{inner, long, "Error: errCode: -501015 | errMsg: quota", "not a docker line"}
	slices.Sort(got)
	slices.Sort(want)
	if len(got) != len(want) {
		t.Fatalf("%d records, want %d: %.200q", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i] != w {
			t.Errorf("record %d: %.80q, want %.80q", i, got[i], w)
		}
	}
	for _, r := range out {
		if string(r.Text) != "not a docker line" && !r.Time.Equal(at) {
			t.Errorf("time %v, want %v", r.Time, at)
		}
	}
}

// TestAuto: each line told apart; lines of neither format pass as they are.
func TestAuto(t *testing.T) {
	at := time.Date(2026, 12, 2, 7, 0, 0, 0, time.UTC)
	text := "2026-12-02T07:00:00Z stdout F cri line\n" + dockerText("stdout", "docker line\n", at) + "plain line\n"
	got := texts(read(t, Auto, text))
	slices.Sort(got)
	if want := []string{"cri line", "docker line", "plain line"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%q, want %q", got, want)
	}
}

// TestAutoPlainFile: a stream whose first plainAfter lines are not
// container lines is plain text, and its later lines pass on unlooked at
// (a CRI-looking line too); one container line among the first keeps the
// stream looked at.
func TestAutoPlainFile(t *testing.T) {
	cri := "2026-12-02T07:00:00Z stdout F cri line\n"
	plain := strings.Repeat("plain line\n", plainAfter)
	got := texts(read(t, Auto, plain+cri))
	if len(got) != plainAfter+1 || got[plainAfter] != strings.TrimSuffix(cri, "\n") {
		t.Errorf("plain file: %d records, last %q, want the CRI-looking line as it is", len(got), got[len(got)-1])
	}
	got = texts(read(t, Auto, cri+plain+cri))
	n := 0
	for _, g := range got {
		if g == "cri line" {
			n++
		}
	}
	if len(got) != plainAfter+2 || n != 2 {
		t.Errorf("container file: %q, want both CRI lines unwrapped", got)
	}
}

func TestUnwrapRejects(t *testing.T) {
	for _, s := range []string{
		"2026-12-02T07:00:00Z stdin F x", "2026-12-02T07:00:00Z stdout X x", "yesterday stdout F x",
		`{"log":"x\n","stream":"stdout"}`, `{"msg":"x"}`, "",
	} {
		if l, ok := Unwrap(Auto, []byte(s)); ok {
			t.Errorf("%q read as %+v", s, l)
		}
	}
	l, ok := Unwrap(CRI, []byte("2026-12-02T07:00:00.5+08:00 stderr P:x "))
	if !ok || !l.Partial || l.Stream != "stderr" || len(l.Text) != 0 {
		t.Errorf("tag with options: %+v %v", l, ok)
	}
}

func TestPodOf(t *testing.T) {
	p, ok := PodOf("/var/log/pods/weda-prod_order-api-7d9f_0f1e2d3c-4b5a/app/3.log")
	if !ok || p != (Pod{"weda-prod", "order-api-7d9f", "0f1e2d3c-4b5a", "app"}) {
		t.Errorf("%+v %v", p, ok)
	}
	for _, bad := range []string{"/var/log/app.log", "/var/log/pods/uid-only/app/0.log", "/var/log/containers/a_b_c.log"} {
		if _, ok := PodOf(bad); ok {
			t.Errorf("%s read as a pod path", bad)
		}
	}
}
