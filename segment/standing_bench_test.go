package segment

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"
)

// BenchmarkStandingDeltas times the deltas of 100 standing segments of the
// benchmark shapes for a batch of 10,000 changed customers, the new base
// excluded (Batch.Apply, which any way of tracking segments pays), against
// the 100 Movement calls that recompute them; batch-apply times the new
// base alone, standing-apply both. N is 1M, or MICROSEG_STANDING_N.
//
//	go test -run '^$' -bench StandingDeltas ./segment/
func BenchmarkStandingDeltas(b *testing.B) {
	n := 1_000_000
	if s := os.Getenv("MICROSEG_STANDING_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	d := genCustomers(n, 1)
	base := d.buildColumns()
	qs := genQueries(d)
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range qs {
			if !yield(k) {
				return
			}
		}
	})
	var segs []Named
	for i := range 100 {
		q := names[i%len(names)]
		// Vary the constants: another country pair and age window per segment.
		p := And(qs[q], Not(gCountry.Eq(countryNames[(i/len(names))%50])), gAge.Ge(int64(18+i%7)))
		segs = append(segs, Named{Name: fmt.Sprintf("%s-%d", q, i), Pred: p})
	}
	st, err := NewStanding(base, segs...)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	batch := func() *Batch {
		t := st.Base().Batch()
		for range 10_000 {
			key := d.keys[r.IntN(n)]
			if err := t.Set(key, gAge.Value(int64(18+r.IntN(70))), gActive.Value(r.IntN(10) < 6),
				gIncome.Value(int64(10_000+r.IntN(90_000))), gPurchases.Value(int64(r.IntN(30))),
				gLast.Value(gAsOf.Add(-time.Duration(r.IntN(700*24))*time.Hour))); err != nil {
				b.Fatal(err)
			}
		}
		return t
	}
	b.Run("deltas", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			t := batch()
			nb, a := t.apply()
			b.StartTimer()
			st.deltas(t, nb, a)
		}
	})
	b.Run("batch-apply", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			t := batch()
			b.StartTimer()
			if _, err := t.Apply(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("standing-apply", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			t := batch()
			b.StartTimer()
			if _, _, err := st.Apply(t); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("movement", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			before := st.Base()
			t := batch()
			nb, err := t.Apply()
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			for _, s := range segs {
				if _, err := Movement(before, nb, s.Pred); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
