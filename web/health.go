package web

import "time"

// Health is what the status page's health strip shows and
// /api/v1/diagnoses carries as "health": is the daemon reading, are alerts
// getting out, did the last reload take.
type Health struct {
	Sources   []SourceHealth   `json:"sources"`
	Receivers []ReceiverHealth `json:"receivers"`
	Reload    ReloadHealth     `json:"reload"`
	// FromEnd reports that files met at the first start are followed from
	// their end: what they held before is not read (--from-start reads it).
	FromEnd bool `json:"from_end"`
}

// SourceHealth is one configured source.
type SourceHealth struct {
	Name  string   `json:"name"`
	Paths []string `json:"paths"`
	// Files is how many files are followed; 0 for a file source means its
	// globs match nothing (yet).
	Files int `json:"files"`
	// Stream marks a source that is not files (standard input, Kafka, an
	// API): Files does not apply.
	Stream bool `json:"stream,omitempty"`
	// LinesPerSecond is the read rate over the last minute or so.
	LinesPerSecond float64 `json:"lines_per_second"`
	// BytesBehind is what was written but not processed yet.
	BytesBehind int64 `json:"bytes_behind"`
	// LastRecord is when the pipeline last handled a record of the source.
	LastRecord *time.Time `json:"last_record,omitempty"`
}

// ReceiverHealth is one alert receiver.
type ReceiverHealth struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Queue int    `json:"queue"`
	// LastError is the last delivery failure, kept until a delivery
	// succeeds; it never holds the receiver's URL secrets.
	LastError   string     `json:"last_error,omitempty"`
	LastErrorAt *time.Time `json:"last_error_at,omitempty"`
	LastSent    *time.Time `json:"last_sent,omitempty"`
}

// ReloadHealth is the result of the last configuration load (the start
// counts as one).
type ReloadHealth struct {
	OK    bool       `json:"ok"`
	At    *time.Time `json:"at,omitempty"`
	Error string     `json:"error,omitempty"`
}
