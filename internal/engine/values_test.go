package engine

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestFilterOrPaths checks the value-mode filter by an Or of leaves, and by
// one array leaf, on both of its paths (a search per candidate and kid, or
// one probe into the kids' union made dense), for few and many candidates
// against small and large arrays, a bitmap kid and All, against a set
// oracle.
func TestFilterOrPaths(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	live := roaring.New()
	live.AddRange(0, 1<<16)
	_, fzLive := Freeze(live)
	leaf := func(n int) (*Node, map[uint16]bool) {
		bm, set := roaring.New(), map[uint16]bool{}
		for range n {
			x := uint16(r.IntN(1 << 16))
			bm.Add(uint32(x))
			set[x] = true
		}
		shared, fz := Freeze(bm)
		return &Node{Op: Leaf, Bitmap: shared, F: fz}, set
	}
	s := NewScratch()
	for _, m := range []int{1, 5, 50, 500, 4000} {
		for _, sizes := range [][]int{{3}, {3000}, {10, 20}, {1000, 2000, 1500}, {200, 20000}} {
			for _, withAll := range []bool{false, true} {
				for _, neg := range []bool{false, true} {
					or := &Node{Op: Or}
					in := map[uint16]bool{}
					for _, n := range sizes {
						k, set := leaf(n)
						or.Kids = append(or.Kids, k)
						for x := range set {
							in[x] = true
						}
					}
					if withAll {
						or.Kids = append(or.Kids, &Node{Op: All})
					}
					p := NewPlan(or, fzLive)
					v := make([]uint16, 0, m)
					for range m {
						v = append(v, uint16(r.IntN(1<<16)))
					}
					slices.Sort(v)
					v = slices.Compact(v)
					var want []uint16
					for _, x := range v {
						if (withAll || in[x]) != neg {
							want = append(want, x)
						}
					}
					got := p.filterOr(s, or, 0, slices.Clone(v), neg)
					if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
						t.Fatalf("m=%d sizes=%v all=%v neg=%v: filterOr (-want +got):\n%s", m, sizes, withAll, neg, diff)
					}
					if len(sizes) == 1 && !withAll {
						st := &step{n: or.Kids[0], neg: neg, class: classProbe}
						got := p.filter(s, st, 0, slices.Clone(v))
						if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
							t.Fatalf("m=%d size=%d neg=%v: filter by a leaf (-want +got):\n%s", m, sizes[0], neg, diff)
						}
					}
				}
			}
		}
	}
}

// TestFlatten checks flatten, which writes the set bits of words as values
// (emit, extract and appendIDs), against a bit-by-bit walk, for densities
// on both sides of its two-bits-per-word switch, whole and partial word
// lists, and 16- and 32-bit values.
func TestFlatten(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for trial := range 40 {
		b := new(block)
		perWord := []int{0, 1, 2, 3, 6, 40}[trial%6]
		for i := range b {
			for range r.IntN(2*perWord + 1) {
				b[i] |= 1 << r.IntN(64)
			}
		}
		sel := allWords[:]
		if trial%3 == 0 {
			sel = nil
			for i := range chunkWords {
				if r.IntN(4) == 0 {
					sel = append(sel, uint16(i))
				}
			}
		}
		var want16 []uint16
		var want32 []uint32
		base := uint32(r.IntN(100)) << 16
		for _, i := range sel {
			for j := range 64 {
				if b[i]>>j&1 != 0 {
					want16 = append(want16, i<<6|uint16(j))
					want32 = append(want32, base|uint32(i)<<6|uint32(j))
				}
			}
		}
		n := int(popSel(b, sel))
		got16 := make([]uint16, n+4)
		flatten(got16, b, sel, 0, n)
		if diff := cmp.Diff(want16, got16[:n], cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("trial %d (%d bits/word, %d words): uint16 (-want +got):\n%s", trial, perWord, len(sel), diff)
		}
		got32 := appendIDs([]uint32{7}, b, sel, base)
		if diff := cmp.Diff(append([]uint32{7}, want32...), got32); diff != "" {
			t.Fatalf("trial %d (%d bits/word, %d words): appendIDs (-want +got):\n%s", trial, perWord, len(sel), diff)
		}
	}
}
