package daemon

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wedadiag/wedadiag/diagnose"
	"github.com/wedadiag/wedadiag/internal/config"
	"github.com/wedadiag/wedadiag/record/containerlog"
	"github.com/wedadiag/wedadiag/rules"
)

// defaultKubernetesMax bounds the (namespace, container) pairs of a source
// when its configuration says 0.
const defaultKubernetesMax = 50

// kubernetesMetrics counts the diagnoses of pod-log sources that opted in
// by the namespace and container of the log path. Label values are
// bounded: a source's first Max pairs, the rest "other"; the pod never is
// a label.
type kubernetesMetrics struct {
	diagnoses *prometheus.CounterVec

	mu    sync.Mutex
	max   map[string]int                // source → its cap; absent: off
	pairs map[string]map[[2]string]bool // source → pairs with series
}

func newKubernetesMetrics(reg prometheus.Registerer) *kubernetesMetrics {
	k := &kubernetesMetrics{
		diagnoses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "wedadiag", Name: "kubernetes_diagnoses_total",
			Help: "Diagnoses of pod-log sources (kubernetes.labels) by the namespace and container of the log path, per catalog entry.",
		}, []string{"source", "namespace", "container", "id", "severity"}),
		max:   map[string]int{},
		pairs: map[string]map[[2]string]bool{},
	}
	reg.MustRegister(k.diagnoses)
	return k
}

// configure takes the sources that opted in (start and reload); a source
// that opted out loses its series.
func (k *kubernetesMetrics) configure(cfg *config.Config) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.max = map[string]int{}
	for _, s := range cfg.Sources {
		if s.Type == config.SourceFile && s.Kubernetes.Labels {
			k.max[s.Name] = s.Kubernetes.Max
			if k.max[s.Name] == 0 {
				k.max[s.Name] = defaultKubernetesMax
			}
		}
	}
	for src := range k.pairs {
		if _, ok := k.max[src]; !ok {
			delete(k.pairs, src)
			k.diagnoses.DeletePartialMatch(prometheus.Labels{"source": src})
		}
	}
}

// labels returns the namespace and container labels of a record's path.
func (k *kubernetesMetrics) labels(source, path string) (ns, container string, ok bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	max, on := k.max[source]
	if !on {
		return "", "", false
	}
	pod, isPod := containerlog.PodOf(path)
	if !isPod {
		return otherFunction, otherFunction, true
	}
	pair := [2]string{pod.Namespace, pod.Container}
	seen := k.pairs[source]
	if seen == nil {
		seen = map[[2]string]bool{}
		k.pairs[source] = seen
	}
	if !seen[pair] {
		if len(seen) >= max {
			return otherFunction, otherFunction, true
		}
		seen[pair] = true
	}
	return pair[0], pair[1], true
}

// Observe does nothing: the sink reads records, which carry their path.
func (k *kubernetesMetrics) Observe(diagnose.Occurrence) {}

// Record counts the record's diagnoses by namespace and container.
func (k *kubernetesMetrics) Record(o *diagnose.Outcome) {
	if len(o.Found) == 0 {
		return
	}
	ns, container, ok := k.labels(o.Record.Source, o.Record.Path)
	if !ok {
		return
	}
	for _, f := range o.Found {
		sev := f.Match.Labels[rules.LabelSeverity]
		if sev == "" {
			sev = string(f.Entry.Severity)
		}
		k.diagnoses.WithLabelValues(o.Record.Source, ns, container, f.Entry.ID, sev).Inc()
	}
}

// WantsSample: it keeps no samples (diagnose.SampleUser).
func (*kubernetesMetrics) WantsSample(*diagnose.Occurrence) bool { return false }
