package bsi

import (
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
)

// TestAgainstSlice checks Range, Sum, Select and Decode against a plain
// slice of values.
func TestAgainstSlice(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := r.IntN(3000) + 1
		var ids []uint32
		var vals []int64
		spread := []int64{1, 100, 1 << 40, math.MaxInt64}[trial%4]
		for id := range uint32(n) {
			if r.IntN(4) == 0 {
				continue
			}
			ids = append(ids, id*3)
			v := r.Int64N(spread)
			if trial%4 == 3 && r.IntN(2) == 0 {
				v = -v - 1
			}
			vals = append(vals, v)
		}
		b := Build(ids, vals)
		known := roaring.BitmapOf(ids...)
		lo, hi := vals[0], vals[len(vals)/2]
		if r.IntN(3) == 0 {
			lo, hi = math.MinInt64, math.MaxInt64
		}
		var want []uint32
		for i, v := range vals {
			if lo <= v && v <= hi {
				want = append(want, ids[i])
			}
		}
		if got := b.Range(known, lo, hi).ToArray(); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("trial %d: Range(%d, %d) = %d ids, want %d", trial, lo, hi, len(got), len(want))
		}
		sum := new(big.Int)
		for _, v := range vals {
			sum.Add(sum, big.NewInt(v))
		}
		if got := b.Sum(known); got.Cmp(sum) != 0 {
			t.Fatalf("trial %d: Sum = %v, want %v", trial, got, sum)
		}
		sorted := slices.Sorted(slices.Values(vals))
		for _, k := range []int{0, len(sorted) / 2, len(sorted) - 1} {
			if got := b.Select(known, uint64(k)); got != sorted[k] {
				t.Fatalf("trial %d: Select(%d) = %d, want %d", trial, k, got, sorted[k])
			}
		}
		i := 0
		b.Decode(known, func(id uint32, v int64) {
			if id != ids[i] || v != vals[i] {
				t.Fatalf("trial %d: Decode #%d = (%d, %d), want (%d, %d)", trial, i, id, v, ids[i], vals[i])
			}
			i++
		})
	}
}
