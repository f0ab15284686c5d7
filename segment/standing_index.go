package segment

import (
	"slices"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
)

// timeIndex finds the customers whose value of a Time field lies in a
// range of time without reading the whole field: the customers in buckets
// of 2^bucketShift seconds. It may hold a customer in more buckets than its
// current value's (a value changed by a batch is added to its new bucket
// and left in the old one): the buckets give candidates, which the caller
// tests exactly. It is rebuilt from the field when such stale entries
// outnumber the customers with a value.
type timeIndex struct {
	buckets map[int64]*roaring.Bitmap
	entries uint64 // IDs held, stale ones included
	known   uint64 // customers with a value when last built
}

// bucketShift makes a bucket about 18 hours wide.
const bucketShift = 16

// index returns the index of the named Time field, building it from the
// current base on first use.
func (s *Standing) index(field string) *timeIndex {
	ix := s.indexes[field]
	if ix == nil {
		ix = &timeIndex{}
		ix.build(s.base, field)
		s.indexes[field] = ix
	}
	return ix
}

func (ix *timeIndex) build(b *Base, field string) {
	ix.buckets = map[int64]*roaring.Bitmap{}
	ix.entries, ix.known = 0, 0
	c := b.col(field)
	if c == nil || c.spec.kind != KindTime {
		return
	}
	ids := map[int64][]uint32{}
	c.bsi.Decode(c.known, func(id uint32, v int64) {
		k := v >> bucketShift
		ids[k] = append(ids[k], id)
	})
	for k, list := range ids {
		ix.buckets[k] = roaring.BitmapOf(list...)
		ix.entries += uint64(len(list))
	}
	ix.known = c.known.GetCardinality()
}

// add puts id in the bucket of the value v.
func (ix *timeIndex) add(id uint32, v int64) {
	k := v >> bucketShift
	bm := ix.buckets[k]
	if bm == nil {
		bm = roaring.New()
		ix.buckets[k] = bm
	}
	if bm.CheckedAdd(id) {
		ix.entries++
	}
}

// update records the values batch t gives the field; nb is the base t
// made, from which the index is rebuilt when stale entries pile up.
func (ix *timeIndex) update(t *Batch, nb *Base, field string) {
	for id, p := range t.pending {
		if v := p.fields[field]; v != nil && p.live {
			ix.add(id, v.n)
		}
	}
	if ix.stale() {
		ix.build(nb, field)
	}
}

// stale reports whether the index holds more stale entries than live ones.
func (ix *timeIndex) stale() bool { return ix.entries > 2*ix.known+1024 }

// crossed returns the candidates whose value an edge of the window of
// length d crossed when the as-of time moved from a to b: the values in
// [a-d, b-d] and in [a, b] (or the reverse when b is before a).
func (ix *timeIndex) crossed(a, b time.Time, d time.Duration) *roaring.Bitmap {
	if b.Before(a) {
		a, b = b, a
	}
	out := roaring.New()
	ix.collect(out, a.Add(-d).Unix(), b.Add(-d).Unix())
	ix.collect(out, a.Unix(), b.Unix())
	return out
}

// collect ors into out the buckets that hold values in [lo, hi].
func (ix *timeIndex) collect(out *roaring.Bitmap, lo, hi int64) {
	klo, khi := lo>>bucketShift, hi>>bucketShift
	if uint64(khi-klo) < uint64(len(ix.buckets)) {
		for k := klo; k <= khi; k++ {
			if bm := ix.buckets[k]; bm != nil {
				out.Or(bm)
			}
		}
		return
	}
	keys := make([]int64, 0, len(ix.buckets))
	for k := range ix.buckets {
		if klo <= k && k <= khi {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		out.Or(ix.buckets[k])
	}
}
