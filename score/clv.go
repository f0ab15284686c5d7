package score

import (
	"fmt"
	"math"
	"time"
)

// MaxPeriods is the largest Horizon.Periods that CLV accepts: a century of
// daily periods, which bounds the work of one call (a few milliseconds to
// a few seconds).
const MaxPeriods = 36525

// Durations for Unit, Period and Horizon.Every. A month and a year are
// their average lengths in the Gregorian calendar (365.25 days a year), so
// that twelve months make a year and a month is 4.35 weeks.
const (
	Day   = 24 * time.Hour
	Week  = 7 * Day
	Year  = 365*Day + 6*time.Hour
	Month = Year / 12
)

// Horizon says how far ahead customer lifetime value looks and how it is
// discounted: Periods periods, with purchases in period k discounted by
// (1+Rate)^k. The length of a period is given one of two ways:
//
//   - Every, a duration, with Unit, the Unit the summaries were made with
//     (zero for Summarize's default, a day): Horizon{Periods: 12, Every:
//     score.Month, Unit: score.Week, Rate: 0.01} is a year of months for
//     weekly summaries, whatever unit the summaries are in;
//   - Length, in the unit of the summaries (4.35 for a month of weekly
//     summaries, 30.44 of daily ones), as before Every existed.
//
// Setting both, or Unit without Every, is an error of CLV.
type Horizon struct {
	Periods int           // number of periods, in [1, MaxPeriods]
	Length  float64       // length of a period in the summaries' unit, > 0; or 0 with Every
	Rate    float64       // discount rate per period, >= 0 (0.01 is 1% a month for monthly periods)
	Every   time.Duration // length of a period as a duration, > 0; or 0 with Length
	Unit    time.Duration // the summaries' Unit, > 0; 0 is Summarize's default, a day
}

// periodLength returns the length of a period in the summaries' unit.
func (h Horizon) periodLength() (float64, error) {
	switch {
	case h.Every != 0 && h.Length != 0:
		return 0, argError("CLV: Horizon.Length", h.Length, fmt.Sprintf("0 when Every is set (Every = %v gives the length)", h.Every))
	case h.Every < 0:
		return 0, argError("CLV: Horizon.Every", h.Every, "a duration > 0")
	case h.Unit < 0:
		return 0, argError("CLV: Horizon.Unit", h.Unit, "the Unit of the summaries, > 0 (or 0 for a day)")
	case h.Every == 0 && h.Unit != 0:
		return 0, argError("CLV: Horizon.Unit", h.Unit, "0 when Every is not set (Length is in the summaries' unit already)")
	case h.Every > 0:
		unit := h.Unit
		if unit == 0 {
			unit = Day
		}
		return float64(h.Every) / float64(unit), nil
	case !(h.Length > 0) || math.IsInf(h.Length, 0):
		return 0, argError("CLV: Horizon.Length", h.Length, "a finite number > 0 (or set Every)")
	}
	return h.Length, nil
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
	case !(h.Rate >= 0) || math.IsInf(h.Rate, 0):
		return math.NaN(), argError("CLV: Horizon.Rate", h.Rate, "a finite number >= 0")
	}
	length, err := h.periodLength()
	if err != nil {
		return math.NaN(), err
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
		cum := bg.ExpectedPurchases(float64(k)*length, s)
		value += spend * (cum - prev) / math.Pow(1+h.Rate, float64(k))
		prev = cum
	}
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return math.NaN(), fmt.Errorf("score: CLV of %q: value %v with %+v and %+v, want a finite number (the models give no finite expectation): %w", s.Key, value, bg, gg, ErrInvalidArgument)
	}
	return value, nil
}
