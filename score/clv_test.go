package score_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/fabeed28/microseg/score"
)

var cdnowSpendModel = score.GammaGamma{P: 6.25, Q: 3.74, V: 15.44}

func TestGammaGammaExpectedSpend(t *testing.T) {
	// Hand-computed: (V + x·zbar)·P / (P·x + Q - 1).
	tests := []struct {
		x    int
		zbar float64
		want float64
	}{
		{0, 0, 35.218978102189781}, // the population mean P·V/(Q-1)
		{1, 10, 17.686318131256952},
		{2, 22.35, 24.663713910761156},
		{10, 50, 49.379215205395463},
	}
	for _, tt := range tests {
		s := score.Summary{Frequency: tt.x, Recency: 1, T: 2, Monetary: tt.zbar}
		if tt.x == 0 {
			s.Recency = 0
		}
		if got := cdnowSpendModel.ExpectedSpend(s); math.Abs(got-tt.want) > 1e-12*tt.want {
			t.Errorf("ExpectedSpend(x=%d, zbar=%v) = %.15g, want %.15g", tt.x, tt.zbar, got, tt.want)
		}
	}
	if got := (score.GammaGamma{P: 1, Q: 0.5, V: 1}).ExpectedSpend(score.Summary{T: 1}); got != 0 {
		t.Errorf("ExpectedSpend with Q < 1 for a new customer = %v, want 0 (infinite)", got)
	}
}

func TestFitGammaGammaErrors(t *testing.T) {
	rep := func(n int, m float64) []score.Summary {
		out := make([]score.Summary, n)
		for i := range out {
			out[i] = score.Summary{Frequency: 1 + i%3, Recency: 1, T: 2, Monetary: m + float64(i)}
		}
		return out
	}
	tests := []struct {
		name string
		in   []score.Summary
		want error
	}{
		{"no repeat buyers", []score.Summary{{T: 1}, {T: 2}}, score.ErrNoRepeatBuyers},
		{"few repeat buyers", rep(5, 10), score.ErrTooFewCustomers},
		{"no finite maximum", slices.Repeat([]score.Summary{{Frequency: 1, Recency: 1, T: 1, Monetary: 5}, {Frequency: 2, Recency: 1, T: 1, Monetary: 5}}, 10), score.ErrNotConverged},
		{"zero spend", append(rep(20, 10), score.Summary{Key: "z", Frequency: 1, Recency: 1, T: 1}), score.ErrInvalidSummary},
	}
	for _, tt := range tests {
		if _, err := score.FitGammaGamma(tt.in); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestCLV(t *testing.T) {
	s := score.Summary{Key: "1", Frequency: 2, Recency: 30.43, T: 38.86, Monetary: 22.35}
	tests := []struct {
		name string
		h    score.Horizon
		want float64
	}{
		// Undiscounted: expected spend times expected purchases in 39 weeks.
		{"one period", score.Horizon{Periods: 1, Length: 39}, 24.663713910761156 * 1.2260281747671445},
		// Two half-periods at 10% each, hand-computed.
		{"discounted", score.Horizon{Periods: 2, Length: 19.5, Rate: 0.1}, 26.346105257207866},
	}
	for _, tt := range tests {
		got, err := score.CLV(cdnowModel, cdnowSpendModel, s, tt.h)
		if err != nil || math.Abs(got-tt.want) > 1e-9*tt.want {
			t.Errorf("%s: CLV = %.15g, %v; want %.15g", tt.name, got, err, tt.want)
		}
	}
	for _, h := range []score.Horizon{{Periods: 0, Length: 1}, {Periods: 1, Length: 0}, {Periods: 1, Length: 1, Rate: -0.1}, {Periods: 1, Length: math.NaN()}} {
		if _, err := score.CLV(cdnowModel, cdnowSpendModel, s, h); !errors.Is(err, score.ErrInvalidArgument) {
			t.Errorf("CLV with %+v: err = %v, want ErrInvalidArgument", h, err)
		}
	}
	if _, err := score.CLV(cdnowModel, cdnowSpendModel, score.Summary{Frequency: 1, Recency: 5, T: 1}, score.Horizon{Periods: 1, Length: 1}); !errors.Is(err, score.ErrInvalidSummary) {
		t.Errorf("CLV with an impossible summary: err = %v, want ErrInvalidSummary", err)
	}
}
