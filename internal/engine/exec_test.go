package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/bsi"
	"github.com/google/go-cmp/cmp"
)

// world is a random universe for the kernel tests: a live set, bitmaps of
// every container kind and density, and integer columns in BSIs.
type world struct {
	n      uint32
	live   *roaring.Bitmap
	fzLive *Frozen
	bms    []*roaring.Bitmap
	fzBms  []*Frozen
	ints   []intCol
}

type intCol struct {
	known  *roaring.Bitmap
	fz     *Frozen
	bsi    *bsi.BSI
	planes []*Frozen
	codes  *Codes // for 7- and 8-plane indexes
	vals   map[uint32]int64
}

func randBitmap(r *rand.Rand, n uint32, live *roaring.Bitmap) *roaring.Bitmap {
	bm := roaring.New()
	switch r.IntN(7) {
	case 0: // empty
	case 1: // sparse: arrays
		for range r.IntN(int(n/50) + 2) {
			bm.Add(r.Uint32N(n))
		}
	case 2: // dense: bitmaps
		for i := range n {
			if r.IntN(3) == 0 {
				bm.Add(i)
			}
		}
	case 3: // runs, some chunks full
		for range r.IntN(5) + 1 {
			a := r.Uint32N(n)
			bm.AddRange(uint64(a), uint64(min(n, a+r.Uint32N(70000))))
		}
	case 4: // everything
		bm.AddRange(0, uint64(n))
	case 6: // mid-frequency: arrays of 1,025 to 4,096 values per chunk
		p := 0.016 + 0.045*r.Float64()
		for i := range n {
			if r.Float64() < p {
				bm.Add(i)
			}
		}
	default: // mixed density by chunk
		for i := range n {
			if (i>>16)%2 == 0 && r.IntN(2) == 0 || r.IntN(100) == 0 {
				bm.Add(i)
			}
		}
	}
	bm.And(live)
	bm.RunOptimize()
	return bm
}

func newWorld(r *rand.Rand, n uint32) *world {
	w := &world{n: n, live: roaring.New()}
	w.live.AddRange(0, uint64(n))
	for range r.IntN(int(n/10) + 1) { // tombstones
		w.live.Remove(r.Uint32N(n))
	}
	w.live.RunOptimize()
	_, w.fzLive = Freeze(w.live)
	for range 8 {
		bm := randBitmap(r, n, w.live)
		shared, fz := Freeze(bm)
		if !shared.Equals(bm) {
			panic("Freeze changed the bitmap")
		}
		w.bms = append(w.bms, shared)
		w.fzBms = append(w.fzBms, fz)
	}
	for range 3 {
		known := randBitmap(r, n, w.live)
		c := intCol{vals: map[uint32]int64{}}
		ids := known.ToArray()
		vals := make([]int64, len(ids))
		base := r.Int64N(1000) - 500
		spread := []int64{1, 2, 73, 200, 1 << 20, 1 << 40}[r.IntN(6)]
		for i, id := range ids {
			v := base + r.Int64N(spread)
			if r.IntN(10) == 0 {
				v = base + int64(math.Exp(r.NormFloat64()*3))%spread
			}
			vals[i] = v
			c.vals[id] = v
		}
		c.bsi = bsi.Build(ids, vals)
		c.known, c.fz = Freeze(known)
		for i, p := range c.bsi.Planes {
			c.bsi.Planes[i], _ = Freeze(p)
			_, f := Freeze(p)
			if r.IntN(2) == 0 {
				Densify(f) // planes read as bitmaps where they are arrays of 1,025+
			}
			c.planes = append(c.planes, f)
		}
		c.codes = BuildCodes(c.fz, c.planes)
		w.ints = append(w.ints, c)
	}
	return w
}

