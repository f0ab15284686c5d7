package segment

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestQualityMatchesOracle(t *testing.T) {
	for seed := range uint64(10) {
		r := rand.New(rand.NewPCG(seed, 17))
		base, o := randBase(r, []int{0, 1, 60, 1500, 5000}[seed%5], int(seed%3))
		asOf := epoch.Add(time.Duration(r.IntN(900*24)) * time.Hour)
		maxAge := time.Duration(r.IntN(400*24)) * time.Hour
		got := Quality(base, asOf, maxAge)
		var want []FieldQuality
		live := uint64(len(o.eval(All())))
		for _, fi := range base.Fields() {
			q := FieldQuality{Name: fi.Name, Kind: fi.Kind}
			distinct := map[any]bool{}
			for _, rw := range o.rows {
				v, ok := rw.vals[fi.Name]
				if !rw.live || !ok || fi.Kind == KindSet && len(v.set()) == 0 {
					continue
				}
				q.Known++
				switch fi.Kind {
				case KindCat:
					distinct[v.cat()] = true
				case KindSet:
					for _, x := range v.set() {
						distinct[x] = true
					}
				default:
					distinct[v.n] = true
				}
				if fi.Kind == KindTime && v.n < asOf.Add(-maxAge).Unix() {
					q.Outdated++
				}
			}
			q.Missing = live - q.Known
			if live > 0 {
				q.MissingShare = float64(q.Missing) / float64(live)
			}
			q.Distinct = uint64(len(distinct))
			want = append(want, q)
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("seed %d: Quality (-oracle +got):\n%s", seed, diff)
		}
	}
}

// TestDistinctInts checks both ways of counting distinct values: the walk
// over bit planes and the decoding fallback past its budget.
func TestDistinctInts(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	b := NewBuilder()
	age, id, big := NewInt("age"), NewInt("id"), NewInt("big")
	for i := range 20000 {
		vs := []Value{id.Value(int64(i) * 7919)}
		if i%3 > 0 {
			vs = append(vs, age.Value(int64(r.IntN(90))))
		}
		if i%50 == 0 {
			vs = append(vs, big.Value([]int64{math.MinInt64, math.MaxInt64, 0}[i%3]))
		}
		if err := b.Add(string(rune(i+1000)), vs...); err != nil {
			t.Fatal(err)
		}
	}
	base, _ := b.Build()
	got := map[string]uint64{}
	for _, q := range Quality(base, epoch, 0) {
		got[q.Name] = q.Distinct
	}
	if diff := cmp.Diff(map[string]uint64{"id": 20000, "age": 90, "big": 3}, got); diff != "" {
		t.Errorf("Distinct (-want +got):\n%s", diff)
	}
}
