// Package txnsim generates synthetic transactions from the BG/NBD and
// Gamma-Gamma generative processes, for examples, tests and benchmarks that
// must run without real data. Users of microseg must not depend on it.
package txnsim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/fabeed28/microseg/score"
)

// Config describes a synthetic cohort. Rates are per week.
type Config struct {
	Customers int              // number of customers
	Start     time.Time        // first day of the cohort's first purchases
	Join      int              // customers make their first purchase within this many days of Start
	Days      int              // days simulated from Start
	Purchases score.BGNBD      // purchase process, in weeks
	Spend     score.GammaGamma // spend per purchase
	Margin    float64          // cost = (1 - Margin) * amount
	Seed      uint64
}

// Default returns a cohort of n customers over 78 weeks from 2024-01-01,
// with CDNOW-like purchase and spend parameters.
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

// Generate returns the cohort's transactions in customer order, each
// customer's in time order, with keys "c-000001" and so on.
func Generate(c Config) []score.Transaction {
	rng := rand.New(rand.NewPCG(c.Seed, 0x5eed))
	var out []score.Transaction
	end := float64(c.Days) / 7
	for i := 0; i < c.Customers; i++ {
		key := fmt.Sprintf("c-%06d", i+1)
		first := float64(rng.IntN(c.Join)) / 7 // weeks from Start
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

// Gamma draws from Gamma(shape, rate) (Marsaglia and Tsang).
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
