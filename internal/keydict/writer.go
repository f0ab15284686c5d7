package keydict

import "hash/maphash"

// Writer assigns new IDs on top of a Dict without changing it.
//
// The slots of new keys wait in a short list per shard and go into the
// shard's table a list at a time, so that the cache misses of their inserts
// overlap instead of costing one each. A key that comes after every key
// present in shortlex order (shorter keys first, keys of one length
// bytewise: k9 before k10) is new without a probe, and is not indexed
// until a lookup or Dict needs it: then the keys that came in order are
// counted per shard, each table grows once to its size, and they go in.
// Loading keys in increasing order, as a table sorted by its primary key
// gives them, costs no lookup and no table growth.
type Writer struct {
	d           Dict
	ownedShards [shards]bool
	ownedPage   int    // index of the last page if owned, else -1
	indexed     uint32 // the keys of IDs from indexed on are in no table or list
	wait        [shards]*[waitSlots]uint64
	waiting     [shards]uint8
}

// waitSlots is the length of a shard's list of waiting slots.
const waitSlots = 64

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
	w.indexed = w.d.n
	return w
}

// Len returns the number of IDs assigned so far.
func (w *Writer) Len() uint32 { return w.d.n }

// Lookup returns the ID of key, including keys added through w.
func (w *Writer) Lookup(key string) (uint32, bool) {
	if w.after(key) {
		return 0, false
	}
	s, h32 := split(maphash.String(w.d.seed, key))
	return w.find(s, h32, key)
}

// Add assigns the next ID to key, which must not be present.
func (w *Writer) Add(key string) uint32 {
	s, h32 := split(maphash.String(w.d.seed, key))
	return w.add(key, s, h32)
}

// Insert assigns the next ID to key unless key is present already: it
// returns the key's ID and whether it was added. It hashes the key once.
func (w *Writer) Insert(key string) (uint32, bool) {
	s, h32 := split(maphash.String(w.d.seed, key))
	if !w.after(key) {
		if id, ok := w.find(s, h32, key); ok {
			return id, false
		}
	}
	return w.add(key, s, h32), true
}

// after reports whether key comes after every key of w in shortlex order,
// as far as w knows (a Dict of FromPacked does not know its greatest key).
func (w *Writer) after(key string) bool {
	return w.d.n == 0 || w.d.hasTop && shortlexLess(w.d.top, key)
}

// shortlexLess reports whether a comes before b: shorter first, then
// bytewise.
func shortlexLess(a, b string) bool {
	return len(a) < len(b) || len(a) == len(b) && a < b
}

// find returns the ID of key, of shard s and hash h32.
func (w *Writer) find(s, h32 uint32, key string) (uint32, bool) {
	w.index()
	if l := w.wait[s]; l != nil {
		for _, slot := range l[:w.waiting[s]] {
			if uint32(slot>>32) == h32 {
				if id := uint32(slot); w.d.key(id) == key {
					return id, true
				}
			}
		}
	}
	if t := w.d.shards[s]; t != nil {
		return t.find(h32, key, &w.d)
	}
	return 0, false
}

// add assigns the next ID to key, of shard s and hash h32, not present.
// A key after every key is left for index.
func (w *Writer) add(key string, s, h32 uint32) uint32 {
	id := w.d.n
	if !w.after(key) {
		w.index()
		w.queue(s, slotOf(h32, id))
		w.indexed = id + 1
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
	pg := &w.d.pages[p]
	pg.add(key)
	if w.d.n == 0 || w.d.hasTop && shortlexLess(w.d.top, key) {
		w.d.top, w.d.hasTop = pg.key(pg.len()-1), true // the page's copy
	}
	w.d.n++
	return id
}

// queue adds a slot of shard s to its list, flushing the list when full.
func (w *Writer) queue(s uint32, slot uint64) {
	l := w.wait[s]
	if l == nil {
		l = new([waitSlots]uint64)
		w.wait[s] = l
	}
	l[w.waiting[s]] = slot
	if w.waiting[s]++; w.waiting[s] == waitSlots {
		w.flush(s)
	}
}

// index queues the keys of IDs from w.indexed on. It counts them per
// shard first and grows each table once to hold them at a load of 3/4.
func (w *Writer) index() {
	lo, hi := w.indexed, w.d.n
	if lo == hi {
		return
	}
	w.indexed = hi
	if hi-lo > 4*shards {
		var counts [shards]int
		for id := lo; id < hi; id++ {
			s, _ := split(maphash.String(w.d.seed, w.d.key(id)))
			counts[s]++
		}
		for s, c := range counts {
			if c > 0 {
				w.own(uint32(s), c+int(w.waiting[s]), 1)
			}
		}
	}
	for id := lo; id < hi; id++ {
		s, h32 := split(maphash.String(w.d.seed, w.d.key(id)))
		w.queue(s, slotOf(h32, id))
	}
}

// flush puts the waiting slots of shard s into its table.
func (w *Writer) flush(s uint32) {
	if w.waiting[s] == 0 {
		return
	}
	slots := w.wait[s][:w.waiting[s]]
	t := w.own(s, len(slots), 2)
	for _, slot := range slots {
		t.put(slot)
	}
	w.waiting[s] = 0
}

// own returns shard s's table, which w then owns, with room for more keys:
// a new table for more keys at a load of 3/4; when it would be over 3/4
// full, a new table of grow times the slots its keys and more take at a
// load of 3/4; a copy of a table w did not own.
func (w *Writer) own(s uint32, more, grow int) *table {
	t := w.d.shards[s]
	switch {
	case t == nil:
		t = newTable(tableSize(more))
	case 4*(t.n+more) > 3*len(t.slots):
		nt := newTable(grow * tableSize(t.n+more))
		for _, slot := range t.slots {
			if slot != 0 {
				nt.put(slot)
			}
		}
		t = nt
	case !w.ownedShards[s]:
		t = &table{slots: append([]uint64(nil), t.slots...), n: t.n}
	}
	w.d.shards[s], w.ownedShards[s] = t, true
	return t
}

// Dict returns the dictionary written so far. The Writer must not be used
// afterwards.
func (w *Writer) Dict() *Dict {
	w.index()
	for s := range uint32(shards) {
		w.flush(s)
	}
	d := w.d
	return &d
}
