package scoretest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/fabeed28/microseg/score"
)

// Config describes a synthetic cohort. The models' rates are per week.
type Config struct {
	Customers int              // number of customers
	Start     time.Time        // the day of the cohort's first purchases
	Join      int              // each customer's first purchase falls on one of the Join days from Start (below 1 counts as 1)
	Days      int              // days simulated from Start; repeat purchases stop there
	Purchases score.BGNBD      // purchase process, times in weeks
	Spend     score.GammaGamma // spend per purchase
	Margin    float64          // each purchase costs (1 - Margin) * its amount
	Seed      uint64           // seed of the random source
}

// Default returns the Config of a cohort of n customers who join over the 12
// weeks from 2024-01-01 and are followed for 78 weeks, with purchase and
// spend parameters close to those published for CDNOW
// (BG/NBD r=0.25, alpha=4.5, a=0.8, b=2.5; Gamma-Gamma p=6, q=4, v=15) and a
// margin of 30%.
func Default(n int, seed uint64) Config {
	return Config{
		Customers: n,
		Start:     time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		Join:      84,
		Days:      78 * 7,
		Purchases: score.BGNBD{R: 0.25, Alpha: 4.5, A: 0.8, B: 2.5},
		Spend:     score.GammaGamma{P: 6, Q: 4, V: 15},
		Margin:    0.3,
		Seed:      seed,
	}
}

// Generate returns the transactions of the cohort c describes, in customer
// order and each customer's in time order, with keys "c-000001",
// "c-000002" and so on. Every customer buys at least once. Amounts and costs
// are rounded to cents. One Config gives the same transactions on every run.
func Generate(c Config) []score.Transaction {
	rng := rand.New(rand.NewPCG(c.Seed, 0x5eed))
	var out []score.Transaction
	end := float64(c.Days) / 7
	join := max(c.Join, 1)
	for i := 0; i < c.Customers; i++ {
		key := fmt.Sprintf("c-%06d", i+1)
		first := float64(rng.IntN(join)) / 7 // weeks from Start
		lambda := Gamma(rng, c.Purchases.R, c.Purchases.Alpha)
		p := Gamma(rng, c.Purchases.A, 1)
		p /= p + Gamma(rng, c.Purchases.B, 1)
		nu := Gamma(rng, c.Spend.Q, c.Spend.V)
		buy := func(w float64) {
			amt := math.Round(Gamma(rng, c.Spend.P, nu)*100) / 100
			at := c.Start.Add(time.Duration(w * float64(7*24*time.Hour)))
			out = append(out, score.Transaction{Key: key, Time: at, Amount: amt, Cost: math.Round(amt*(1-c.Margin)*100) / 100})
		}
		buy(first)
		for t := first; ; {
			t += rng.ExpFloat64() / lambda
			if t >= end {
				break
			}
			buy(t)
			if rng.Float64() < p {
				break
			}
		}
	}
	return out
}

// Gamma draws from the Gamma distribution of the given shape and rate (mean
// shape/rate) with rng, by the method of Marsaglia and Tsang. Tests that
// simulate the models at the level of summaries draw their customers'
// purchase rates, dropout probabilities and spend with it.
func Gamma(rng *rand.Rand, shape, rate float64) float64 {
	if shape < 1 {
		return Gamma(rng, shape+1, rate) * math.Pow(rng.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		if math.Log(rng.Float64()) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v / rate
		}
	}
}
