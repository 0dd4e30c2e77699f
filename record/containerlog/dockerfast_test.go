package containerlog

import (
	"bytes"
	"testing"
)

var dockerSeeds = []string{
	`{"log":"2024-06-21T08:00:00.123Z INFO  [datasource] ok cost=38ms\n","stream":"stdout","time":"2024-06-21T08:00:00.123456789Z"}`,
	`{"log":"环境已停服 FailedOperation \u003cx\u003e \"q\" \\ \/ \t end\r\n","stream":"stderr","time":"2024-06-21T08:00:00Z"}`,
	`{"log":"piece of a long line","stream":"stdout","time":"2024-06-21T08:00:00.5Z"}`,
	`{"log":"","stream":"stdout","time":"2024-06-21T08:00:00Z"}`,
	`{"log":"\n","stream":"stdout","time":"2024-06-21T08:00:00Z"}`,
	`{"log":"nul \u0000 and \ud83d\ude00 pair\n","stream":"stdout","time":"2024-06-21T08:00:00Z"}`,
	`{"log":"lone \ud83d surrogate\n","stream":"stdout","time":"2024-06-21T08:00:00Z"}`,
	`{"log":"bad utf8 ` + "\xff\xfe" + `\n","stream":"stdout","time":"2024-06-21T08:00:00Z"}`,
	`{"log":"raw ` + "\t" + ` tab\n","stream":"stdout","time":"2024-06-21T08:00:00Z"}`,
	`{"log":"x\n","stream":"stdin","time":"2024-06-21T08:00:00Z"}`,
	`{"log":"x\n","stream":"stdout","time":"2024-06-21T08:00:00+08:00"}`,
	`{"log":"x\n","stream":"stdout","time":"2024-06-30T08:00:00Z"}`,
	`{"log":"x\n","stream":"stdout","time":"0001-01-01T00:00:00Z"}`,
	`{"log":"x\n","stream":"stdout","attrs":{"a":"b"},"time":"2024-06-21T08:00:00Z"}`,
	`{"log":"x\n","stream":"stdout","time":"2024-06-21T08:00:00Z"} `,
	`{"log":"x\n","stream":"stdout","time":"2024-06-21T08:00:00Z"}}`,
	`{"log":"x\n", "stream":"stdout","time":"2024-06-21T08:00:00Z"}`,
	`{"log":"bad \q escape\n","stream":"stdout","time":"2024-06-21T08:00:00Z"}`,
	`{"log":"short \u12","stream":"stdout","time":"2024-06-21T08:00:00Z"}`,
	`{"log":"unterminated`,
}

// checkDocker: what unwrapDocker gives, with a state kept from line to
// line and without, is what encoding/json's decoding gives.
func checkDocker(t *testing.T, line string, st *unwrapState) {
	t.Helper()
	want, wantOK := dockerJSON([]byte(line))
	for _, s := range []*unwrapState{nil, st} {
		got, ok := unwrapDocker([]byte(line), s)
		if ok != wantOK || ok && (got.Stream != want.Stream || !got.Time.Equal(want.Time) ||
			got.Time.Location().String() != want.Time.Location().String() ||
			!bytes.Equal(got.Text, want.Text) || got.Partial != want.Partial || got.Inner) {
			t.Fatalf("%q (state %v): %+v %v, encoding/json %+v %v", line, s != nil, got, ok, want, wantOK)
		}
	}
}

func TestDockerFastIsJSON(t *testing.T) {
	var st unwrapState
	for _, s := range dockerSeeds {
		checkDocker(t, s, &st)
	}
	if _, _, sure := dockerFast([]byte(dockerSeeds[0]), nil); !sure {
		t.Fatal("the driver's own line is not read by hand")
	}
	if _, _, sure := dockerFast([]byte(dockerSeeds[1]), nil); !sure {
		t.Fatal("a line with escapes and Chinese is not read by hand")
	}
}

func FuzzDockerFast(f *testing.F) {
	for _, s := range dockerSeeds {
		f.Add(s)
	}
	var st unwrapState // kept from input to input, as a source keeps it
	f.Fuzz(func(t *testing.T, line string) {
		checkDocker(t, line, &st)
	})
}
