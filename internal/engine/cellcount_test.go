package engine

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/google/go-cmp/cmp"
)

// TestCountCellsMissingSums checks CountCells with Missing coordinates,
// Known unions, banded dimensions and a score against a count customer by
// customer: every dimension kind, with and without Missing and Known, one
// Multi dimension or several anywhere, under filters of every kind.
func TestCountCellsMissingSums(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	n := uint32(2<<ChunkBits + 777)
	rounds := 80
	if testing.Short() || raceEnabled {
		n, rounds = 1<<ChunkBits+99, 10
	}
	w := newWorld(r, n)
	s := NewScratch()
	for round := range rounds {
		type odim struct {
			dim CubeDim
			at  func(id uint32) []int // the coordinates of a customer
		}
		leafDim := func(multi bool) odim {
			var d cubeDim
			if multi {
				var bms []*roaring.Bitmap
				for range r.IntN(6) + 1 {
					bms = append(bms, randBitmap(r, n, w.live))
				}
				d = freezeDim(bms, w.live, true)
			} else {
				d = randPartition(r, n, w.live, r.IntN(5)+1)
			}
			o := odim{dim: d.dim}
			o.dim.Missing = r.IntN(2) == 0
			if r.IntN(2) == 0 {
				u := roaring.FastOr(d.bms...)
				u, fz := Freeze(u)
				o.dim.Known = &Node{Op: Leaf, Bitmap: u, F: fz}
			}
			o.at = func(id uint32) []int {
				if int(id) < len(d.in) && len(d.in[id]) > 0 {
					return d.in[id]
				}
				if o.dim.Missing {
					return []int{len(d.bms)}
				}
				return nil
			}
			return o
		}
		bandDim := func() odim {
			c := w.ints[r.IntN(len(w.ints))]
			var vals []int64
			for _, v := range c.vals {
				vals = append(vals, v)
			}
			var edges []int64
			for range r.IntN(4) + 1 {
				if len(vals) > 0 {
					edges = append(edges, vals[r.IntN(len(vals))])
				} else {
					edges = append(edges, r.Int64N(100))
				}
			}
			slices.Sort(edges)
			edges = slices.Compact(edges)
			if edges[0] == math.MinInt64 {
				edges = edges[1:]
			}
			rng := func(lo, hi int64) *Node {
				return &Node{Op: Range, BSI: c.bsi, Known: c.known, Lo: lo, Hi: hi, F: c.fz, Planes: c.planes, Codes: c.codes}
			}
			var o odim
			for k := 0; k <= len(edges); k++ {
				lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
				if k > 0 {
					lo = edges[k-1]
				}
				if k < len(edges) {
					hi = edges[k] - 1
					o.dim.Above = append(o.dim.Above, rng(edges[k], math.MaxInt64))
				}
				o.dim.Parts = append(o.dim.Parts, rng(lo, hi))
			}
			if len(edges) == 0 {
				o.dim.Above = nil
			}
			o.dim.Missing = r.IntN(2) == 0
			o.at = func(id uint32) []int {
				v, ok := c.vals[id]
				switch {
				case ok:
					k := 0
					for k < len(edges) && edges[k] <= v {
						k++
					}
					return []int{k}
				case o.dim.Missing:
					return []int{len(o.dim.Parts)}
				}
				return nil
			}
			return o
		}
		var dims []odim
		multiAt := -1 // a Multi dimension, and with multiAll all of the leaf ones
		nd := r.IntN(4)
		if nd > 0 && r.IntN(3) > 0 {
			multiAt = r.IntN(nd)
		}
		multiAll := r.IntN(3) == 0
		for i := range nd {
			switch {
			case i == multiAt:
				dims = append(dims, leafDim(true))
			case multiAll && r.IntN(2) == 0:
				dims = append(dims, leafDim(true))
			case r.IntN(2) == 0:
				dims = append(dims, bandDim())
			default:
				dims = append(dims, leafDim(false))
			}
		}
		var sum *CellSum
		var score intCol
		if r.IntN(2) == 0 {
			score = w.ints[r.IntN(len(w.ints))]
			sum = &CellSum{Known: score.fz, Planes: score.planes}
		}
		filter := w.randNode(r, 2)
		cells := 1
		edims := make([]CubeDim, len(dims))
		for i, d := range dims {
			edims[i] = d.dim
			cells *= d.dim.size()
		}
		want := Cells{Counts: make([]uint64, cells)}
		got := Cells{Counts: make([]uint64, cells)}
		if sum != nil {
			want.Known, want.Lo, want.Hi = make([]uint64, cells), make([]uint64, cells), make([]uint64, cells)
			got.Known, got.Lo, got.Hi = make([]uint64, cells), make([]uint64, cells), make([]uint64, cells)
		}
		sel := Eval(filter, w.live)
		var walk func(id uint32, i, cell int)
		walk = func(id uint32, i, cell int) {
			if i == len(dims) {
				want.Counts[cell]++
				if sum == nil {
					return
				}
				if v, ok := score.vals[id]; ok {
					want.Known[cell]++
					var carry uint64
					want.Lo[cell], carry = bits.Add64(want.Lo[cell], uint64(v-score.bsi.Offset), 0)
					want.Hi[cell] += carry
				}
				return
			}
			for _, k := range dims[i].at(id) {
				walk(id, i+1, cell*dims[i].dim.size()+k)
			}
		}
		for it := sel.Iterator(); it.HasNext(); {
			walk(it.Next(), 0, 0)
		}
		NewPlan(filter, w.fzLive).CountCells(s, edims, sum, &got)
		if diff := cmp.Diff(want, got); diff != "" {
			var desc []string
			for _, d := range dims {
				desc = append(desc, fmt.Sprintf("{parts %d multi %v banded %v missing %v known %v}", len(d.dim.Parts), d.dim.Multi, d.dim.Above != nil, d.dim.Missing, d.dim.Known != nil))
			}
			t.Fatalf("round %d: dims %v, sum %v, filter %v: (-want +got)\n%s", round, desc, sum != nil, filter.Op, diff)
		}
	}
}
