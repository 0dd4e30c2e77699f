package tailer

import "github.com/prometheus/client_golang/prometheus"

const (
	namespace = "wedadiag"
	subsystem = "tailer"
)

// Rotation kinds, the values of the `kind` label of
// wedadiag_tailer_rotations_total.
const (
	KindRename       = "rename"       // the path now names a new file; the old one was renamed or deleted
	KindCopyTruncate = "copytruncate" // truncated, and the unread rest was found in a copy
	KindTruncate     = "truncate"     // truncated (to zero or a smaller size), no copy found
	KindSymlink      = "symlink"      // the path is a symlink that now points to another file
	KindGzip         = "gzip"         // the unread rest was read from a compressed copy (.gz)
)

var rotationKinds = []string{KindRename, KindCopyTruncate, KindTruncate, KindSymlink, KindGzip}

// Metrics are the tailer's Prometheus metrics. Build them once with
// NewMetrics on the daemon's registry; label values are source names only.
type Metrics struct {
	lines           *prometheus.CounterVec
	bytes           *prometheus.CounterVec
	filesFollowed   *prometheus.GaugeVec
	bytesBehind     *prometheus.GaugeVec
	rotations       *prometheus.CounterVec
	filesCapped     *prometheus.CounterVec
	linesCut        *prometheus.CounterVec
	lostBytes       *prometheus.CounterVec
	readErrors      *prometheus.CounterVec
	pollFallback    *prometheus.GaugeVec
	symlinksRefused *prometheus.CounterVec
	saveErrors      prometheus.Counter
	lastSave        prometheus.Gauge
	positionsBad    prometheus.Counter
	stateWritable   prometheus.Gauge
}

// NewMetrics creates the tailer's metrics and registers them on reg (never
// the global registry). A nil reg leaves them unregistered.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	src := []string{"source"}
	m := &Metrics{
		lines: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "lines_total",
			Help: "Lines read from the source's files (or standard input).",
		}, src),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "bytes_total",
			Help: "Bytes read from the source's files (or standard input).",
		}, src),
		filesFollowed: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: namespace, Name: "files_followed",
			Help: "Files of the source that are open: followed, or rotated away and being finished.",
		}, src),
		bytesBehind: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: namespace, Name: "bytes_behind",
			Help: "Bytes written to the source's followed files that the pipeline has not acknowledged yet.",
		}, src),
		rotations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: subsystem, Name: "rotations_total",
			Help: "Rotations detected, by kind: rename, copytruncate, truncate, symlink, gzip.",
		}, []string{"source", "kind"}),
		filesCapped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: subsystem, Name: "files_capped_total",
			Help: "Files matched by the source's globs but not followed because of the per-source file limit.",
		}, src),
		linesCut: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: subsystem, Name: "lines_cut_total",
			Help: "Lines longer than the line limit, cut at the limit.",
		}, src),
		lostBytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: subsystem, Name: "lost_bytes_total",
			Help: "Bytes known to have been written but that could not be read: truncated away with no copy left.",
		}, src),
		readErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: subsystem, Name: "read_errors_total",
			Help: "Errors opening, reading or checking the source's files.",
		}, src),
		pollFallback: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: subsystem, Name: "poll_fallback",
			Help: "1 when some of the source's directories or files cannot be watched with inotify and are found by polling only.",
		}, src),
		symlinksRefused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: subsystem, Name: "symlinks_refused_total",
			Help: "Symlinks matched by the source's globs and not followed because they point outside its allowed roots.",
		}, src),
		positionsBad: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: subsystem, Name: "positions_unusable_total",
			Help: "Positions files (positions.json or its .prev) found unusable at start: corrupt, empty, cut short or unreadable.",
		}),
		stateWritable: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: subsystem, Name: "state_writable",
			Help: "1 when the last attempt to write positions to the state directory succeeded (or none was made yet and the directory is writable), 0 when positions cannot be saved.",
		}),
		saveErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: subsystem, Name: "position_save_errors_total",
			Help: "Failed attempts to save positions.",
		}),
		lastSave: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: subsystem, Name: "position_last_save_timestamp_seconds",
			Help: "When positions were last saved successfully.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.lines, m.bytes, m.filesFollowed, m.bytesBehind, m.rotations,
			m.filesCapped, m.linesCut, m.lostBytes, m.readErrors, m.pollFallback,
			m.saveErrors, m.lastSave, m.symlinksRefused, m.positionsBad, m.stateWritable)
	}
	return m
}

// sourceMetrics are one source's metric children, resolved once.
type sourceMetrics struct {
	lines, bytes, capped, cut, lost, readErrors, symlinks prometheus.Counter
	followed, behind, pollFallback                        prometheus.Gauge
	rotations                                             map[string]prometheus.Counter
}

// forSource creates the source's series at zero and returns them.
func (m *Metrics) forSource(name string) *sourceMetrics {
	sm := &sourceMetrics{
		lines:        m.lines.WithLabelValues(name),
		bytes:        m.bytes.WithLabelValues(name),
		capped:       m.filesCapped.WithLabelValues(name),
		cut:          m.linesCut.WithLabelValues(name),
		lost:         m.lostBytes.WithLabelValues(name),
		readErrors:   m.readErrors.WithLabelValues(name),
		symlinks:     m.symlinksRefused.WithLabelValues(name),
		followed:     m.filesFollowed.WithLabelValues(name),
		behind:       m.bytesBehind.WithLabelValues(name),
		pollFallback: m.pollFallback.WithLabelValues(name),
		rotations:    map[string]prometheus.Counter{},
	}
	for _, k := range rotationKinds {
		sm.rotations[k] = m.rotations.WithLabelValues(name, k)
	}
	return sm
}

// deleteSource removes every series of a source that is no longer configured.
func (m *Metrics) deleteSource(name string) {
	for _, v := range []*prometheus.MetricVec{m.lines.MetricVec, m.bytes.MetricVec,
		m.filesCapped.MetricVec, m.linesCut.MetricVec, m.lostBytes.MetricVec,
		m.readErrors.MetricVec, m.filesFollowed.MetricVec, m.bytesBehind.MetricVec,
		m.pollFallback.MetricVec, m.rotations.MetricVec, m.symlinksRefused.MetricVec} {
		v.DeletePartialMatch(prometheus.Labels{"source": name})
	}
}
