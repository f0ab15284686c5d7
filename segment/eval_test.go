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
		if testing.Short() && n > 5000 {
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
