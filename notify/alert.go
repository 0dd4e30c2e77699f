package notify

import (
	"cmp"
	"slices"
	"time"

	"github.com/prometheus/common/model"

	"github.com/wedadiag/wedadiag/catalog"
)

// AlertName is the alertname label of every wedadiag alert.
const AlertName = "WeDaDiagnosis"

// key identifies an alert: one catalog entry seen in one source.
type key struct{ id, source string }

// alert is the live state of one alert; the Notifier's lock guards it.
type alert struct {
	key
	entry  *catalog.Entry
	rule   rule
	st     State
	sample string // the latest occurrence's text
}

// snapshot is an alert as it is at one moment, handed to the receivers. It
// is immutable.
type snapshot struct {
	key
	entry     *catalog.Entry
	firing    bool
	repeat    bool // firing and sent before
	test      bool // the sample alert of `wedadiag alert test`
	startsAt  time.Time
	endsAt    time.Time // when it resolved; zero while firing
	lastAt    time.Time
	count     int64
	threshold int
	window    time.Duration
	resolve   time.Duration
	sample    string
}

func (a *alert) snapshot(repeat bool) snapshot {
	return snapshot{
		key: a.key, entry: a.entry, firing: a.st.Firing, repeat: repeat && a.st.Firing,
		startsAt: a.st.StartsAt, endsAt: a.st.ResolvedAt, lastAt: a.st.LastAt, count: a.st.Count,
		threshold: a.rule.Threshold, window: a.rule.Window, resolve: a.rule.ResolveAfter, sample: a.sample,
	}
}

// labels are the alert's labels: alertname, id, code, domain, severity and
// source, each from the catalog or the configuration, never from log text.
// Empty values are left out, as Prometheus does.
func (s *snapshot) labels() map[string]string {
	l := map[string]string{"alertname": AlertName, "id": s.id}
	set := func(k, v string) {
		if v != "" {
			l[k] = v
		}
	}
	set("code", s.entry.Code)
	set("domain", s.entry.Domain)
	set("severity", string(s.entry.Severity))
	set("source", s.source)
	return l
}

// fingerprint is Alertmanager's fingerprint of the labels.
func fingerprint(labels map[string]string) string {
	ls := make(model.LabelSet, len(labels))
	for k, v := range labels {
		ls[model.LabelName(k)] = model.LabelValue(v)
	}
	return ls.Fingerprint().String()
}

// Kinds of message.
const (
	kindNotify = "notify" // a group of alerts that fired, repeat or resolved
	kindResend = "resend" // every firing alert, re-posted to Alertmanager
	kindResync = "resync" // every firing alert, after a receiver lost messages
	kindTest   = "test"   // `wedadiag alert test`
)

// message is what a worker delivers: the alerts of one notification. It is
// immutable once queued; several receivers share it.
type message struct {
	kind    string
	created time.Time
	alerts  []snapshot
}

// merge joins queued messages into one: for each alert the latest snapshot
// wins. The result is sorted for display.
func merge(msgs []*message) *message {
	if len(msgs) == 1 {
		return msgs[0]
	}
	out := &message{kind: msgs[len(msgs)-1].kind, created: msgs[len(msgs)-1].created}
	at := map[key]int{}
	for _, m := range msgs {
		if m.kind == kindNotify {
			out.kind = kindNotify
		}
		for _, s := range m.alerts {
			if i, ok := at[s.key]; ok {
				// An alert repeated in a later message is news only if it
				// was news before.
				s.repeat = s.repeat && out.alerts[i].repeat
				out.alerts[i] = s
				continue
			}
			at[s.key] = len(out.alerts)
			out.alerts = append(out.alerts, s)
		}
	}
	sortSnapshots(out.alerts)
	return out
}

// sortSnapshots orders alerts for display: firing before resolved, the
// most severe first, then by id and source.
func sortSnapshots(ss []snapshot) {
	slices.SortStableFunc(ss, func(a, b snapshot) int {
		if a.firing != b.firing {
			if a.firing {
				return -1
			}
			return 1
		}
		return cmp.Or(
			cmp.Compare(a.entry.Severity.Rank(), b.entry.Severity.Rank()),
			cmp.Compare(a.id, b.id),
			cmp.Compare(a.source, b.source))
	})
}

// counts returns how many alerts of m fire and how many resolved.
func (m *message) counts() (firing, resolved int) {
	for _, s := range m.alerts {
		if s.firing {
			firing++
		} else {
			resolved++
		}
	}
	return
}
