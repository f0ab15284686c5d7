package score_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/fabeed28/microseg/score"
	"github.com/fabeed28/microseg/segment"
)

func ExampleSummarize() {
	at := func(m time.Month, d int) time.Time { return time.Date(2024, m, d, 12, 0, 0, 0, time.UTC) }
	txns := []score.Transaction{
		{Key: "ann", Time: at(1, 3), Amount: 40, Cost: 25},
		{Key: "ann", Time: at(1, 3), Amount: 10, Cost: 5}, // same day: one purchase of 50
		{Key: "ann", Time: at(2, 14), Amount: 30, Cost: 20},
		{Key: "bob", Time: at(3, 1), Amount: 80, Cost: 60},
	}
	asOf := time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC)
	sums, err := score.Summarize(txns, asOf, score.Unit(7*24*time.Hour))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range sums {
		fmt.Printf("%s: x=%d t_x=%.2f T=%.2f monetary=%.2f revenue=%.2f profit=%.2f\n",
			s.Key, s.Frequency, s.Recency, s.T, s.Monetary, s.Revenue, s.Profit)
	}
	// Output:
	// ann: x=1 t_x=6.00 T=12.57 monetary=30.00 revenue=80.00 profit=30.00
	// bob: x=0 t_x=0.00 T=4.29 monetary=0.00 revenue=80.00 profit=20.00
}

func ExampleBGNBD() {
	// The published BG/NBD estimates for the CDNOW sample, in weeks.
	m := score.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	s := score.Summary{Frequency: 2, Recency: 30.43, T: 38.86}
	fmt.Printf("P(alive) = %.3f\n", m.PAlive(s))
	fmt.Printf("expected purchases in the next 39 weeks = %.3f\n", m.ExpectedPurchases(39, s))
	fmt.Printf("a new customer's expected repeat purchases in 39 weeks = %.3f\n", m.ExpectedPurchasesNew(39))
	// Output:
	// P(alive) = 0.727
	// expected purchases in the next 39 weeks = 1.226
	// a new customer's expected repeat purchases in 39 weeks = 1.197
}

func ExampleFitBGNBD() {
	// Customers drawn from a BG/NBD process with R=0.5, Alpha=5, A=0.9, B=3.
	sums := simulate(rand.New(rand.NewPCG(1, 1)), 20000)
	m, err := score.FitBGNBD(sums)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("R=%.2f Alpha=%.2f A=%.2f B=%.2f\n", m.R, m.Alpha, m.A, m.B)
	// Output:
	// R=0.50 Alpha=5.08 A=0.97 B=3.35
}

func ExampleCLV() {
	bg := score.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	gg := score.GammaGamma{P: 6.25, Q: 3.74, V: 15.44}
	s := score.Summary{Frequency: 2, Recency: 30.43, T: 38.86, Monetary: 22.35}
	// One year in months of 4.35 weeks, discounted at 1% a month.
	v, err := score.CLV(bg, gg, s, score.Horizon{Periods: 12, Length: 4.35, Rate: 0.01})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("expected spend per purchase %.2f, 12-month CLV %.2f\n", gg.ExpectedSpend(s), v)
	// Output:
	// expected spend per purchase 24.66, 12-month CLV 36.32
}

func ExampleRFM_Segment() {
	sums := []score.Summary{
		{Key: "a", Frequency: 9, Recency: 50, T: 52, Revenue: 900},
		{Key: "b", Frequency: 6, Recency: 10, T: 52, Revenue: 700},
		{Key: "c", Frequency: 0, Recency: 0, T: 2, Revenue: 30}, // ties with a on recency
		{Key: "d", Frequency: 1, Recency: 20, T: 40, Revenue: 60},
		{Key: "e", Frequency: 0, Recency: 0, T: 50, Revenue: 20},
	}
	scores, err := score.RFMScores(sums, score.Quintiles)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range scores {
		fmt.Println(r.Key, r.Code(), r.Segment())
	}
	// Output:
	// a 455 loyal
	// b 244 at risk
	// c 412 promising
	// d 333 need attention
	// e 111 lost
}

func ExampleRFMFields() {
	b := segment.NewBuilder()
	for _, k := range []string{"a", "b", "c", "d", "e"} {
		if err := b.Add(k); err != nil {
			fmt.Println(err)
			return
		}
	}
	base, err := b.Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	rfm := score.NewRFMFields("rfm")
	base, err = rfm.Attach(base, []score.RFM{
		{Key: "a", R: 5, F: 5, M: 5}, {Key: "b", R: 1, F: 5, M: 4},
		{Key: "c", R: 2, F: 4, M: 5}, {Key: "d", R: 5, F: 1, M: 1},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	clv := segment.NewDecimal("clv", 2)
	base, err = score.AttachDecimal(base, clv, map[string]float64{"a": 900, "b": 750.5, "c": 120, "d": 15})
	if err != nil {
		fmt.Println(err)
		return
	}
	// High value, about to lapse: one predicate like any other.
	lapsing := segment.And(rfm.R.Le(2), clv.Ge(500))
	for k := range base.Keys(base.Eval(lapsing)) {
		fmt.Println("lapsing:", k)
	}
	fmt.Println("champions:", base.Count(rfm.Segment(score.Champions)))
	// Output:
	// lapsing: b
	// champions: 1
}

// simulate draws n customers from a BG/NBD process with R=0.5, Alpha=5,
// A=0.9, B=3 observed for 30 to 78 weeks.
func simulate(rng *rand.Rand, n int) []score.Summary {
	sim := simulateBGNBD(rng, score.BGNBD{R: 0.5, Alpha: 5, A: 0.9, B: 3}, n, 30, 78, 0, 0)
	out := make([]score.Summary, n)
	for i, c := range sim {
		out[i] = c.s
	}
	return out
}