func (w *world) randNode(r *rand.Rand, depth int) *Node {
	switch k := r.IntN(10); {
	case depth == 0 || k < 3:
		i := r.IntN(len(w.bms))
		return &Node{Op: Leaf, Bitmap: w.bms[i], F: w.fzBms[i]}
	case k < 6:
		c := w.ints[r.IntN(len(w.ints))]
		lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
		pick := func() int64 {
			if len(c.vals) == 0 || r.IntN(4) == 0 {
				return r.Int64N(2000) - 1000
			}
			for _, v := range c.vals {
				return v + r.Int64N(3) - 1
			}
			return 0
		}
		switch r.IntN(4) {
		case 0:
			lo = pick()
		case 1:
			hi = pick()
		default:
			lo, hi = pick(), pick()
		}
		return &Node{Op: Range, BSI: c.bsi, Known: c.known, Lo: lo, Hi: hi, F: c.fz, Planes: c.planes, Codes: c.codes}
	case k == 6:
		return &Node{Op: []Op{All, None}[r.IntN(2)]}
	case k < 9:
		n := &Node{Op: And}
		for range r.IntN(3) + 1 {
			n.Kids = append(n.Kids, w.randNode(r, depth-1))
		}
		for range r.IntN(2) {
			n.Neg = append(n.Neg, w.randNode(r, depth-1))
		}
		return n
	default:
		n := &Node{Op: Or}
		for range r.IntN(3) + 1 {
			n.Kids = append(n.Kids, w.randNode(r, depth-1))
		}
		return n
	}
}

func TestPlanMatchesRoaring(t *testing.T) {
	sizes := []uint32{1, 100, 70000, 200000}
	s := NewScratch()
	ss := []*Scratch{NewScratch(), NewScratch(), NewScratch()}
	seeds, queries := uint64(16), 40
	if raceEnabled || testing.Short() {
		seeds, queries = 8, 10
	}
	for seed := range seeds {
		r := rand.New(rand.NewPCG(seed, 3))
		w := newWorld(r, sizes[seed%uint64(len(sizes))])
		for q := range queries {
			n := w.randNode(r, 3)
			Estimate(n, w.live)
			want := Eval(n, w.live)
			p := NewPlan(n, w.fzLive)
			got := p.Eval(s)
			if !got.Equals(want) {
				t.Fatalf("seed %d query %d: Eval: got %d ids, want %d\n%s", seed, q, got.GetCardinality(), want.GetCardinality(),
					cmp.Diff(want.ToArray(), got.ToArray()))
			}
			if c := p.Count(s); c != want.GetCardinality() {
				t.Fatalf("seed %d query %d: Count = %d, want %d", seed, q, c, want.GetCardinality())
			}
			if ids := p.AppendIDs(s, nil); !slices.Equal(ids, want.ToArray()) {
				t.Fatalf("seed %d query %d: AppendIDs mismatch", seed, q)
			}
			if c := p.CountParallel(ss); c != want.GetCardinality() {
				t.Fatalf("seed %d query %d: CountParallel = %d, want %d", seed, q, c, want.GetCardinality())
			}
			if got := p.EvalParallel(ss); !got.Equals(want) {
				t.Fatalf("seed %d query %d: EvalParallel mismatch", seed, q)
			}
		}
	}
}

