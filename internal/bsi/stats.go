package bsi

import (
	"math/big"

	"github.com/RoaringBitmap/roaring/v2"
)

// Sum returns the exact sum of the values of the customers in within, which
// must hold only customers that have a value: Offset·|within| plus 2^i times
// the number of them in plane i.
func (b *BSI) Sum(within *roaring.Bitmap) *big.Int {
	n := within.GetCardinality()
	sum := new(big.Int).Mul(big.NewInt(b.Offset), new(big.Int).SetUint64(n))
	var term big.Int
	for i, p := range b.Planes {
		c := within.AndCardinality(p)
		if c == 0 {
			continue
		}
		term.SetUint64(c)
		term.Lsh(&term, uint(i))
		sum.Add(sum, &term)
	}
	return sum
}

// Sum64 returns the sum as a float64, rounded.
func (b *BSI) Sum64(within *roaring.Bitmap) float64 {
	f, _ := new(big.Float).SetInt(b.Sum(within)).Float64()
	return f
}

// Select returns the k-th smallest value (k counts from 0) among the
// customers of within, which must hold only customers that have a value and
// more than k of them. It walks the planes from the top, keeping the
// candidates whose bits agree with the answer so far: one bitmap operation
// per plane, never one per customer.
func (b *BSI) Select(within *roaring.Bitmap, k uint64) int64 {
	cand := within.Clone()
	var u uint64
	for i := len(b.Planes) - 1; i >= 0; i-- {
		p := b.Planes[i]
		ones := cand.AndCardinality(p)
		zeros := cand.GetCardinality() - ones
		if k < zeros {
			cand.AndNot(p)
		} else {
			k -= zeros
			cand.And(p)
			u |= 1 << i
		}
	}
	return b.Offset + int64(u)
}
