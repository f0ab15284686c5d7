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
// count them per shard, once more, a batch at a time, to lay out (hash,
// index) pairs shard by shard. Then it fills one shard's table at a time
// with the batch's pairs, so that the table being filled stays in cache (a
// key is compared only when two hashes meet).
func FromKeys(keys []string) (*Dict, int) { return fromKeys(keys, max(len(keys)/4, 1<<20)) }

// fromKeys is FromKeys with batches of batch keys.
func fromKeys(keys []string, batch int) (*Dict, int) {
	d := &Dict{n: uint32(len(keys)), seed: maphash.MakeSeed()}
	sc := shardCount{seed: d.seed, sh: make([]uint8, len(keys))}
	d.pages = newPages(keys, &sc)
	if len(keys) > 0 {
		d.top, d.hasTop = d.key(uint32(sc.top)), true
	}
	sh := sc.sh
	for s, n := range sc.total {
		if n > 0 {
			d.shards[s] = newTable(tableSize(n))
		}
	}
	// The keys go in batches, through one buffer of (hash, index) pairs
	// that is reused: it stays smaller than the keys and warm.
	pairs := make([]uint64, min(batch, len(keys)))
	dup := -1
	for lo := 0; lo < len(keys); lo += batch {
		hi := min(len(keys), lo+batch)
		var counts, next [shards]int
		for _, s := range sh[lo:hi] {
			counts[s]++
		}
		for s := 1; s < shards; s++ {
			next[s] = next[s-1] + counts[s-1]
		}
		scatter(d.seed, keys, lo, hi, pairs, next)
		off := 0
		for s, n := range counts {
			if n == 0 {
				continue
			}
			if i := d.shards[s].fill(pairs[off:off+n], keys); i >= 0 && (dup < 0 || i < dup) {
				dup = i
			}
			off += n
		}
	}
	if dup >= 0 {
		return nil, dup
	}
	return d, -1
}

// scatter writes h32<<32 | i for the keys lo to hi-1 into pairs, grouped
// by shard from the offsets next, each group in index order. The pairs are
// staged per shard a cache line's worth at a time before they are written
// out: 256 streams of single stores miss far more.
func scatter(seed maphash.Seed, keys []string, lo, hi int, pairs []uint64, next [shards]int) {
	var stage [shards][8]uint64
	var fill [shards]uint8
	for i := lo; i < hi; i++ {
		s, h32 := split(maphash.String(seed, keys[i]))
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
}

// fill inserts the IDs of pairs (h32<<32 | id, in increasing id order)
// into t, sized for them. It returns the smallest id whose key (in keys)
// was already in t, or -1.
func (t *table) fill(pairs []uint64, keys []string) int {
	dup := -1
	size := len(t.slots)
	for _, p := range pairs {
		h32, id := uint32(p>>32), uint32(p)
		i := start(h32, size)
		for {
			w := t.slots[i]
			if w == 0 {
				t.slots[i] = p // the pair is the slot's word
				t.n++
				break
			}
			if w>>32 == p>>32 && keys[uint32(w)] == keys[id] {
				if dup < 0 {
					dup = int(id)
				}
				break
			}
			if i++; i == size {
				i = 0
			}
		}
	}
	return dup
}

// shardCount records the shard of each key, counts the keys per shard and
// finds the greatest key in shortlex order (its index).
type shardCount struct {
	seed  maphash.Seed
	sh    []uint8 // key index -> shard
	total [shards]int
	top   int
	max   string
}

func (sc *shardCount) add(i int, k string) {
	s, _ := split(maphash.String(sc.seed, k))
	sc.sh[i] = uint8(s)
	sc.total[s]++
	if i == 0 || shortlexLess(sc.max, k) {
		sc.top, sc.max = i, k
	}
}

// newPages returns the pages of keys, sharing one allocation of bytes and
// one of offsets, and passes every key to sc in order; every page is
// capped, so that a Writer copies it before appending.
func newPages(keys []string, sc *shardCount) []page {
	total := 0
	for _, k := range keys {
		total += len(k)
	}
	data := make([]byte, total)
	ends := make([]uint32, len(keys))
	pages := make([]page, 0, (len(keys)+pageSize-1)/pageSize)
	off := 0
	var fp uint64
	for lo := 0; lo < len(keys); lo += pageSize {
		hi := min(lo+pageSize, len(keys))
		start := off
		if pageBytes(keys[lo:hi]) > math.MaxUint32 {
			// Rare: a page of more than 4 GiB of keys.
			p := page{data: make([]byte, 0, pageBytes(keys[lo:hi])), prev: fp, fp: fp}
			for i, k := range keys[lo:hi] {
				p.add(k)
				sc.add(lo+i, k)
			}
			pages = append(pages, p)
			fp = p.fp
			continue
		}
		pe := ends[lo:hi:hi]
		prev := fp
		for i, k := range keys[lo:hi] {
			off += copy(data[off:], k)
			pe[i] = uint32(off - start)
			sc.add(lo+i, k)
			fp = chain(fp, keyHash(k))
		}
		pages = append(pages, page{data: data[start:off:off], ends: pe, prev: prev, fp: fp})
	}
	return pages
}
