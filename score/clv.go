package score

import (
	"fmt"
	"math"
)

// MaxPeriods is the largest Horizon.Periods that CLV accepts: a century of
// daily periods, which bounds the work of one call (a few milliseconds to
// a few seconds).
const MaxPeriods = 36525

// Horizon says how far ahead customer lifetime value looks and how it is
// discounted: Periods periods of Length time units each (in the unit of the
// summaries: 4.35 weeks make a month), with purchases in period k
// discounted by (1+Rate)^k.
type Horizon struct {
	Periods int     // number of periods, in [1, MaxPeriods]
	Length  float64 // length of a period in model time units, > 0
	Rate    float64 // discount rate per period, >= 0 (0.01 is 1% a month for monthly periods)
}

// CLV returns the customer's expected discounted revenue over the horizon:
// the sum over periods k = 1..Periods of the BG/NBD expected purchases in
// period k times the Gamma-Gamma expected spend per purchase, divided by
// (1+Rate)^k. Multiply by a profit margin to get net profit. The result is
// a finite number >= 0 or an error: one wrapping ErrInvalidArgument for a
// bad horizon (Periods outside [1, MaxPeriods], for instance), a model that
// is not valid (see BGNBD.Err and GammaGamma.Err, which reject the zero
// models), or models that give no finite value (an infinite mean spend,
// Q <= 1, for instance); or ErrInvalidSummary for an impossible summary.
func CLV(bg BGNBD, gg GammaGamma, s Summary, h Horizon) (float64, error) {
	switch {
	case h.Periods < 1 || h.Periods > MaxPeriods:
		return math.NaN(), argError("CLV: Horizon.Periods", h.Periods, fmt.Sprintf("a number in [1, MaxPeriods=%d]", MaxPeriods))
	case !(h.Length > 0) || math.IsInf(h.Length, 0):
		return math.NaN(), argError("CLV: Horizon.Length", h.Length, "a finite number > 0")
	case !(h.Rate >= 0) || math.IsInf(h.Rate, 0):
		return math.NaN(), argError("CLV: Horizon.Rate", h.Rate, "a finite number >= 0")
	}
	if err := bg.Err(); err != nil {
		return math.NaN(), err
	}
	if err := s.check(); err != nil {
		return math.NaN(), err
	}
	spend, err := gg.expectedSpend(s)
	if err != nil {
		return math.NaN(), err
	}
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
