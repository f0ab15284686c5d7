package benchmarks

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/fabeed28/microseg/score"
	"github.com/fabeed28/microseg/score/scoretest"
)

// benchTransactions returns n transactions of n/10 customers over one year,
// in random order, with times to the second.
func benchTransactions(n int) ([]score.Transaction, time.Time) {
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	customers := n / 10
	keys := make([]string, customers)
	for i := range keys {
		keys[i] = fmt.Sprintf("c-%08d", i)
	}
	txns := make([]score.Transaction, n)
	for i := range txns {
		txns[i] = score.Transaction{
			Key:    keys[rng.IntN(customers)],
			Time:   start.Add(time.Duration(rng.Int64N(int64(365 * 24 * time.Hour)))),
			Amount: float64(rng.IntN(20000)) / 100,
			Cost:   float64(rng.IntN(10000)) / 100,
		}
	}
	return txns, start.AddDate(1, 0, 0)
}

// BenchmarkSummarize summarizes transactions (10 per customer, purchases
// grouped by day, measured in weeks). The 10M case runs without -short.
func BenchmarkSummarize(b *testing.B) {
	for _, n := range []int{1_000_000, 10_000_000} {
		b.Run(fmt.Sprintf("txns=%d", n), func(b *testing.B) {
			if n > 1_000_000 && testing.Short() {
				b.Skip("10M transactions: skipped with -short")
			}
			txns, asOf := benchTransactions(n)
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				s, err := score.Summarize(txns, asOf, score.Unit(7*24*time.Hour))
				if err != nil {
					b.Fatal(err)
				}
				if len(s) == 0 {
					b.Fatal("no summaries")
				}
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/txn")
		})
	}
}

// BenchmarkFitBGNBD fits BG/NBD on the summaries of a synthetic cohort
// (purchases on days, times in weeks, 78 weeks, CDNOW-like parameters).
func BenchmarkFitBGNBD(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) {
			cfg := scoretest.Default(n, 3)
			txns := scoretest.Generate(cfg)
			asOf := cfg.Start.AddDate(0, 0, cfg.Days).Add(-time.Second)
			s, err := score.Summarize(txns, asOf, score.Unit(7*24*time.Hour))
			if err != nil {
				b.Fatal(err)
			}
			txns = nil
			b.ReportAllocs()
			b.ResetTimer()
			var m score.BGNBD
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				if m, err = score.FitBGNBD(s); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
			b.Logf("n=%d fit %+v (true %+v)", n, m, cfg.Purchases)
		})
	}
}
