package parse

import (
	"hash/maphash"
	"unsafe"
)

// field is one field read from a record: its flattened key and value, and
// what the key names (keyKinds), looked up once when the field is set.
type field struct {
	key, val   string
	hash       uint64
	slot       uint16 // its place in table.slots, or in table.known for a known key
	known      bool   // the key is in knownIndex
	kind, rank int16
}

// table holds a record's fields in the order first set, with an
// open-addressing index over their keys, so that setting a field, finding
// one and forgetting them all cost no allocation once the Parser has read
// its largest record. Keys and values are substrings of the record's text
// or of the Parser's arena.
type table struct {
	list  []field
	slots []uint16 // 1 + index into list, 0 when free; len is a power of two
	seed  maphash.Seed
	// known holds, for each key of knownIndex, 1 + the index of its
	// field, 0 when the record has none: those keys (the ones the parser
	// looks for) are found without hashing them.
	known [maxKnown]uint16
}

// tableSlots is at least twice maxFields, so that probes stay short.
const tableSlots = 2 * maxFields

func newTable() table {
	return table{slots: make([]uint16, tableSlots), seed: maphash.MakeSeed()}
}

// reset forgets every field.
func (t *table) reset() { t.truncate(0) }

// truncate forgets the fields set after the first n. Forgetting the
// latest fields (a suffix of the insertion order) never breaks another
// key's probe sequence: no earlier key probed past their slots.
func (t *table) truncate(n int) {
	for i := n; i < len(t.list); i++ {
		if f := &t.list[i]; f.known {
			t.known[f.slot] = 0
		} else {
			t.slots[f.slot] = 0
		}
	}
	clear(t.list[n:])
	t.list = t.list[:n]
}

func (t *table) len() int { return len(t.list) }

// spot is where a key's field is, or would go.
type spot struct {
	at   int       // index of the field, -1 when the record has none
	e    *keyEntry // the key's entry in knownIndex, nil when it has none
	slot uint64    // else the free slot it would take
	hash uint64
}

// locate finds key's field, or where it would go: a known key (knownIndex)
// has its own slot, any other is hashed.
func (t *table) locate(key string) spot {
	if e := knownIndex.find(key); e != nil {
		return spot{at: int(t.known[e.id]) - 1, e: e}
	}
	h := maphash.String(t.seed, key)
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return spot{at: -1, slot: i, hash: h}
		}
		if f := &t.list[s-1]; f.hash == h && f.key == key {
			return spot{at: int(s - 1)}
		}
	}
}

// has reports whether the record has a field key.
func (t *table) has(key string) bool { return t.locate(key).at >= 0 }

// get returns the value of key, "" when the record has no such field.
func (t *table) get(key string) string {
	v, _ := t.lookup(key)
	return v
}

// lookup returns the value of key and whether the record has the field.
func (t *table) lookup(key string) (string, bool) {
	if at := t.locate(key).at; at >= 0 {
		return t.list[at].val, true
	}
	return "", false
}

// add sets key to val unless the key is set already (the first writer
// wins) or the record has maxFields fields. key must stay unchanged while
// the field is held: the caller passes a substring of the text or the
// arena, or asks for a copy with addBytes.
func (t *table) add(key, val string) {
	if len(t.list) >= maxFields {
		return
	}
	if sp := t.locate(key); sp.at < 0 {
		t.insert(key, val, &sp)
	}
}

// insert adds a field where locate said it goes.
func (t *table) insert(key, val string, sp *spot) {
	f := field{key: key, val: val, hash: sp.hash, slot: uint16(sp.slot), known: sp.e != nil}
	if sp.e != nil {
		f.slot = uint16(sp.e.id)
		if sp.e.kind < numKinds {
			f.kind, f.rank = int16(sp.e.kind), int16(sp.e.rank)
		}
	}
	t.list = append(t.list, f)
	if f.known {
		t.known[f.slot] = uint16(len(t.list))
	} else {
		t.slots[f.slot] = uint16(len(t.list))
	}
}

// addBytes is add for a key being built in a buffer: the key is copied to
// the arena only when the field is new.
func (t *table) addBytes(key []byte, val string, arena *[]byte) {
	if len(t.list) >= maxFields || len(key) == 0 {
		return
	}
	if sp := t.locate(bytesView(key)); sp.at < 0 {
		t.insert(keep(arena, key), val, &sp)
	}
}

// bytesView is b as a string without a copy: for a look-up that does not
// keep it.
func bytesView(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// keep appends b to the arena and returns the copy as a string. The
// arena's bytes are never written again until the Parser's next record, so
// the string holds until then; when append moves the arena, the strings
// made before keep the old array alive.
func keep(arena *[]byte, b []byte) string {
	if len(b) == 0 {
		return ""
	}
	start := len(*arena)
	*arena = append(*arena, b...)
	return bytesView((*arena)[start:])
}
