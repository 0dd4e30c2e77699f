package record

import "time"

// Record is one log record: one line, or several lines grouped by a Framer.
type Record struct {
	// Source is the configured source name (the `source` metric label).
	Source string
	// Path is the file the record was read from, "-" for standard input.
	Path string
	// Offset is the byte offset of the record's first byte in its file.
	Offset int64
	// End is the offset just past the record's last byte, newline included:
	// the position to persist once the record has been processed.
	End int64
	// Text holds the record's lines joined by '\n', without the final
	// newline, with a trailing '\r' of each line removed. When a Record is
	// passed to a Framer's emit function, Text aliases the framer's buffer
	// and is only valid during the call; copy it to keep it.
	Text []byte
	// Lines is the number of physical lines in the record.
	Lines int
	// Cut reports that a line or the record was cut at a length limit.
	Cut bool
	// Clean reports that every line of the record was Clean: unless it was
	// Cut (a cut may fall inside a character), its Text holds no NUL and is
	// valid UTF-8, and a parser need not check it again.
	Clean bool
	// Stream identifies, for the reader that produced the record, the open
	// file it came from (the tailer uses it to acknowledge records). Zero
	// when the reader needs no acknowledgement.
	Stream uint64
	// Time is when the record was logged, when the source knows it apart
	// from the text (a Kafka record's __TIMESTAMP__ meta field or its
	// timestamp); zero for files, whose times are in the text.
	Time time.Time
}

// Line is one physical line handed to a Framer.
type Line struct {
	// Text is the line without its newline. It may end in '\r'.
	Text []byte
	// Offset is the offset of the line's first byte; End the offset just past
	// its newline (or past its last byte when it has none).
	Offset, End int64
	// Cut reports that the reader cut the line at its length limit.
	Cut bool
	// Clean reports that the reader checked the line's bytes in bulk: no
	// NUL, valid UTF-8. False when it did not look.
	Clean bool
}

// Unbatch hands on the records of batches one by one, in order, on a
// channel of capacity buffer that is closed once batches is: for a
// receiver that takes records rather than batches.
func Unbatch(batches <-chan []Record, buffer int) <-chan Record {
	out := make(chan Record, buffer)
	go func() {
		defer close(out)
		for b := range batches {
			for _, rec := range b {
				out <- rec
			}
		}
	}()
	return out
}
