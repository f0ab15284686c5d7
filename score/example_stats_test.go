package score_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/fabeed28/microseg/score"
	"github.com/fabeed28/microseg/score/scoretest"
	"github.com/fabeed28/microseg/segment"
)

func ExampleNewStats() {
	st, err := score.NewStats([]score.Summary{
		{Key: "ann", Frequency: 2, Recency: 30, T: 40, Monetary: 25},
		{Key: "bob", Frequency: 0, T: 40},
		{Key: "cat", Frequency: 2, Recency: 30, T: 40, Monetary: 25},
		{Key: "dan", Frequency: 0, T: 40},
		{Key: "eve", Frequency: 1, Recency: 12, T: 35, Monetary: 80},
	})
	if err != nil {
		panic(err)
	}
	for _, r := range st.Purchases {
		fmt.Printf("x=%d t_x=%v T=%v: %d customers\n", r.Frequency, r.Recency, r.T, r.Customers)
	}
	for _, r := range st.Spends {
		fmt.Printf("x=%d mean spend %v: %d customers\n", r.Frequency, r.Monetary, r.Customers)
	}
	fmt.Println(st.Customers(), st.RepeatBuyers())
	// Output:
	// x=0 t_x=0 T=40: 2 customers
	// x=1 t_x=12 T=35: 1 customers
	// x=2 t_x=30 T=40: 2 customers
	// x=1 mean spend 80: 1 customers
	// x=2 mean spend 25: 2 customers
	// 5 3
}

// Four service instances each summarize the transactions of their own
// customers; the statistics they send merge into one fit, equal to the
// fit over every customer's summary.
func ExampleMergeStats() {
	c := scoretest.Default(2000, 1)
	txns := scoretest.Generate(c)
	asOf := c.Start.AddDate(0, 0, c.Days)
	opts := []score.Option{score.Period(24 * time.Hour), score.Unit(7 * 24 * time.Hour)}

	byShard := make([][]score.Transaction, 4)
	for _, t := range txns {
		s := segment.ShardOf(t.Key, 4)
		byShard[s] = append(byShard[s], t)
	}
	var parts []score.Stats
	for _, shard := range byShard {
		sums, err := score.Summarize(shard, asOf, opts...)
		if err != nil {
			panic(err)
		}
		st, err := score.NewStats(sums)
		if err != nil {
			panic(err)
		}
		parts = append(parts, st)
	}
	merged, err := score.MergeStats(parts...)
	if err != nil {
		panic(err)
	}
	fleet, err := score.FitBGNBDStats(merged)
	if err != nil {
		panic(err)
	}

	all, _ := score.Summarize(txns, asOf, opts...)
	one, _ := score.FitBGNBD(all)
	fmt.Println(merged.Customers(), fleet == one)
	// Output:
	// 2000 true
}

func ExampleFitBGNBDStats() {
	c := scoretest.Default(3000, 2)
	sums, _ := score.Summarize(scoretest.Generate(c), c.Start.AddDate(0, 0, c.Days),
		score.Period(24*time.Hour), score.Unit(7*24*time.Hour))
	st, _ := score.NewStats(sums)
	m, err := score.FitBGNBDStats(st)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d customers in %d rows: r=%.2f alpha=%.2f a=%.2f b=%.2f\n",
		st.Customers(), len(st.Purchases), m.R, m.Alpha, m.A, m.B)
	// Output:
	// 3000 customers in 1552 rows: r=0.24 alpha=4.62 a=0.84 b=3.02
}

func ExampleFitGammaGammaStats() {
	c := scoretest.Default(3000, 2)
	sums, _ := score.Summarize(scoretest.Generate(c), c.Start.AddDate(0, 0, c.Days),
		score.Period(24*time.Hour), score.Unit(7*24*time.Hour))
	st, _ := score.NewStats(sums)
	m, err := score.FitGammaGammaStats(st)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d repeat buyers: p=%.2f q=%.2f v=%.2f\n", st.RepeatBuyers(), m.P, m.Q, m.V)
	// Output:
	// 1474 repeat buyers: p=4.57 q=4.21 v=21.09
}

func ExampleFitBGNBDStatsReport() {
	// Customers drawn from a BG/NBD process with R=0.5, Alpha=5, A=0.9,
	// B=3, summarized on two shards.
	sums := simulate(rand.New(rand.NewPCG(1, 1)), 20000)
	a, _ := score.NewStats(sums[:10000])
	b, _ := score.NewStats(sums[10000:])
	st, err := score.MergeStats(a, b)
	if err != nil {
		panic(err)
	}
	_, rep, err := score.FitBGNBDStatsReport(st)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d customers in %d rows, log-likelihood %.1f\n", rep.Customers, len(st.Purchases), rep.LogLikelihood)
	for i, name := range rep.Params {
		fmt.Printf("%-5s %.3f ± %.3f\n", name, rep.Estimates[i], 1.96*rep.StdErrors[i])
	}
	// The report of ExampleFitBGNBDReport, on the same customers. Their
	// times are continuous, so every customer is a row of her own.

	// Output:
	// 20000 customers in 20000 rows, log-likelihood -177838.7
	// R     0.499 ± 0.013
	// Alpha 5.080 ± 0.201
	// A     0.974 ± 0.089
	// B     3.353 ± 0.403
}

func ExampleFitGammaGammaStatsReport() {
	sums := simulateGammaGamma(rand.New(rand.NewPCG(2, 2)), score.GammaGamma{P: 6, Q: 4, V: 15}, 2000, 10)
	a, _ := score.NewStats(sums[:700])
	b, _ := score.NewStats(sums[700:])
	st, _ := score.MergeStats(a, b)
	_, rep, err := score.FitGammaGammaStatsReport(st)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d repeat buyers, log-likelihood %.1f\n", rep.Customers, rep.LogLikelihood)
	for i, name := range rep.Params {
		fmt.Printf("%s %.2f (standard error %.2f)\n", name, rep.Estimates[i], rep.StdErrors[i])
	}
	// The report of ExampleFitGammaGammaReport, on the same customers.

	// Output:
	// 2000 repeat buyers, log-likelihood -8178.3
	// P 5.89 (standard error 1.12)
	// Q 3.83 (standard error 0.17)
	// V 14.46 (standard error 3.26)
}
