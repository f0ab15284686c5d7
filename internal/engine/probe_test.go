package engine

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
)

// TestProbe checks Probe against roaring's Contains on bitmaps with every
// container kind (arrays, bitmaps, runs, full chunks, absent chunks) and
// sorted ID sets of every density.
func TestProbe(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for run := range 200 {
		bm := roaring.New()
		for key := range uint32(6) {
			base := key << ChunkBits
			switch r.IntN(5) {
			case 0: // absent
			case 1: // array
				for range r.IntN(4000) + 1 {
					bm.Add(base + uint32(r.IntN(1<<ChunkBits)))
				}
			case 2: // bitmap
				for range 5000 + r.IntN(30000) {
					bm.Add(base + uint32(r.IntN(1<<ChunkBits)))
				}
			case 3: // runs
				for range r.IntN(20) + 1 {
					s := uint64(base) + uint64(r.IntN(1<<ChunkBits-2000))
					bm.AddRange(s, s+uint64(r.IntN(2000))+1)
				}
			case 4: // full
				bm.AddRange(uint64(base), uint64(base)+1<<ChunkBits)
			}
		}
		bm.RunOptimize()
		_, f := Freeze(bm)
		n := []int{1, 10, 100, 5000, 60000}[run%5]
		ids := make([]uint32, n)
		for i := range ids {
			ids[i] = uint32(r.IntN(7 << ChunkBits))
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		out := make([]uint64, (len(ids)+63)/64)
		f.Probe(ids, out)
		for i, id := range ids {
			if got, want := out[i>>6]&(1<<(i&63)) != 0, bm.Contains(id); got != want {
				t.Fatalf("run %d: Probe says %v for %d, Contains %v", run, got, id, want)
			}
		}
	}
}
