package engine

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/google/go-cmp/cmp"
)

// cubeDim is a dimension of a random cube and, per part, its members.
type cubeDim struct {
	dim CubeDim
	bms []*roaring.Bitmap
	in  [][]int // customer: its parts
}

// randPartition returns a dimension of k disjoint parts of live: some
// customers in none, some parts a long run of customers, some empty.
func randPartition(r *rand.Rand, n uint32, live *roaring.Bitmap, k int) cubeDim {
	bms := make([]*roaring.Bitmap, k)
	for i := range bms {
		bms[i] = roaring.New()
	}
	runLo, runHi := r.Uint32N(n), uint32(0)
	runHi = min(n, runLo+r.Uint32N(80000))
	for id := range n {
		switch {
		case id >= runLo && id < runHi:
			bms[0].Add(id)
		case r.IntN(8) == 0: // in no part
		case k > 1:
			bms[1+r.IntN(k-1)].Add(id)
		}
	}
	return freezeDim(bms, live, false)
}

func freezeDim(bms []*roaring.Bitmap, live *roaring.Bitmap, multi bool) cubeDim {
	d := cubeDim{dim: CubeDim{Multi: multi}, bms: bms}
	n := uint64(0)
	if !live.IsEmpty() {
		n = uint64(live.Maximum()) + 1
	}
	d.in = make([][]int, n)
	for k, bm := range bms {
		bm.And(live)
		for it := bm.Iterator(); it.HasNext(); {
			id := it.Next()
			d.in[id] = append(d.in[id], k)
		}
		bm.RunOptimize()
		_, fz := Freeze(bm)
		d.dim.Parts = append(d.dim.Parts, &Node{Op: Leaf, Bitmap: bm, F: fz})
	}
	return d
}

// TestCountCubeMulti checks CountCube with a Multi dimension of few and of
// many parts of every container kind, first, last, in the middle or alone,
// under filters of every kind, against a count customer by customer.
func TestCountCubeMulti(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	n := uint32(3<<ChunkBits + 1234)
	ks := []int{1, 5, 31, 40, 70}
	if testing.Short() || raceEnabled {
		n = 1<<ChunkBits + 999
		ks = []int{5, 40}
	}
	w := newWorld(r, n)
	s := NewScratch()
	for _, k := range ks {
		var mbms []*roaring.Bitmap
		for range k {
			mbms = append(mbms, randBitmap(r, n, w.live))
		}
		m := freezeDim(mbms, w.live, true)
		a, b := randPartition(r, n, w.live, 3), randPartition(r, n, w.live, 7)
		layouts := [][]cubeDim{{a, b, m}, {m, a, b}, {a, m, b}, {m}, {b, m}}
		for li, dims := range layouts {
			for fi, filter := range []*Node{
				{Op: All},
				{Op: Leaf, Bitmap: w.bms[0], F: w.fzBms[0]},
				{Op: Leaf, Bitmap: w.bms[3], F: w.fzBms[3]},
				{Op: And, Kids: []*Node{{Op: Leaf, Bitmap: w.bms[1], F: w.fzBms[1]}}, Neg: []*Node{{Op: Leaf, Bitmap: w.bms[2], F: w.fzBms[2]}}},
			} {
				edims := make([]CubeDim, len(dims))
				cells := 1
				for i, d := range dims {
					edims[i] = d.dim
					cells *= len(d.bms)
				}
				got := make([]uint64, cells)
				NewPlan(filter, w.fzLive).CountCube(s, edims, got)
				want := cubeByID(n, w.live, filter, dims)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("%d multi parts, layout %d, filter %d: (-want +got)\n%s", k, li, fi, diff)
				}
			}
		}
	}
}

// cubeByID counts the cube of dims customer by customer.
func cubeByID(n uint32, live *roaring.Bitmap, filter *Node, dims []cubeDim) []uint64 {
	cells := 1
	for _, d := range dims {
		cells *= len(d.bms)
	}
	counts := make([]uint64, cells)
	var walk func(id uint32, i, cell int)
	walk = func(id uint32, i, cell int) {
		if i == len(dims) {
			counts[cell]++
			return
		}
		for _, k := range dims[i].in[id] {
			walk(id, i+1, cell*len(dims[i].bms)+k)
		}
	}
	for id := range n {
		if live.Contains(id) && nodeHas(filter, id) {
			walk(id, 0, 0)
		}
	}
	return counts
}

// nodeHas reports whether id is in a filter of All, Leaf and And nodes.
func nodeHas(n *Node, id uint32) bool {
	switch n.Op {
	case All:
		return true
	case Leaf:
		return n.Bitmap.Contains(id)
	case And:
		for _, k := range n.Kids {
			if !nodeHas(k, id) {
				return false
			}
		}
		for _, k := range n.Neg {
			if nodeHas(k, id) {
				return false
			}
		}
		return true
	}
	panic(fmt.Sprintf("nodeHas: op %d", n.Op))
}

// TestMinMax checks MinMax against Select on indexes of every kind.
func TestMinMax(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	s := NewScratch()
	for range 4 {
		w := newWorld(r, uint32(r.IntN(3<<ChunkBits)+1))
		for i, c := range w.ints {
			lo, hi, ok := s.MinMax(c.fz, c.planes)
			n := c.known.GetCardinality()
			if !ok {
				if n != 0 {
					t.Fatalf("index %d: no value, want %d values", i, n)
				}
				continue
			}
			got := []int64{c.bsi.Offset + int64(lo), c.bsi.Offset + int64(hi)}
			want := []int64{c.bsi.Select(c.known, 0), c.bsi.Select(c.known, n-1)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("index %d: min, max (-want +got)\n%s", i, diff)
			}
		}
	}
}
