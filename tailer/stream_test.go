package tailer

import (
	"testing"

	"github.com/wedadiag/wedadiag/record"
)

func TestStreamCommitsAckedPrefixOnly(t *testing.T) {
	s := &stream{committed: 0}
	for _, end := range []int64{10, 20, 30, 40} {
		s.push(end, false)
	}
	s.push(45, true) // blank lines after the last record
	s.ack(20)
	s.ack(40)
	if c := s.committedOffset(); c != 0 {
		t.Fatalf("committed %d with the first record unacknowledged", c)
	}
	s.ack(10)
	if c := s.committedOffset(); c != 20 {
		t.Fatalf("committed %d, want 20", c)
	}
	s.ack(30)
	if c := s.committedOffset(); c != 45 {
		t.Fatalf("committed %d, want 45", c)
	}
	s.ack(30) // twice: ignored
	s.push(50, false)
	s.unpush(50) // could not be sent
	s.push(50, true)
	if c := s.committedOffset(); c != 50 {
		t.Fatalf("committed %d, want 50", c)
	}
}

func TestStreamManyInFlight(t *testing.T) {
	s := &stream{}
	for i := int64(1); i <= 5000; i++ {
		s.push(i, false)
	}
	for i := int64(5000); i >= 1; i-- {
		s.ack(i)
	}
	if c := s.committedOffset(); c != 5000 {
		t.Fatalf("committed %d", c)
	}
	if len(s.pending) != 0 {
		t.Fatalf("%d pending left", len(s.pending))
	}
}

// ackAll commits like ack one by one: only the acknowledged prefix, and
// unknown or repeated Ends are ignored.
func TestStreamAckAll(t *testing.T) {
	s := &stream{}
	for _, end := range []int64{10, 20, 30, 40} {
		s.push(end, false)
	}
	ends := func(e ...int64) []record.Record {
		var out []record.Record
		for _, x := range e {
			out = append(out, record.Record{End: x})
		}
		return out
	}
	s.ackAll(ends(20, 40, 99))
	if c := s.committedOffset(); c != 0 {
		t.Fatalf("committed %d with the first record unacknowledged", c)
	}
	s.ackAll(ends(10))
	if c := s.committedOffset(); c != 20 {
		t.Fatalf("committed %d, want 20", c)
	}
	s.ackAll(ends(20, 30))
	if c := s.committedOffset(); c != 40 {
		t.Fatalf("committed %d, want 40", c)
	}
}

// ackAll finds each End wherever it stands in the batch: in order, with
// barriers and unknown Ends between, or out of order.
func TestStreamAckAllAnyOrder(t *testing.T) {
	for _, order := range [][]int64{
		{15, 25, 45, 55, 65},
		{65, 55, 45, 25, 15},
		{25, 7, 15, 65, 45, 99, 55, 50},
		{15, 15, 25, 25, 45, 55, 65, 65},
	} {
		s := &stream{}
		for _, end := range []int64{10, 15, 20, 25, 30, 45, 55, 60, 65} {
			s.push(end, end%10 == 0) // the round ones are barriers
		}
		var recs []record.Record
		for _, e := range order {
			recs = append(recs, record.Record{End: e})
		}
		s.ackAll(recs)
		if c := s.committedOffset(); c != 65 {
			t.Errorf("acks %v: committed %d, want 65", order, c)
		}
	}
}
