// Package containerlog reads container runtimes' log files: the CRI format
// of containerd and CRI-O ("TIMESTAMP STREAM P|F content") and docker's
// json-file format ({"log","stream","time"}). It unwraps each line, joins
// partial lines (CRI's P … F, docker's 16 KB splits: a log without its
// trailing newline), groups the inner text into records with a
// record.Framer (stack traces stay one record), and maps every record it
// hands on back to the file lines it was made of, so that acknowledging
// it acknowledges them: the tailer's at-least-once positions hold. The
// lines as the runtimes write them — a CRI timestamp in UTC, a docker line
// with its keys in the driver's order — are read by hand, the second of
// the last timestamp kept; anything else goes to time.Parse and
// encoding/json, which the fast paths are fuzzed against.
//
// Source wraps a line source (the tailer, with multiline framing off for
// these sources) and is itself a source for the pipeline. Kubernetes pod
// log paths (/var/log/pods/<namespace>_<pod>_<uid>/<container>/N.log) are
// read by PodOf.
//
// It imports record and internal/textutil.
package containerlog
