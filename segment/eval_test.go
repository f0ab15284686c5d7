package segment

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEvalMatchesOracle(t *testing.T) {
	for seed := range uint64(12) {
		r := rand.New(rand.NewPCG(seed, 7))
		n := []int{0, 1, 50, 700, 3000, 70000}[seed%6]
		if (testing.Short() || raceEnabled) && n > 5000 {
			n = 5000
		}
		base, o := randBase(r, n, int(seed%4))
		for q := range 60 {
			p := randPred(r, 4)
			want := o.eval(p)
			got := base.Eval(p).ToArray()
			if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b []uint32) bool { return slices.Equal(a, b) })); diff != "" {
				t.Fatalf("seed %d query %d: Eval(%s) mismatch (-oracle +got):\n%s", seed, q, p, diff)
			}
			if c := base.Count(p); c != uint64(len(want)) {
				t.Fatalf("seed %d query %d: Count(%s) = %d, oracle %d", seed, q, p, c, len(want))
			}
			if raceEnabled && q%4 != 0 {
				continue
			}
			if c := base.Count(p, Parallel(3)); c != uint64(len(want)) {
				t.Fatalf("seed %d query %d: Count(%s, Parallel(3)) = %d, oracle %d", seed, q, p, c, len(want))
			}
			if got := base.Eval(p, Parallel(2)).ToArray(); !slices.Equal(got, want) {
				t.Fatalf("seed %d query %d: Eval(%s, Parallel(2)) mismatch", seed, q, p)
			}
			if got := base.AppendIDs(nil, p); !slices.Equal(got, want) {
				t.Fatalf("seed %d query %d: AppendIDs(%s) mismatch", seed, q, p)
			}
			if got := base.evalRoaring(p).ToArray(); !slices.Equal(got, want) {
				t.Fatalf("seed %d query %d: reference path Eval(%s) mismatch", seed, q, p)
			}
			if q%10 == 0 {
				keys := base.AppendKeys(nil, base.Eval(p))
				if diff := cmp.Diff(o.keys(want), keys); diff != "" {
					t.Fatalf("seed %d: Keys(%s) mismatch (-oracle +got):\n%s", seed, p, diff)
				}
			}
		}
		if base.Len() != len(o.eval(All())) {
			t.Fatalf("seed %d: Len = %d, oracle %d", seed, base.Len(), len(o.eval(All())))
		}
	}
}

// TestCountAllocs checks that counting a predicate again allocates nothing.
func TestCountAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	d := genCustomers(20000, 3)
	base := d.buildAdd()
	for name, p := range genQueries(d) {
		base.Count(p)
		if a := testing.AllocsPerRun(20, func() { base.Count(p) }); a != 0 {
			t.Errorf("%s: Count allocates %.1f times per call", name, a)
		}
		ids := base.AppendIDs(nil, p)
		if a := testing.AllocsPerRun(20, func() { ids = base.AppendIDs(ids[:0], p) }); a != 0 {
			t.Errorf("%s: AppendIDs into a large enough buffer allocates %.1f times per call", name, a)
		}
		exact := make([]uint32, 0, base.Count(p)) // capacity for the IDs, no more
		if a := testing.AllocsPerRun(20, func() { ids = base.AppendIDs(exact[:0], p) }); a != 0 {
			t.Errorf("%s: AppendIDs into a buffer of exactly the count allocates %.1f times per call", name, a)
		}
		if !slices.Equal(ids, base.AppendIDs(nil, p)) {
			t.Errorf("%s: AppendIDs into a buffer of exactly the count differs", name)
		}
	}
}

// TestEvalAfterBatch checks that derived views follow copy-on-write
// batches: the old base keeps its answers, the new one has the changes.
func TestEvalAfterBatch(t *testing.T) {
	d := genCustomers(3000, 4)
	base := d.buildAdd()
	p := And(gAge.Between(30, 40), gCountry.In(countryNames[0], countryNames[1]))
	before := base.Eval(p)
	bt := base.Batch()
	for i := range 500 {
		if err := bt.Set(d.keys[i], gAge.Value(35), gCountry.Value(countryNames[0])); err != nil {
			t.Fatal(err)
		}
	}
	next, err := bt.Apply()
	if err != nil {
		t.Fatal(err)
	}
	if got := base.Eval(p); !got.Equals(before) {
		t.Fatalf("old base changed after Apply")
	}
	if got, want := next.Eval(p), next.evalRoaring(p); !got.Equals(want) {
		t.Fatalf("new base: chunked %d ids, reference %d", got.GetCardinality(), want.GetCardinality())
	}
	if next.Count(p) < 500 {
		t.Fatalf("new base: Count = %d, want >= 500", next.Count(p))
	}
}
