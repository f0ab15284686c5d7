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

// full reports whether t must grow before holding one more key.
func (t *table) full() bool { return 4*(t.n+1) > 3*len(t.slots) }

// insert puts id, whose key is not in t, into t.
func (t *table) insert(h32 uint32, id uint32) { t.put(slotOf(h32, id)) }

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
	id, _, ok := t.probe(h32, key, d)
	return id, ok
}

// probe is find that also returns, when key is absent, the empty slot
// where its probe ended: where insert would put it.
func (t *table) probe(h32 uint32, key string, d *Dict) (uint32, int, bool) {
	size := len(t.slots)
	i := start(h32, size)
	for {
		w := t.slots[i]
		if w == 0 {
			return 0, i, false
		}
		if uint32(w>>32) == h32 {
			if id := uint32(w); d.key(id) == key {
				return id, i, true
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

// Writer assigns new IDs on top of a Dict without changing it.
type Writer struct {
	d           Dict
	ownedShards [shards]bool
	ownedPage   int // index of the last page if owned, else -1
}

// NewWriter returns a Writer starting from d (nil for an empty dictionary).
func NewWriter(d *Dict) *Writer {
	w := &Writer{ownedPage: -1}
	if d != nil {
		w.d = *d
		w.d.pages = append([]page(nil), d.pages...)
	}
	if w.d.n == 0 {
		w.d.seed = maphash.MakeSeed()
	}
	return w
}

// Lookup returns the ID of key, including keys added through w.
func (w *Writer) Lookup(key string) (uint32, bool) { return w.d.Lookup(key) }

// Len returns the number of IDs assigned so far.
func (w *Writer) Len() uint32 { return w.d.n }

// Add assigns the next ID to key, which must not be present.
func (w *Writer) Add(key string) uint32 {
	s, h32 := split(maphash.String(w.d.seed, key))
	return w.add(key, s, h32, -1)
}

// Insert assigns the next ID to key unless key is present already: it
// returns the key's ID and whether it was added. It hashes the key once.
func (w *Writer) Insert(key string) (uint32, bool) {
	s, h32 := split(maphash.String(w.d.seed, key))
	slot := -1
	if t := w.d.shards[s]; t != nil {
		id, i, ok := t.probe(h32, key, &w.d)
		if ok {
			return id, false
		}
		slot = i
	}
	return w.add(key, s, h32, slot), true
}

// add assigns the next ID to key, of shard s and hash h32, not present;
// slot is the free slot of the shard's current table where a probe for
// key ended, or -1.
func (w *Writer) add(key string, s, h32 uint32, slot int) uint32 {
	id := w.d.n
	t := w.d.shards[s]
	switch {
	case t == nil:
		t, slot = newTable(tableSize(1)), -1
	case t.full():
		t, slot = w.rehash(t), -1
	case !w.ownedShards[s]:
		t = &table{slots: append([]uint64(nil), t.slots...), n: t.n}
	}
	w.d.shards[s], w.ownedShards[s] = t, true
	if slot >= 0 {
		t.slots[slot] = slotOf(h32, id)
		t.n++
	} else {
		t.insert(h32, id)
	}
	p := int(id >> pageBits)
	if p == len(w.d.pages) {
		var fp uint64
		var data []byte
		if p > 0 {
			// Expect as many bytes as the page before: one allocation.
			last := &w.d.pages[p-1]
			fp, data = last.fp, make([]byte, 0, len(last.data)+len(last.data)/8)
		}
		w.d.pages = append(w.d.pages, page{data: data, ends: make([]uint32, 0, pageSize), prev: fp, fp: fp})
		w.ownedPage = p
	} else if w.ownedPage != p {
		w.d.pages[p] = w.d.pages[p].clone()
		w.ownedPage = p
	}
	w.d.pages[p].add(key)
	w.d.n++
	return id
}

// rehash returns a new table with t's IDs and room to grow: twice the
// slots a rebuild of t's keys plus one would take. It reads no key.
func (w *Writer) rehash(t *table) *table {
	nt := newTable(2 * tableSize(t.n+1))
	for _, s := range t.slots {
		if s != 0 {
			nt.put(s)
		}
	}
	return nt
}

// Dict returns the dictionary written so far. The Writer must not be used
// afterwards.
func (w *Writer) Dict() *Dict {
	d := w.d
	return &d
}

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
