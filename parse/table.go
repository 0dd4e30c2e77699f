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
	slot       uint16 // its place in table.slots
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
		t.slots[t.list[i].slot] = 0
	}
	clear(t.list[n:])
	t.list = t.list[:n]
}

func (t *table) len() int { return len(t.list) }

// find returns the index of key's field, or -1, and the hash of key.
func (t *table) find(key string) (int, uint64) {
	h := maphash.String(t.seed, key)
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return -1, h
		}
		if f := &t.list[s-1]; f.hash == h && f.key == key {
			return int(s - 1), h
		}
	}
}

// has reports whether the record has a field key.
func (t *table) has(key string) bool {
	i, _ := t.find(key)
	return i >= 0
}

// get returns the value of key, "" when the record has no such field.
func (t *table) get(key string) string {
	if i, _ := t.find(key); i >= 0 {
		return t.list[i].val
	}
	return ""
}

// lookup returns the value of key and whether the record has the field.
func (t *table) lookup(key string) (string, bool) {
	if i, _ := t.find(key); i >= 0 {
		return t.list[i].val, true
	}
	return "", false
}

// add sets key to val unless the key is set already (the first writer
// wins) or the record has maxFields fields. key must stay unchanged while
// the field is held: the caller passes a substring of the text or the
// arena, or asks for a copy with keyBytes.
func (t *table) add(key, val string) {
	if len(t.list) >= maxFields {
		return
	}
	i, h := t.find(key)
	if i >= 0 {
		return
	}
	t.insert(key, val, h)
}

func (t *table) insert(key, val string, h uint64) {
	mask := uint64(len(t.slots) - 1)
	j := h & mask
	for t.slots[j] != 0 {
		j = (j + 1) & mask
	}
	kind, rank := keyKind(key)
	t.list = append(t.list, field{key: key, val: val, hash: h, slot: uint16(j), kind: int16(kind), rank: int16(rank)})
	t.slots[j] = uint16(len(t.list))
}

// addBytes is add for a key being built in a buffer: the key is copied to
// the arena only when the field is new.
func (t *table) addBytes(key []byte, val string, arena *[]byte) {
	if len(t.list) >= maxFields || len(key) == 0 {
		return
	}
	i, h := t.find(bytesView(key))
	if i >= 0 {
		return
	}
	t.insert(keep(arena, key), val, h)
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

// keepString is keep for a string.
func keepString(arena *[]byte, s string) string {
	if s == "" {
		return ""
	}
	start := len(*arena)
	*arena = append(*arena, s...)
	return bytesView((*arena)[start:])
}
