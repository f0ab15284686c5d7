package score

import (
	"fmt"
	"math"
)

// Horizon says how far ahead customer lifetime value looks and how it is
// discounted: Periods periods of Length time units each (in the unit of the
// summaries: 4.35 weeks make a month), with purchases in period k
// discounted by (1+Rate)^k.
type Horizon struct {
	Periods int     // number of periods, >= 1
	Length  float64 // length of a period in model time units, > 0
	Rate    float64 // discount rate per period, >= 0 (0.01 is 1% a month for monthly periods)
}

// CLV returns the customer's expected discounted revenue over the horizon:
// the sum over periods k = 1..Periods of the BG/NBD expected purchases in
// period k times the Gamma-Gamma expected spend per purchase, divided by
// (1+Rate)^k. Multiply by a profit margin to get net profit. It returns an
// error wrapping ErrInvalidArgument for a bad horizon, ErrInvalidSummary
// for an impossible summary, and ErrInvalidArgument too when the models
// give no finite value (an infinite mean spend, Q <= 1, for instance).
func CLV(bg BGNBD, gg GammaGamma, s Summary, h Horizon) (float64, error) {
	switch {
	case h.Periods < 1:
		return math.NaN(), argError("CLV: Horizon.Periods", h.Periods, ">= 1")
	case !(h.Length > 0) || math.IsInf(h.Length, 0):
		return math.NaN(), argError("CLV: Horizon.Length", h.Length, "a finite number > 0")
	case !(h.Rate >= 0) || math.IsInf(h.Rate, 0):
		return math.NaN(), argError("CLV: Horizon.Rate", h.Rate, "a finite number >= 0")
	}
	if err := s.check(); err != nil {
		return math.NaN(), err
	}
	spend := gg.ExpectedSpend(s)
	var value, prev float64
	for k := 1; k <= h.Periods; k++ {
		cum := bg.ExpectedPurchases(float64(k)*h.Length, s)
		value += spend * (cum - prev) / math.Pow(1+h.Rate, float64(k))
		prev = cum
	}
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return math.NaN(), fmt.Errorf("score: CLV of %q: value %v with %+v and %+v, want a finite number (the models give no finite expectation): %w", s.Key, value, bg, gg, ErrInvalidArgument)
	}
	return value, nil
}
