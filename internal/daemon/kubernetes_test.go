package daemon

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wedadiag/wedadiag/internal/config"
)

// TestKubernetesLabelsBounded: only sources that opted in get labels; the
// first max pairs each, the rest and paths that are not pod logs "other".
func TestKubernetesLabelsBounded(t *testing.T) {
	k := newKubernetesMetrics(prometheus.NewRegistry())
	k.configure(&config.Config{Sources: []config.Source{
		{Name: "pods", Type: config.SourceFile, Kubernetes: config.SourceKubernetes{Labels: true, Max: 1}},
		{Name: "app", Type: config.SourceFile},
	}})
	for _, c := range []struct {
		source, path, ns, container string
		ok                          bool
	}{
		{"pods", "/var/log/pods/weda_api-1_u1/app/0.log", "weda", "app", true},
		{"pods", "/var/log/pods/weda_api-2_u2/app/0.log", "weda", "app", true}, // another pod, same pair
		{"pods", "/var/log/pods/kube-system_dns_u3/coredns/0.log", "other", "other", true},
		{"pods", "/var/log/app.log", "other", "other", true},
		{"app", "/var/log/pods/weda_api-1_u1/app/0.log", "", "", false},
	} {
		ns, ctr, ok := k.labels(c.source, c.path)
		if ns != c.ns || ctr != c.container || ok != c.ok {
			t.Errorf("%s %s: %q %q %v, want %q %q %v", c.source, c.path, ns, ctr, ok, c.ns, c.container, c.ok)
		}
	}
	// Opting out on reload drops the source's pairs.
	k.configure(&config.Config{})
	if _, _, ok := k.labels("pods", "/var/log/pods/weda_api-1_u1/app/0.log"); ok || len(k.pairs) != 0 {
		t.Error("labels still on after the source opted out")
	}
}
