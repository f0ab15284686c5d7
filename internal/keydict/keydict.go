// Package keydict maps the caller's customer keys to dense uint32 IDs in
// insertion order. A Dict is immutable; a Writer derives a new Dict from an
// old one and copies only the pages and shards it touches, so snapshots share
// almost all of their dictionary.
//
// The keys live once, in pages of IDs to keys (bytes and offsets, no
// pointers). The key-to-ID direction is a
// set of open-addressing tables (one per shard) whose slots hold an ID and
// 32 bits of its key's hash in one word, so that a probe reads one word per
// slot, compares a key only when the hashes match, and a table grows
// without reading a key: 8 bytes per slot at a load of at most 3/4.
package keydict

import "hash/maphash"

const (
	pageBits  = 12
	pageSize  = 1 << pageBits
	shardBits = 8
	shards    = 1 << shardBits
)

// Dict is an immutable key dictionary. The zero Dict is empty.
type Dict struct {
	pages  []page
	n      uint32
	seed   maphash.Seed // zero only while the Dict is empty
	shards [shards]*table

	// top is the greatest key in shortlex order (see above), when hasTop.
	top    string
	hasTop bool
}

// table is one shard's key -> ID index: linear probing from slot
// start(h32, len(slots)). slots[i] is 0 for an empty slot, else
// h32<<32 | id: the key's 32 hash bits (never 0) and its ID.
type table struct {
	slots []uint64
	n     int // occupied slots
}

// split divides a key's hash into its shard and the 32 bits, never 0, the
// shard's table uses.
func split(h uint64) (shard uint32, h32 uint32) {
	return uint32(h >> (64 - shardBits)), uint32(h) | 1
}

func slotOf(h32, id uint32) uint64 { return uint64(h32)<<32 | uint64(id) }

// start returns the first slot to probe in a table of size slots.
func start(h32 uint32, size int) int { return int(uint64(h32) * uint64(size) >> 32) }

// tableSize returns the slots for n keys after a (re)build: a load of 3/4.
func tableSize(n int) int { return max(8, n+n/3+1) }

// put inserts an occupied slot's word.
func (t *table) put(w uint64) {
	size := len(t.slots)
	i := start(uint32(w>>32), size)
	for t.slots[i] != 0 {
		if i++; i == size {
			i = 0
		}
	}
	t.slots[i] = w
	t.n++
}

// find returns the ID of key, whose hash's low 32 bits are h32; d holds the
// keys of t's IDs.
func (t *table) find(h32 uint32, key string, d *Dict) (uint32, bool) {
	size := len(t.slots)
	i := start(h32, size)
	for {
		w := t.slots[i]
		if w == 0 {
			return 0, false
		}
		if uint32(w>>32) == h32 {
			if id := uint32(w); d.key(id) == key {
				return id, true
			}
		}
		if i++; i == size {
			i = 0
		}
	}
}

func newTable(size int) *table {
	return &table{slots: make([]uint64, size)}
}

// Len returns the number of IDs assigned.
func (d *Dict) Len() uint32 { return d.n }

// Lookup returns the ID of key.
func (d *Dict) Lookup(key string) (uint32, bool) {
	if d.n == 0 {
		return 0, false
	}
	s, h32 := split(maphash.String(d.seed, key))
	t := d.shards[s]
	if t == nil {
		return 0, false
	}
	return t.find(h32, key, d)
}

// Key returns the key of id.
func (d *Dict) Key(id uint32) (string, bool) {
	if id >= d.n {
		return "", false
	}
	return d.key(id), true
}

func (d *Dict) key(id uint32) string { return d.pages[id>>pageBits].key(int(id & (pageSize - 1))) }

// Bytes returns the memory d's pages and tables take (their capacities).
// Pages that several Dicts share are counted in each.
func (d *Dict) Bytes() uint64 {
	var n uint64
	for i := range d.pages {
		p := &d.pages[i]
		n += uint64(cap(p.data)) + 4*uint64(cap(p.ends)) + 8*uint64(cap(p.wide)) + 64
	}
	for _, t := range d.shards {
		if t != nil {
			n += 8*uint64(cap(t.slots)) + 32
		}
	}
	return n
}
