package notify

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Status reports a receiver's last failure, redacted, until a delivery
// succeeds; then its last delivery.
func TestReceiverStatus(t *testing.T) {
	fail := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fail {
			http.Error(w, "no", http.StatusBadRequest)
			return
		}
		_, _ = w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
	}))
	defer srv.Close()
	w, _, _, err := deliverTo(t, srv, Receiver{Type: "wecom", Name: "oncall"}, "/cgi-bin/webhook/send?key="+weComKey, goldenMessage(t))
	if err == nil {
		t.Fatal("a refused message was delivered")
	}
	s := w.snapshot()
	if s.Name != "oncall" || s.Type != "wecom" || s.LastError == "" || s.LastErrorAt.IsZero() || s.Failed != 1 {
		t.Errorf("after a failure: %+v", s)
	}
	if strings.Contains(s.LastError, weComKey) {
		t.Errorf("the last error shows the key: %s", s.LastError)
	}
	fail = false
	if err := w.deliver(t.Context(), goldenMessage(t)); err != nil {
		t.Fatal(err)
	}
	s = w.snapshot()
	if s.LastError != "" || s.LastSentAt.IsZero() || s.Sent == 0 || s.Queue != 0 {
		t.Errorf("after a delivery: %+v", s)
	}
}
