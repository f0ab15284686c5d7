package segment

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestShardsMergeNumberSketches(t *testing.T) {
	f := newFleet(t, 4000)
	qs := mergeQueries(f.d)
	spend := func(i int) (float64, bool) {
		if i%7 == 0 {
			return 0, false
		}
		return float64(f.d.income[i]%100000+int64(i%13)) / 100, true
	}
	// value returns customer i's value of a field, as the sketch reads it.
	fields := []struct {
		f     Field
		value func(i int) (float64, bool)
	}{
		{gAge, func(i int) (float64, bool) { return float64(f.d.age[i]), f.d.age[i] >= 0 }},
		{gIncome, func(i int) (float64, bool) { return float64(f.d.income[i]), true }},
		{gSpend, spend},
		{gActive, func(i int) (float64, bool) { return map[bool]float64{false: 0, true: 1}[f.d.active[i]], true }},
	}
	grid := []float64{0, 0.001, 0.01, 0.1, 0.25, 0.333, 0.5, 0.75, 0.9, 0.99, 0.999, 1}
	for _, fl := range fields {
		for _, qname := range []string{"all", "Q2", "Q1", "none"} {
			for _, k := range []int{2, 16, 200, 1000} {
				t.Run(fmt.Sprint(fl.f.Name(), "/", qname, "/", k), func(t *testing.T) {
					members := f.all.Eval(qs[qname])
					var sorted []float64
					for _, id := range members.ToArray() {
						if v, ok := fl.value(int(id)); ok {
							sorted = append(sorted, v)
						}
					}
					slices.Sort(sorted)
					sketches := make([]NumberSketch, len(f.bases))
					for s, b := range f.bases {
						var ok bool
						if sketches[s], ok = b.NumberSketch(fl.f, b.Eval(qs[qname]), k); !ok {
							t.Fatal("no sketch")
						}
					}
					got := MergeNumberSketches(sketches...)
					want, _ := f.all.NumberStats(fl.f, members, grid...)
					if diff := gocmp.Diff([]any{want.Count, want.Missing, want.Min, want.Max}, []any{got.Count, got.Missing, got.Min, got.Max}); diff != "" {
						t.Errorf("count, missing, min, max (-one base +shards):\n%s", diff)
					}
					if diff := gocmp.Diff(want.Sum, got.Sum, cmpopts.EquateApprox(1e-12, 0)); diff != "" {
						t.Errorf("sum (-one base +shards):\n%s", diff)
					}
					var w uint64
					for _, p := range got.Points {
						w += p.Weight
					}
					if w != got.Count {
						t.Errorf("weights add up to %d, want Count %d", w, got.Count)
					}
					e := got.RankError()
					if n := uint64(len(sorted)); n > 0 {
						per := (n/8 + 1 + uint64(k) - 2) / uint64(k-1) // ⌈(n/8)/(k−1)⌉, about
						if e > 9*per+9 {
							t.Errorf("RankError %d for %d values in 8 sketches of %d points, want about 9·%d at most", e, n, k, per)
						}
					}
					exact := e == 0
					for i, q := range grid {
						v := got.Quantile(q)
						if exact {
							if v != want.Quantiles[i] {
								t.Errorf("Quantile(%v) = %v, want %v exactly (RankError 0)", q, v, want.Quantiles[i])
							}
							continue
						}
						h := float64(len(sorted)-1) * q
						lo := max(int(math.Floor(h))-int(e), 0)
						hi := min(int(math.Ceil(h))+int(e), len(sorted)-1)
						if v < sorted[lo] || v > sorted[hi] {
							t.Errorf("Quantile(%v) = %v, outside [x[%d], x[%d]] = [%v, %v] (RankError %d)", q, v, lo, hi, sorted[lo], sorted[hi], e)
						}
					}
				})
			}
		}
	}
}

