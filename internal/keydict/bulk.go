package keydict

import (
	"hash/maphash"
	"math"
)

// FromKeys returns a Dict that assigns ID i to keys[i]. When a key repeats
// it returns nil and the index of the second occurrence (the smallest index
// whose key occurs before it). keys is not retained.
//
// It reads the keys in order: once to copy them into pages, hash them and
// count them per shard, once more to lay out (hash, index) pairs shard by
// shard. Then it fills one shard's table at a time, so that the table being
// filled stays in cache (a key is compared only when two hash tags meet).
func FromKeys(keys []string) (*Dict, int) {
	d := &Dict{n: uint32(len(keys)), seed: maphash.MakeSeed()}
	var counts [shards]int
	d.pages = newPages(keys, func(k string) {
		s, _ := split(maphash.String(d.seed, k))
		counts[s]++
	})
	var next [shards]int
	for s := 1; s < shards; s++ {
		next[s] = next[s-1] + counts[s-1]
	}
	// pairs[j] is h32<<32 | index, grouped by shard, each group in index
	// order. The pairs are staged per shard in a cache line's worth before
	// they are written out: 256 streams of single stores miss far more.
	pairs := make([]uint64, len(keys))
	var stage [shards][8]uint64
	var fill [shards]uint8
	for i, k := range keys {
		s, h32 := split(maphash.String(d.seed, k))
		f := fill[s]
		stage[s][f&7] = uint64(h32)<<32 | uint64(i)
		if f++; f == 8 {
			j := next[s]
			*(*[8]uint64)(pairs[j : j+8]) = stage[s]
			next[s] = j + 8
			f = 0
		}
		fill[s] = f
	}
	for s := range stage {
		copy(pairs[next[s]:], stage[s][:fill[s]])
	}
	dup := -1
	lo := 0
	for s := range d.shards {
		if counts[s] == 0 {
			continue
		}
		group := pairs[lo : lo+counts[s]]
		lo += counts[s]
		t := newTable(tableSize(len(group)))
		size := len(t.ids)
		for _, p := range group {
			h32, id := uint32(p>>32), uint32(p)
			tag := tagOf(h32)
			i := start(h32, size)
			for t.tags[i] != 0 {
				if t.tags[i] == tag && keys[t.ids[i]] == keys[id] {
					if dup < 0 || int(id) < dup {
						dup = int(id)
					}
					break
				}
				if i++; i == size {
					i = 0
				}
			}
			if t.tags[i] == 0 {
				t.tags[i], t.ids[i] = tag, id
				t.n++
			}
		}
		d.shards[s] = t
	}
	if dup >= 0 {
		return nil, dup
	}
	return d, -1
}

// newPages returns the pages of keys, sharing one allocation of bytes and
// one of offsets, and calls each with every key in order; every page is
// capped, so that a Writer copies it before appending.
func newPages(keys []string, each func(string)) []page {
	total := 0
	for _, k := range keys {
		total += len(k)
	}
	data := make([]byte, total)
	ends := make([]uint32, len(keys))
	pages := make([]page, 0, (len(keys)+pageSize-1)/pageSize)
	off := 0
	for lo := 0; lo < len(keys); lo += pageSize {
		hi := min(lo+pageSize, len(keys))
		start := off
		if pageBytes(keys[lo:hi]) > math.MaxUint32 {
			// Rare: a page of more than 4 GiB of keys.
			p := page{data: make([]byte, 0, pageBytes(keys[lo:hi]))}
			for _, k := range keys[lo:hi] {
				p.add(k)
				each(k)
			}
			pages = append(pages, p)
			continue
		}
		pe := ends[lo:hi:hi]
		for i, k := range keys[lo:hi] {
			off += copy(data[off:], k)
			pe[i] = uint32(off - start)
			each(k)
		}
		pages = append(pages, page{data: data[start:off:off], ends: pe})
	}
	return pages
}
