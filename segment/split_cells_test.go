package segment

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSplitTwoSets checks the one pass with two Set dimensions (a customer
// in one cell per pair of values), with and without WithMissing, SumOf and
// a macro segment, against the walk and against a count of every cell's
// Pred. The base spans three chunks, so that both Set fields have array
// and bitmap containers and the macro segment leaves whole words out.
func TestSplitTwoSets(t *testing.T) {
	tags := NewSet[string]("tags")
	r := rand.New(rand.NewPCG(7, 8))
	b := NewBuilder()
	n := 3<<16 + 500
	if testing.Short() {
		n = 1<<16 + 500
	}
	for i := range n {
		var bought, tg []string
		for k := range 6 {
			if r.IntN(3+3*k) == 0 {
				bought = append(bought, fmt.Sprint("b", k))
			}
		}
		for k := range 4 {
			if r.IntN(2+k) == 0 {
				tg = append(tg, fmt.Sprint("t", k))
			}
		}
		vs := []Value{tBought.Values(bought...), tags.Values(tg...), tScore.Value(int64(r.IntN(1000) - 100))}
		if r.IntN(5) > 0 {
			vs = append(vs, tCountry.Value([]string{"NL", "BE", "DE"}[r.IntN(3)]))
		}
		if err := b.Add(fmt.Sprint("c", i), vs...); err != nil {
			t.Fatal(err)
		}
	}
	base, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	flat := func(ms []Micro) []string {
		var out []string
		for _, m := range ms {
			out = append(out, fmt.Sprintf("%s %d %g %s", strings.Join(m.Labels, "|"), m.Count, m.Sum, m.Pred))
		}
		return out
	}
	for q := range 12 {
		dims := []Dim{By(tags), By(tCountry), By(tBought)}
		if q%2 == 1 {
			dims = []Dim{By(tBought).WithMissing(), By(tags), By(tCountry).WithMissing()}
		}
		var opts []SplitOption
		if q%3 == 0 {
			opts = append(opts, SumOf(tScore))
		}
		if q%4 == 3 {
			opts = append(opts, MinSize(50), MaxSegments(20))
		}
		macro := []Pred{All(), tScore.Lt(500), tCountry.Eq("NL")}[q%3]
		o := makeOptions(opts)
		walk, err1 := split(base, macro, dims, o, splitWalk)
		pass, err2 := split(base, macro, dims, o, splitPass)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if diff := cmp.Diff(flat(walk), flat(pass)); diff != "" {
			t.Fatalf("query %d: walk and one pass disagree (-walk +pass):\n%s", q, diff)
		}
		if len(pass) == 0 {
			t.Fatalf("query %d: no cells", q)
		}
		for _, m := range pass[:min(len(pass), 5)] {
			if c := base.Count(m.Pred); c != m.Count {
				t.Fatalf("query %d: cell %v counts %d, its Pred matches %d", q, m.Labels, m.Count, c)
			}
		}
	}
}
