package benchmarks

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/fabeed28/microseg/segment"
)

// Standing segments: 100 segments of the shapes of Q1, Q2, Q3, Q5sel and
// Q5broad (constants varied per segment) kept current over the synthetic
// base while batches of changed customers arrive, against recomputing them
// with 100 Movement calls per batch.
//
//	go test -run TestStandingCost -v                          # 200,000 customers
//	MICROSEG_STANDING_N=10000000 GOMAXPROCS=1 go test -run TestStandingCost -v -timeout 30m

// standingSegments returns n segments of the benchmark shapes.
func standingSegments(d *Data, n int) []segment.Named {
	qs := Queries(d)
	out := make([]segment.Named, n)
	for i := range out {
		q := qs[i%len(qs)]
		shift := uint8(i / len(qs))
		var clauses [][]Term
		for _, cl := range q.Clauses {
			var terms []Term
			for _, t := range cl {
				t.Vals = slices.Clone(t.Vals)
				for j, v := range t.Vals {
					switch t.Op {
					case CountryIn:
						t.Vals[j] = (v + shift) % NumCountries
					case Has:
						t.Vals[j] = (v + shift) % NumCategories
					}
				}
				if t.Op == AgeBetween {
					t.Lo, t.Hi = t.Lo+int64(shift%10), t.Hi+int64(shift%10)
				}
				terms = append(terms, t)
			}
			clauses = append(clauses, terms)
		}
		vq := Query{Name: fmt.Sprintf("%s+%d", q.Name, shift), Clauses: clauses}
		out[i] = segment.Named{Name: vq.Name, Pred: Pred(&vq)}
	}
	return out
}

// changeBatch makes a batch of k changed customers of base: new values of
// age, active, income, purchases and bought for random live customers, a
// few removed and a few added.
func changeBatch(r *rand.Rand, base *segment.Base, n, k int, next *int) *segment.Batch {
	tb := base.Batch()
	for range k {
		key := strconv.Itoa(r.IntN(n))
		switch r.IntN(20) {
		case 0:
			tb.Remove(key) // may be removed already: ignored
		case 1:
			*next++
			tb.Add("new-"+strconv.Itoa(*next), msCountry.Value(uint8(r.IntN(NumCountries))), msActive.Value(true))
		default:
			tb.Set(key,
				msAge.Value(int64(MinAge+r.IntN(MaxAge-MinAge+1))),
				msActive.Value(r.IntN(10) < 6),
				msIncome.Value(int64(10000+r.IntN(90000))),
				msPurchases.Value(int64(r.IntN(30))),
				msBought.Values(uint8(r.IntN(NumCategories)), uint8(r.IntN(NumCategories))))
		}
	}
	return tb
}

func TestStandingCost(t *testing.T) {
	n := 200_000 // small by default: go test ./... runs it in CI
	if s := os.Getenv("MICROSEG_STANDING_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	const changed, nsegs = 10_000, 100
	batches := 9
	if s := os.Getenv("MICROSEG_STANDING_BATCHES"); s != "" {
		batches, _ = strconv.Atoi(s)
	}
	d := Generate(n)
	e := &Microseg{}
	if err := e.Build(d); err != nil {
		t.Fatal(err)
	}
	segs := standingSegments(d, nsegs)
	start := time.Now()
	st, err := segment.NewStanding(e.base, segs...)
	if err != nil {
		t.Fatal(err)
	}
	setup := time.Since(start)
	r := rand.New(rand.NewPCG(1, 2))
	next := 0
	var applyT, standT, moveT, applyC, standC, moveC []time.Duration
	for range batches {
		before := st.Base()
		// Two equal batches: one for the base alone, one for Standing.Apply
		// (the first Apply of a batch also settles its new keys).
		seed, from := r.Uint64(), next
		tb := changeBatch(rand.New(rand.NewPCG(seed, 3)), before, n, changed, &next)
		alone := changeBatch(rand.New(rand.NewPCG(seed, 3)), before, n, changed, &from)
		runtime.GC() // the garbage of the batch before is not this one's
		t0, c0 := time.Now(), cpuTime()
		if _, err := alone.Apply(); err != nil { // the base alone, for comparison
			t.Fatal(err)
		}
		t1, c1 := time.Now(), cpuTime()
		after, deltas, err := st.Apply(tb)
		if err != nil {
			t.Fatal(err)
		}
		t2, c2 := time.Now(), cpuTime()
		moves := make([]segment.Move, len(segs))
		for i, s := range segs {
			if moves[i], err = segment.Movement(before, after, s.Pred); err != nil {
				t.Fatal(err)
			}
		}
		t3, c3 := time.Now(), cpuTime()
		applyT, standT, moveT = append(applyT, t1.Sub(t0)), append(standT, t2.Sub(t1)), append(moveT, t3.Sub(t2))
		applyC, standC, moveC = append(applyC, c1-c0), append(standC, c2-c1), append(moveC, c3-c2)
		for i := range segs {
			if !deltas[i].Entered.Equals(moves[i].Entered) || !deltas[i].Exited.Equals(moves[i].Exited) {
				t.Fatalf("segment %s: the delta differs from Movement", segs[i].Name)
			}
		}
	}
	med := func(ds []time.Duration) time.Duration {
		s := slices.Clone(ds)
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
		return s[len(s)/2]
	}
	// The deltas: Standing.Apply less Batch.Apply, batch by batch.
	sub := func(a, b []time.Duration) []time.Duration {
		out := make([]time.Duration, len(a))
		for i := range a {
			out[i] = max(a[i]-b[i], 0)
		}
		return out
	}
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/1e6) }
	a, s, m, dt := med(applyT), med(standT), med(moveT), med(sub(standT, applyT))
	ac, sc, mc, dc := med(applyC), med(standC), med(moveC), med(sub(standC, applyC))
	t.Logf("N=%d, %d segments, batches of %d changed customers, GOMAXPROCS=%d, medians of %d batches (wall / process CPU):",
		n, nsegs, changed, runtime.GOMAXPROCS(0), batches)
	t.Logf("  NewStanding (evaluate every segment once): %v", setup.Round(time.Millisecond))
	t.Logf("  Batch.Apply alone (the new base):          %s / %s", ms(a), ms(ac))
	t.Logf("  Standing.Apply (new base + all deltas):    %s / %s", ms(s), ms(sc))
	t.Logf("  all deltas (Standing.Apply - Batch.Apply): %s / %s", ms(dt), ms(dc))
	t.Logf("  100 x Movement (recompute):                %s / %s", ms(m), ms(mc))
	t.Logf("  deltas / recompute: %.2f%% wall, %.2f%% CPU; Standing.Apply / recompute: %.1f%% wall",
		100*float64(dt)/float64(m), 100*float64(dc)/float64(mc), 100*float64(s)/float64(m))
}