// TestRangeMatchesValues checks the range kernels against the values
// themselves, at every threshold of small domains and random ones of large.
func TestRangeMatchesValues(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	s := NewScratch()
	n := 150000
	if raceEnabled {
		n = 70000
	}
	// spread -1: skewed values (exp of a uniform), so that the top planes
	// are sparse (array containers) in every chunk.
	for _, spread := range []int64{1, 2, 3, 8, 73, 1000, 1 << 33, -1} {
		ids := make([]uint32, 0, n)
		vals := make([]int64, 0, n)
		for i := range n {
			if r.IntN(10) == 0 {
				continue // missing
			}
			ids = append(ids, uint32(i))
			var v int64
			if spread < 0 {
				v = int64(math.Exp(r.Float64() * 13))
			} else {
				v = r.Int64N(spread) - spread/3
			}
			if i>>16 == 1 && spread > 0 {
				v = -spread / 3 // a chunk of one value
			}
			vals = append(vals, v)
		}
		known := roaring.BitmapOf(ids...)
		known.RunOptimize()
		b := bsi.Build(ids, vals)
		var planes []*Frozen
		for _, p := range b.Planes {
			_, f := Freeze(p)
			planes = append(planes, f)
		}
		_, fk := Freeze(known)
		live := roaring.New()
		live.AddRange(0, uint64(n))
		_, fl := Freeze(live)
		// A filter that leaves a third of the words empty, so that a range
		// after it runs on narrowed words (rangeSel), as a conjunct and
		// subtracted.
		var fids []uint32
		for i := range n {
			if (i>>6)%3 != 1 && i%5 != 0 {
				fids = append(fids, uint32(i))
			}
		}
		filter, ff := Freeze(roaring.BitmapOf(fids...))
		// A sparse filter (array containers): the And goes to value mode,
		// testing the range per value, from the codes when the index has
		// them.
		var sids []uint32
		for i := range n {
			if i%29 == 0 || i%31 == 0 {
				sids = append(sids, uint32(i))
			}
		}
		sparse, sf := Freeze(roaring.BitmapOf(sids...))
		codes := BuildCodes(fk, planes)
		inRange := make(map[uint32]bool)
		bounds := []int64{math.MinInt64, math.MaxInt64, -spread, 0, spread}
		for range 12 {
			if spread < 0 {
				bounds = append(bounds, int64(math.Exp(r.Float64()*13)))
				continue
			}
			bounds = append(bounds, r.Int64N(spread+2)-spread/3-1)
		}
		for li, lo := range bounds {
			for hj, hi := range bounds {
				node := &Node{Op: Range, BSI: b, Known: known, Lo: lo, Hi: hi, F: fk, Planes: planes}
				var want []uint32
				for i, id := range ids {
					if vals[i] >= lo && vals[i] <= hi {
						want = append(want, id)
					}
				}
				got := NewPlan(node, fl).AppendIDs(s, nil)
				if !slices.Equal(got, want) {
					t.Fatalf("spread %d: [%d, %d]: got %d ids, want %d", spread, lo, hi, len(got), len(want))
				}
				if raceEnabled && (li+hj)%4 != 0 {
					continue // a quarter of the pairs under the race detector
				}
				var wantAnd, wantNot []uint32
				j := 0
				for _, id := range fids {
					for j < len(want) && want[j] < id {
						j++
					}
					if j < len(want) && want[j] == id {
						wantAnd = append(wantAnd, id)
					} else {
						wantNot = append(wantNot, id)
					}
				}
				leaf := &Node{Op: Leaf, Bitmap: filter, F: ff}
				and := &Node{Op: And, Kids: []*Node{leaf, node}}
				got = NewPlan(and, fl).AppendIDs(s, nil)
				if !slices.Equal(got, wantAnd) {
					t.Fatalf("spread %d: filter and [%d, %d]: got %d ids, want %d", spread, lo, hi, len(got), len(wantAnd))
				}
				node2 := &Node{Op: Range, BSI: b, Known: known, Lo: lo, Hi: hi, F: fk, Planes: planes}
				andNot := &Node{Op: And, Kids: []*Node{leaf}, Neg: []*Node{node2}}
				got = NewPlan(andNot, fl).AppendIDs(s, nil)
				if !slices.Equal(got, wantNot) {
					t.Fatalf("spread %d: filter minus [%d, %d]: got %d ids, want %d", spread, lo, hi, len(got), len(wantNot))
				}
				clear(inRange)
				for _, id := range want {
					inRange[id] = true
				}
				var wantSp, wantSpNot []uint32
				for _, id := range sids {
					if inRange[id] {
						wantSp = append(wantSp, id)
					} else {
						wantSpNot = append(wantSpNot, id)
					}
				}
				for _, c := range []*Codes{nil, codes} {
					sleaf := &Node{Op: Leaf, Bitmap: sparse, F: sf, Est: 1}
					rn := &Node{Op: Range, BSI: b, Known: known, Lo: lo, Hi: hi, F: fk, Planes: planes, Codes: c, Est: 2}
					got = NewPlan(&Node{Op: And, Kids: []*Node{sleaf, rn}}, fl).AppendIDs(s, nil)
					if !slices.Equal(got, wantSp) {
						t.Fatalf("spread %d, codes %v: sparse and [%d, %d]: got %d ids, want %d", spread, c != nil, lo, hi, len(got), len(wantSp))
					}
					rn = &Node{Op: Range, BSI: b, Known: known, Lo: lo, Hi: hi, F: fk, Planes: planes, Codes: c, Est: 2}
					got = NewPlan(&Node{Op: And, Kids: []*Node{sleaf}, Neg: []*Node{rn}}, fl).AppendIDs(s, nil)
					if !slices.Equal(got, wantSpNot) {
						t.Fatalf("spread %d, codes %v: sparse minus [%d, %d]: got %d ids, want %d", spread, c != nil, lo, hi, len(got), len(wantSpNot))
					}
				}
			}
		}
	}
}

