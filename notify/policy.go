package notify

import (
	"fmt"
	"time"
)

// State is what the policy remembers about one alert (one catalog entry in
// one source). It is persisted in alerts.json.
type State struct {
	// Recent holds the arrival times of the latest occurrences within the
	// window, oldest first, at most the threshold's worth: enough to tell
	// whether the threshold is reached.
	Recent []time.Time `json:"recent,omitempty"`
	// Firing is true from the occurrence that reached the threshold until
	// ResolveAfter passes without one.
	Firing bool `json:"firing"`
	// StartsAt is when it began firing.
	StartsAt time.Time `json:"starts_at,omitzero"`
	// LastAt is when the latest occurrence arrived.
	LastAt time.Time `json:"last_at,omitzero"`
	// LastSent is when a firing notification was last sent (queued for the
	// receivers); a repeat is due RepeatInterval after it.
	LastSent time.Time `json:"last_sent,omitzero"`
	// ResolvedAt is when it last resolved; zero while firing.
	ResolvedAt time.Time `json:"resolved_at,omitzero"`
	// Count is the occurrences since StartsAt (those that reached the
	// threshold included).
	Count int64 `json:"count"`
}

// Action is what the policy decided to do about an alert.
type Action int

// Actions.
const (
	// Nothing to send.
	Nothing Action = iota
	// Fire: the threshold was reached; send the new alert.
	Fire
	// Repeat: still firing and RepeatInterval has passed; send it again.
	Repeat
	// Resolve: ResolveAfter passed without an occurrence; send the
	// resolution.
	Resolve
	// Forget: resolved long enough ago (ResolvedRetention) and quiet; drop
	// the state.
	Forget
)

func (a Action) String() string {
	switch a {
	case Fire:
		return "fire"
	case Repeat:
		return "repeat"
	case Resolve:
		return "resolve"
	case Forget:
		return "forget"
	}
	return "nothing"
}

// Decision is the policy's answer, with a reason a human can read.
type Decision struct {
	Action Action
	Reason string
}

// ResolvedRetention is how long a resolved alert is remembered: it keeps
// being posted to Alertmanager (with its endsAt) for that long, so that a
// lost resolution still arrives.
const ResolvedRetention = 15 * time.Minute

// observe is the policy for an occurrence arriving at now. It is a pure
// function but for reusing the array of s.Recent (which keeps it O(1)
// amortised): the caller replaces s with the returned state.
func observe(s State, now time.Time, r rule) (State, Decision) {
	if r.Disabled {
		// A disabled entry that was firing resolves as if it had gone quiet.
		return s, Decision{Nothing, "disabled by an override"}
	}
	s.LastAt = now
	if s.Firing {
		s.Count++
		return s, Decision{Nothing, fmt.Sprintf("already firing since %s (%d occurrences)", s.StartsAt.Format(time.RFC3339), s.Count)}
	}
	s.Recent = append(prune(s.Recent, now, r.Window), now)
	if n := len(s.Recent) - r.Threshold; n > 0 {
		s.Recent = append(s.Recent[:0], s.Recent[n:]...)
	}
	if len(s.Recent) < r.Threshold {
		return s, Decision{Nothing, fmt.Sprintf("below threshold: %d of %d in %s", len(s.Recent), r.Threshold, r.Window)}
	}
	s.Firing = true
	s.StartsAt = now
	s.LastSent = now
	s.ResolvedAt = time.Time{}
	s.Count = int64(len(s.Recent))
	s.Recent = nil
	return s, Decision{Fire, fmt.Sprintf("threshold reached: %d in %s", r.Threshold, r.Window)}
}

// tick is the policy when time passes: repeat, resolve or forget. Like
// observe it is pure but for reusing the array of s.Recent.
func tick(s State, now time.Time, r rule) (State, Decision) {
	if s.Firing {
		if quiet := now.Sub(s.LastAt); quiet >= r.ResolveAfter {
			s.Firing = false
			s.ResolvedAt = now
			s.Recent = nil
			return s, Decision{Resolve, fmt.Sprintf("no occurrence for %s (resolve_after %s)", quiet, r.ResolveAfter)}
		}
		if since := now.Sub(s.LastSent); since >= r.RepeatInterval {
			s.LastSent = now
			return s, Decision{Repeat, fmt.Sprintf("still firing, last sent %s ago (repeat_interval %s)", since, r.RepeatInterval)}
		}
		return s, Decision{Nothing, "firing, sent " + now.Sub(s.LastSent).String() + " ago"}
	}
	s.Recent = prune(s.Recent, now, r.Window)
	if len(s.Recent) == 0 && (s.ResolvedAt.IsZero() || now.Sub(s.ResolvedAt) >= ResolvedRetention) {
		return s, Decision{Forget, "quiet and not firing"}
	}
	return s, Decision{Nothing, fmt.Sprintf("not firing: %d of %d in %s", len(s.Recent), r.Threshold, r.Window)}
}

// next is when tick may next decide something other than Nothing.
func (s State) next(r rule) time.Time {
	if s.Firing {
		return minTime(s.LastAt.Add(r.ResolveAfter), s.LastSent.Add(r.RepeatInterval))
	}
	var t time.Time
	if len(s.Recent) > 0 {
		t = s.Recent[len(s.Recent)-1].Add(r.Window)
	}
	if !s.ResolvedAt.IsZero() {
		t = maxTime(t, s.ResolvedAt.Add(ResolvedRetention))
	}
	return t
}

// prune drops the times that left the window ending at now.
func prune(ts []time.Time, now time.Time, window time.Duration) []time.Time {
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= window {
		i++
	}
	if i == 0 {
		return ts
	}
	return append(ts[:0], ts[i:]...)
}

func minTime(a, b time.Time) time.Time {
	if a.IsZero() || !b.IsZero() && b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
