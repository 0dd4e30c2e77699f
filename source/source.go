package source

import (
	"context"

	"github.com/wedadiag/wedadiag/record"
)

// Source is one configured log source as the daemon drives it.
type Source interface {
	// Records is the channel of records. It is closed when Run stops
	// reading; a record's Text belongs to the receiver.
	Records() <-chan record.Record
	// Ack tells the source that the pipeline has processed rec. Acks may
	// come in any order and from any goroutine.
	Ack(rec record.Record)
	// Run reads until ctx is done, then stops and returns.
	Run(ctx context.Context) error
	// Ready reports whether the source is reading (for /readyz).
	Ready() bool
}