func TestFreezeKinds(t *testing.T) {
	bm := roaring.New()
	bm.AddRange(0, 1<<16)         // full chunk 0
	bm.AddRange(3<<16, 3<<16+100) // runs in chunk 3
	bm.AddMany([]uint32{5 << 16, 5<<16 + 9})
	for i := uint32(7 << 16); i < 8<<16; i += 3 {
		bm.Add(i) // bitmap container
	}
	bm.RunOptimize()
	shared, f := Freeze(bm)
	if !shared.Equals(bm) || f.Card() != bm.GetCardinality() || f.Chunks() != 8 {
		t.Fatalf("Freeze: equal %v, card %d of %d, chunks %d", shared.Equals(bm), f.Card(), bm.GetCardinality(), f.Chunks())
	}
	kinds := fmt.Sprint(f.get(0).kind, f.get(1).kind, f.get(3).kind, f.get(5).kind, f.get(7).kind, f.get(99).kind)
	if want := fmt.Sprint(kFull, kAbsent, kRun, kArray, kBitmap, kAbsent); kinds != want {
		t.Fatalf("kinds %s, want %s", kinds, want)
	}
}

func TestParallelRace(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	w := newWorld(r, 200000)
	n := w.randNode(r, 3)
	Estimate(n, w.live)
	p := NewPlan(n, w.fzLive)
	want := Eval(n, w.live).GetCardinality()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ss := []*Scratch{NewScratch(), NewScratch()}
			if c := p.CountParallel(ss); c != want {
				t.Errorf("CountParallel = %d, want %d", c, want)
			}
			if c := p.EvalParallel(ss).GetCardinality(); c != want {
				t.Errorf("EvalParallel card = %d, want %d", c, want)
			}
		}()
	}
	wg.Wait()
}

// TestRootLeaf checks the plans whose root is a leaf or a flag's plane
// (answered from the containers as they are) on every container kind,
// planes made dense included, against roaring.
func TestRootLeaf(t *testing.T) {
	r := rand.New(rand.NewPCG(51, 52))
	s := NewScratch()
	w := newWorld(r, 300000)
	for trial := range 40 {
		bm := randBitmap(r, w.n, w.live)
		_, f := Freeze(bm)
		if trial%2 == 1 {
			Densify(f) // arrays of 1,025+ read as words, as planes are
		}
		for _, n := range []*Node{
			{Op: Leaf, Bitmap: bm, F: f},
			{Op: Range, Lo: 1, Hi: 1, F: f, Planes: []*Frozen{f}}, // a flag: its plane is bm
		} {
			p := NewPlan(n, w.fzLive)
			if got := p.Eval(s); !got.Equals(bm) {
				t.Fatalf("trial %d, op %d: Eval differs", trial, n.Op)
			}
			if c := p.Count(s); c != bm.GetCardinality() {
				t.Fatalf("trial %d, op %d: Count = %d, want %d", trial, n.Op, c, bm.GetCardinality())
			}
			if ids := p.AppendIDs(s, nil); !slices.Equal(ids, bm.ToArray()) {
				t.Fatalf("trial %d, op %d: AppendIDs differs", trial, n.Op)
			}
		}
	}
}
