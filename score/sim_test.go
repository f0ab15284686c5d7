package score_test

import (
	"math"
	"math/rand/v2"

	"github.com/fabeed28/microseg/score"
	"github.com/fabeed28/microseg/score/scoretest"
)

// betaRand draws from Beta(a, b).
func betaRand(rng *rand.Rand, a, b float64) float64 {
	x := scoretest.Gamma(rng, a, 1)
	return x / (x + scoretest.Gamma(rng, b, 1))
}

// simCustomer is a customer drawn from the BG/NBD process: the summary of
// the calibration window (0, T] and the purchases in the holdout (T, T+h].
type simCustomer struct {
	s       score.Summary
	holdout int
	alive   bool // still active at T
}

// simulateBGNBD draws n customers from the BG/NBD generative process with
// a first purchase at time 0, calibration windows T uniform in [tMin, tMax]
// and a holdout of length h. When grid > 0, times are rounded up to
// multiples of grid, as purchase days measured in weeks would be.
func simulateBGNBD(rng *rand.Rand, m score.BGNBD, n int, tMin, tMax, h, grid float64) []simCustomer {
	out := make([]simCustomer, n)
	for i := range out {
		T := tMin + (tMax-tMin)*rng.Float64()
		if grid > 0 {
			T = math.Ceil(T/grid) * grid
		}
		lambda := scoretest.Gamma(rng, m.R, m.Alpha)
		p := betaRand(rng, m.A, m.B)
		c := simCustomer{s: score.Summary{T: T}, alive: true}
		var last float64
		for t := 0.0; ; {
			t += rng.ExpFloat64() / lambda
			if grid > 0 {
				t = math.Ceil(t/grid) * grid
				if t == last {
					continue // the same period counts once
				}
			}
			if t > T+h {
				break
			}
			last = t
			if t <= T {
				c.s.Frequency++
				c.s.Recency = t
			} else {
				c.holdout++
			}
			if rng.Float64() < p {
				if t <= T {
					c.alive = false
				}
				break
			}
		}
		out[i] = c
	}
	return out
}

// simulateGammaGamma draws n repeat buyers from the Gamma-Gamma process,
// each with 1 to maxX repeat transactions.
func simulateGammaGamma(rng *rand.Rand, m score.GammaGamma, n, maxX int) []score.Summary {
	out := make([]score.Summary, n)
	for i := range out {
		nu := scoretest.Gamma(rng, m.Q, m.V)
		x := 1 + rng.IntN(maxX)
		var sum float64
		for j := 0; j < x; j++ {
			sum += scoretest.Gamma(rng, m.P, nu)
		}
		out[i] = score.Summary{Frequency: x, Recency: 1, T: 1, Monetary: sum / float64(x)}
	}
	return out
}
