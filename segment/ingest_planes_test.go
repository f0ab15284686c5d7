package segment

import (
	"math/rand/v2"
	"testing"

	"github.com/fabeed28/microseg/internal/engine"
)

// TestTranspose64 compares the bit-matrix transpose with the obvious one.
func TestTranspose64(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 100 {
		var m, want [64]uint64
		for i := range m {
			m[i] = r.Uint64() & (uint64(1)<<r.UintN(65) - 1)
		}
		for row := range 64 {
			for col := range 64 {
				want[col] |= (m[row] >> col & 1) << row
			}
		}
		transpose64(&m)
		if m != want {
			t.Fatalf("transpose64 = %x, want %x", m, want)
		}
	}
}

// TestPlaneBlocks checks every bit planeBlocks sets against the values, for
// depths on both sides of the direct/transpose switch, with and without
// presence, and for chunks that end inside a word.
func TestPlaneBlocks(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, depth := range []int{1, 2, 3, 4, 7, 33, 63} {
		for _, n := range []int{1, 63, 64, 65, 1000, 1 << engine.ChunkBits} {
			lo := int64(r.IntN(1000)) - 500
			vals := make([]int64, n)
			present := make([]bool, n)
			for i := range vals {
				vals[i] = lo + int64(r.Uint64()&(uint64(1)<<depth-1))
				present[i] = r.IntN(4) != 0
			}
			for _, pr := range [][]bool{nil, present} {
				blocks := make([]engine.Block, depth)
				for j := range blocks {
					for w := range blocks[j] {
						blocks[j][w] = r.Uint64() // left over from a previous chunk
					}
				}
				planeBlocks(blocks, vals, pr, lo)
				for j := range blocks {
					for pos := range 1 << engine.ChunkBits {
						got := blocks[j][pos>>6]>>(pos&63)&1 != 0
						want := pos < n && (pr == nil || pr[pos]) && uint64(vals[pos]-lo)>>j&1 != 0
						if got != want {
							t.Fatalf("depth %d n %d present %v: plane %d pos %d = %v, want %v", depth, n, pr != nil, j, pos, got, want)
						}
					}
				}
			}
		}
	}
}
