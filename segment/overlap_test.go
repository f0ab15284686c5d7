package segment

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestOverlapMatchesOracle(t *testing.T) {
	for seed := range uint64(10) {
		r := rand.New(rand.NewPCG(seed, 3))
		base, o := randBase(r, []int{0, 30, 800, 2500}[seed%4], int(seed%3))
		segs := make([]Pred, r.IntN(5)+1)
		sets := make([]map[uint32]bool, len(segs))
		for i := range segs {
			segs[i] = randPred(r, 3)
			sets[i] = map[uint32]bool{}
			for _, id := range o.eval(segs[i]) {
				sets[i][id] = true
			}
		}
		m := Overlap(base, segs...)
		want := make([][]uint64, len(segs))
		for i := range segs {
			want[i] = make([]uint64, len(segs))
			for j := range segs {
				for id := range sets[i] {
					if sets[j][id] {
						want[i][j]++
					}
				}
			}
		}
		if diff := cmp.Diff(want, m.Counts); diff != "" {
			t.Fatalf("seed %d: Overlap counts (-oracle +got):\n%s", seed, diff)
		}
		for i := range segs {
			if m.Size(i) != uint64(len(sets[i])) {
				t.Fatalf("seed %d: Size(%d) = %d, want %d", seed, i, m.Size(i), len(sets[i]))
			}
			for j := range segs {
				union := map[uint32]bool{}
				for id := range sets[i] {
					union[id] = true
				}
				for id := range sets[j] {
					union[id] = true
				}
				var jac, cov float64
				if len(union) > 0 {
					jac = float64(want[i][j]) / float64(len(union))
				}
				if len(sets[i]) > 0 {
					cov = float64(want[i][j]) / float64(len(sets[i]))
				}
				if m.Jaccard(i, j) != jac || m.Coverage(i, j) != cov {
					t.Fatalf("seed %d: (%d, %d): Jaccard %v Coverage %v, want %v %v", seed, i, j, m.Jaccard(i, j), m.Coverage(i, j), jac, cov)
				}
			}
		}
	}
}