func TestNumberSketchOneBase(t *testing.T) {
	d := genCustomers(3000, 5)
	b := d.buildColumns()
	for _, k := range []int{-1, 2, 3, 10, 100, 5000} {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			sk, ok := b.NumberSketch(gIncome, nil, k)
			if !ok {
				t.Fatal("no sketch")
			}
			kk := min(max(k, 2), 3000)
			if len(sk.Points) != kk || sk.Spread != 0 {
				t.Errorf("%d points, Spread %d; want %d points, Spread 0", len(sk.Points), sk.Spread, kk)
			}
			if w := uint64(math.Ceil(2999 / float64(kk-1))); sk.RankError() > w-1 {
				t.Errorf("RankError %d, want at most %d", sk.RankError(), w-1)
			}
			st, _ := b.NumberStats(gIncome, nil, 0, 1)
			if sk.Quantile(0) != st.Min || sk.Quantile(1) != st.Max || sk.Quantile(math.NaN()) != st.Min {
				t.Errorf("Quantile 0, 1 = %v, %v; want %v, %v", sk.Quantile(0), sk.Quantile(1), st.Min, st.Max)
			}
			if got, want := sk.Mean(), st.Mean; math.Abs(got-want) > 1e-9*math.Abs(want) {
				t.Errorf("Mean %v, want %v", got, want)
			}
		})
	}
	if _, ok := b.NumberSketch(gCountry, nil, 10); ok {
		t.Error("a sketch of a Cat field")
	}
	empty, ok := b.NumberSketch(gIncome, roaring.New(), 10)
	if !ok || empty.Count != 0 || len(empty.Points) != 0 || empty.Quantile(0.5) != 0 || empty.Mean() != 0 || empty.RankError() != 0 {
		t.Errorf("sketch of no members: %+v, %v", empty, ok)
	}
	if m := MergeNumberSketches(empty, empty); m.Count != 0 || m.Quantile(0.3) != 0 {
		t.Errorf("merge of empty sketches: %+v", m)
	}
}

// TestNumberSketchBoundRandom checks RankError's bound on random fleets:
// shards of random sizes, few or many distinct values, few or many points.
func TestNumberSketchBoundRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	x := NewInt("x")
	for trial := range 60 {
		shards := 1 + r.IntN(16)
		k := 2 + r.IntN(40)
		distinct := []int{1, 3, 50, 1 << 30}[r.IntN(4)]
		var all []float64
		var sketches []NumberSketch
		for range shards {
			n := r.IntN(1500)
			b := NewBuilder()
			for i := range n {
				v := int64(r.IntN(distinct))
				if r.IntN(3) == 0 { // skewed towards small values
					v /= int64(1 + r.IntN(1000))
				}
				if err := b.Add(fmt.Sprint("k", i), x.Value(v)); err != nil {
					t.Fatal(err)
				}
				all = append(all, float64(v))
			}
			base, err := b.Build()
			if err != nil {
				t.Fatal(err)
			}
			sk, _ := base.NumberSketch(x, nil, k)
			sketches = append(sketches, sk)
		}
		slices.Sort(all)
		m := MergeNumberSketches(sketches...)
		if m.Count != uint64(len(all)) {
			t.Fatalf("trial %d: Count %d, want %d", trial, m.Count, len(all))
		}
		e := int(m.RankError())
		for i := 0; i <= 200; i++ {
			q := float64(i) / 200
			v := m.Quantile(q)
			if len(all) == 0 {
				continue
			}
			h := float64(len(all)-1) * q
			lo := max(int(math.Floor(h))-e, 0)
			hi := min(int(math.Ceil(h))+e, len(all)-1)
			if v < all[lo] || v > all[hi] {
				t.Fatalf("trial %d (%d shards, k %d, %d distinct): Quantile(%v) = %v outside [x[%d], x[%d]] = [%v, %v], RankError %d",
					trial, shards, k, distinct, q, v, lo, hi, all[lo], all[hi], e)
			}
		}
	}
}
