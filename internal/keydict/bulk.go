package keydict

import "hash/maphash"

// FromKeys returns a Dict that assigns ID i to keys[i]. When a key repeats
// it returns nil and the index of the second occurrence (the smallest index
// whose key occurs before it). keys is not retained.
//
// It hashes the keys twice in order, once to count them per shard and once
// to lay out (hash, index) pairs shard by shard, then fills one shard's table
// at a time, so that the table being filled stays in cache and the keys are
// read in order (a key is compared only when two hash tags meet).
func FromKeys(keys []string) (*Dict, int) {
	d := &Dict{n: uint32(len(keys)), seed: maphash.MakeSeed()}
	var counts [shards]int
	for _, k := range keys {
		s, _ := split(maphash.String(d.seed, k))
		counts[s]++
	}
	var next [shards]int
	for s := 1; s < shards; s++ {
		next[s] = next[s-1] + counts[s-1]
	}
	// pairs[j] is h32<<32 | index, grouped by shard, each group in index
	// order.
	pairs := make([]uint64, len(keys))
	for i, k := range keys {
		s, h32 := split(maphash.String(d.seed, k))
		pairs[next[s]] = uint64(h32)<<32 | uint64(i)
		next[s]++
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
	d.pages = newPages(keys)
	return d, -1
}
