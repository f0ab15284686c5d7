package keydict

import (
	"hash/maphash"
	"math"
	"unsafe"
)

// Packed is a run of keys in ID order laid out as a Dict's pages hold
// them, for loading a dictionary without a string per key: Data holds the
// keys' bytes back to back, Ends[i] is the end of key i in Data relative
// to the start of its page (the pageSize keys from i&^(pageSize-1)).
type Packed struct {
	Data []byte
	Ends []uint32
}

// PageSize is the number of keys of a page: Packed.Ends restarts from the
// page's first byte every PageSize keys.
const PageSize = pageSize

// MaxPageBytes is the most bytes the keys of one page of a Packed may take.
const MaxPageBytes = math.MaxUint32

// EndsOf returns the len(b)/4 little-endian uint32s of b as a slice that
// reads b, for Packed.Ends: nothing is copied. Like roaring's FromBuffer, it
// assumes a little-endian machine.
func EndsOf(b []byte) []uint32 {
	if len(b) < 4 {
		return nil
	}
	return unsafe.Slice((*uint32)(unsafe.Pointer(&b[0])), len(b)/4)
}

// FromPacked returns a Dict that assigns ID i to key i of p, whose pages
// it takes over without copying (p must not be changed afterwards). When a
// key repeats it returns nil and the index of the second occurrence (the
// smallest index whose key occurs before it). The ends of every page must
// be non-decreasing and within Data; FromPacked does not check them.
//
// It does what FromKeys does, reading the keys from the pages: each key is
// hashed twice (its shard, then its slot) and its fingerprint computed, and
// the tables are filled one shard at a time from batches of (hash, ID)
// pairs, so that the table being filled stays in cache.
func FromPacked(p Packed) (*Dict, int) {
	n := len(p.Ends)
	d := &Dict{n: uint32(n), seed: maphash.MakeSeed()}
	d.pages = make([]page, 0, (n+pageSize-1)/pageSize)
	hs := make([]uint64, n) // the keys' hashes, in ID order
	var counts [shards]int
	var fp uint64
	off := 0
	for lo := 0; lo < n; lo += pageSize {
		hi := min(lo+pageSize, n)
		ends := p.Ends[lo:hi:hi]
		end := off + int(ends[len(ends)-1])
		pg := page{data: p.Data[off:end:end], ends: ends, prev: fp}
		h := hs[lo:hi]
		for i := range ends {
			k := pg.key(i)
			h[i] = maphash.String(d.seed, k)
			counts[h[i]>>(64-shardBits)]++
			fp = chain(fp, keyHash(k))
		}
		pg.fp = fp
		d.pages = append(d.pages, pg)
		off = end
	}
	var next [shards]int
	for s := 1; s < shards; s++ {
		next[s] = next[s-1] + counts[s-1]
	}
	pairs := make([]uint64, n)
	scatterHashes(hs, pairs, next)
	dup := -1
	at := 0
	for s, c := range counts {
		if c == 0 {
			continue
		}
		t := newTable(tableSize(c))
		d.shards[s] = t
		if i := t.fillPacked(pairs[at:at+c], d); i >= 0 && (dup < 0 || i < dup) {
			dup = i
		}
		at += c
	}
	if dup >= 0 {
		return nil, dup
	}
	return d, -1
}

// scatterHashes writes h32<<32 | id for the hashes hs of IDs 0, 1, ...
// into pairs, grouped by shard from the offsets next, each group in ID
// order, staging a cache line's worth per shard as scatter does.
func scatterHashes(hs, pairs []uint64, next [shards]int) {
	var stage [shards][8]uint64
	var fill [shards]uint8
	for i, h := range hs {
		s, h32 := split(h)
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

// fillPacked is fill comparing the keys of d.
func (t *table) fillPacked(pairs []uint64, d *Dict) int {
	dup := -1
	size := len(t.slots)
	for _, p := range pairs {
		h32, id := uint32(p>>32), uint32(p)
		i := start(h32, size)
		for {
			w := t.slots[i]
			if w == 0 {
				t.slots[i] = p
				t.n++
				break
			}
			if w>>32 == p>>32 && d.key(uint32(w)) == d.key(id) {
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
