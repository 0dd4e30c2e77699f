package source

import (
	"context"

	"github.com/wedadiag/wedadiag/internal/record"
)

// Source is one configured log source as the daemon drives it. Run reads
// until ctx is done, then stops reading, saves what was acknowledged and
// returns (closing Records). Every record received must be given back to
// Ack once the pipeline has processed it; acks may come in any order and
// from any goroutine. Ready reports whether the source is reading.
type Source interface {
	Records() <-chan record.Record
	Ack(record.Record)
	Run(ctx context.Context) error
	Ready() bool
}
