// Package bsi holds a bit-sliced index over int64 values: one roaring bitmap
// per bit of the offset value. A BSI is immutable once built; every method
// that answers a query returns a new bitmap the caller owns.
package bsi

import (
	"math"
	"math/bits"

	"github.com/RoaringBitmap/roaring/v2"
)

// BSI stores value v of customer id as the bits of uint64(v-Offset): id is in
// Planes[i] when bit i is set. Customers without a value are in no plane;
// which customers have a value is kept by the caller (the known bitmap).
type BSI struct {
	Offset int64
	Planes []*roaring.Bitmap
}

// Build returns the index of vals[i] for ids[i]. ids must be strictly
// increasing.
func Build(ids []uint32, vals []int64) *BSI {
	if len(ids) == 0 {
		return &BSI{}
	}
	lo, hi := vals[0], vals[0]
	for _, v := range vals {
		lo = min(lo, v)
		hi = max(hi, v)
	}
	depth := bits.Len64(uint64(hi - lo))
	b := &BSI{Offset: lo, Planes: make([]*roaring.Bitmap, depth)}
	buf := make([]uint32, 0, len(ids))
	for i := range depth {
		buf = buf[:0]
		for j, id := range ids {
			if uint64(vals[j]-lo)>>i&1 != 0 {
				buf = append(buf, id)
			}
		}
		p := roaring.New()
		p.AddMany(buf)
		p.RunOptimize()
		b.Planes[i] = p
	}
	return b
}

// Fits reports whether v can be stored without re-encoding.
func (b *BSI) Fits(v int64) bool {
	if v < b.Offset {
		return false
	}
	u := uint64(v - b.Offset)
	return bits.Len64(u) <= len(b.Planes)
}

// Decode calls fn for every id in known with its value, in increasing id
// order. Plane bits of customers outside known are ignored. It is meant for
// rebuilds and tests, not for queries.
func (b *BSI) Decode(known *roaring.Bitmap, fn func(id uint32, v int64)) {
	if known.IsEmpty() {
		return
	}
	ids := known.ToArray()
	us := make([]uint64, len(ids))
	for i, p := range b.Planes {
		j := 0
		it := p.Iterator()
		for it.HasNext() {
			id := it.Next()
			for j < len(ids) && ids[j] < id {
				j++
			}
			if j == len(ids) {
				break
			}
			if ids[j] == id {
				us[j] |= 1 << i
			}
		}
	}
	for j, id := range ids {
		fn(id, b.Offset+int64(us[j]))
	}
}

// Get returns the value of id, which the caller knows to have one.
func (b *BSI) Get(id uint32) int64 {
	var u uint64
	for i, p := range b.Planes {
		if p.Contains(id) {
			u |= 1 << i
		}
	}
	return b.Offset + int64(u)
}

// Range returns the customers of within whose value lies in [lo, hi].
// within must hold only customers that have a value.
func (b *BSI) Range(within *roaring.Bitmap, lo, hi int64) *roaring.Bitmap {
	if lo > hi || within.IsEmpty() {
		return roaring.New()
	}
	if hi < b.Offset {
		return roaring.New()
	}
	top := maxU(len(b.Planes))
	uhi := min(uint64(hi-b.Offset), top)
	var ulo uint64
	if lo > b.Offset {
		ulo = uint64(lo - b.Offset)
	}
	if ulo > uhi {
		return roaring.New()
	}
	res := within.Clone()
	if uhi < top {
		res = b.le(res, uhi)
	}
	if ulo > 0 {
		res.AndNot(b.le(res.Clone(), ulo-1))
	}
	return res
}

// le narrows eq to the customers whose value is <= c (O'Neil and Quass).
func (b *BSI) le(eq *roaring.Bitmap, c uint64) *roaring.Bitmap {
	lt := roaring.New()
	for i := len(b.Planes) - 1; i >= 0; i-- {
		if c>>i&1 != 0 {
			lt.Or(roaring.AndNot(eq, b.Planes[i]))
			eq.And(b.Planes[i])
		} else {
			eq.AndNot(b.Planes[i])
		}
	}
	lt.Or(eq)
	return lt
}

func maxU(depth int) uint64 {
	if depth >= 64 {
		return math.MaxUint64
	}
	return 1<<depth - 1
}
