// Package keydict maps the caller's customer keys to dense uint32 IDs in
// insertion order. A Dict is immutable; a Writer derives a new Dict from an
// old one and copies only the pages and shards it touches, so snapshots share
// almost all of their dictionary.
package keydict

const (
	pageBits  = 12
	pageSize  = 1 << pageBits
	shardBits = 8
	shards    = 1 << shardBits
)

// Dict is an immutable key dictionary. The zero Dict is empty.
type Dict struct {
	pages  [][]string
	n      uint32
	shards [shards]map[string]uint32
}

// Len returns the number of IDs assigned.
func (d *Dict) Len() uint32 { return d.n }

// Lookup returns the ID of key.
func (d *Dict) Lookup(key string) (uint32, bool) {
	m := d.shards[shardOf(key)]
	if m == nil {
		return 0, false
	}
	id, ok := m[key]
	return id, ok
}

// Key returns the key of id.
func (d *Dict) Key(id uint32) (string, bool) {
	if id >= d.n {
		return "", false
	}
	return d.pages[id>>pageBits][id&(pageSize-1)], true
}

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
		w.d.pages = append([][]string(nil), d.pages...)
	}
	return w
}

// Lookup returns the ID of key, including keys added through w.
func (w *Writer) Lookup(key string) (uint32, bool) { return w.d.Lookup(key) }

// Len returns the number of IDs assigned so far.
func (w *Writer) Len() uint32 { return w.d.n }

// Add assigns the next ID to key, which must not be present.
func (w *Writer) Add(key string) uint32 {
	id := w.d.n
	s := shardOf(key)
	if !w.ownedShards[s] {
		old := w.d.shards[s]
		m := make(map[string]uint32, len(old)+1)
		for k, v := range old {
			m[k] = v
		}
		w.d.shards[s] = m
		w.ownedShards[s] = true
	}
	w.d.shards[s][key] = id
	p := int(id >> pageBits)
	if p == len(w.d.pages) {
		w.d.pages = append(w.d.pages, make([]string, 0, pageSize))
		w.ownedPage = p
	} else if w.ownedPage != p {
		w.d.pages[p] = append(make([]string, 0, pageSize), w.d.pages[p]...)
		w.ownedPage = p
	}
	w.d.pages[p] = append(w.d.pages[p], key)
	w.d.n++
	return id
}

// Dict returns the dictionary written so far. The Writer must not be used
// afterwards.
func (w *Writer) Dict() *Dict {
	d := w.d
	return &d
}

func shardOf(key string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(key); i++ {
		h ^= uint32(key[i])
		h *= 16777619
	}
	return (h ^ h>>16) & (shards - 1)
}
