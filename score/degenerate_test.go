package score_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fabeed28/microseg/score"
)

// oneRepeatBuyer is 49 one-time customers and one repeat buyer: the data
// that made FitBGNBD return A = 53,650, B = 1.9e-5 and no error, after
// which ExpectedPurchases was NaN.
func oneRepeatBuyer() []score.Summary {
	var s []score.Summary
	for i := range 49 {
		s = append(s, score.Summary{T: float64(10 + i)})
	}
	return append(s, score.Summary{Frequency: 1, Recency: 5, T: 30})
}

// sameSpend is repeat buyers who all spend the same mean amount, whatever
// their number of purchases: no spread within or across customers.
func sameSpend() []score.Summary {
	return slices.Repeat([]score.Summary{{Frequency: 1, Recency: 1, T: 1, Monetary: 5}, {Frequency: 2, Recency: 1, T: 1, Monetary: 5}}, 15)
}

func finite(v ...float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

func TestFitDegenerate(t *testing.T) {
	type outcome struct {
		Degenerate, NotConverged bool
		Param                    string
		Toward                   float64
		Customers, Repeat        int
	}
	tests := []struct {
		name string
		fit  func() error
		want outcome
	}{
		{"BG/NBD one repeat buyer of 50", func() error { _, err := score.FitBGNBD(oneRepeatBuyer()); return err },
			outcome{true, true, "A", math.Inf(1), 50, 1}},
		{"Gamma-Gamma same spend", func() error { _, err := score.FitGammaGamma(sameSpend()); return err },
			outcome{true, true, "Q", math.Inf(1), 30, 30}},
	}
	for _, tt := range tests {
		err := tt.fit()
		var got outcome
		var de *score.DegenerateFitError
		if errors.As(err, &de) {
			got = outcome{errors.Is(err, score.ErrDegenerateFit), errors.Is(err, score.ErrNotConverged), de.Param, de.Toward, de.Customers, de.Repeat}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: err = %v; outcome (-want +got):\n%s", tt.name, err, diff)
		}
	}
}

func TestPenalizer(t *testing.T) {
	for _, c := range []float64{0.001, 0.01, 0.1} {
		bg, err := score.FitBGNBD(oneRepeatBuyer(), score.Penalizer(c))
		if err != nil || !finite(bg.R, bg.Alpha, bg.A, bg.B) {
			t.Errorf("FitBGNBD(Penalizer(%v)) = %+v, %v; want finite parameters", c, bg, err)
		}
		checkPredictions(t, bg, score.GammaGamma{P: 6.25, Q: 3.74, V: 15.44}, oneRepeatBuyer())
	}
	// With no spread at all the Gamma-Gamma likelihood is unbounded, so
	// only a strong penalty holds it.
	gg, err := score.FitGammaGamma(sameSpend(), score.Penalizer(0.1))
	if err != nil || !finite(gg.P, gg.Q, gg.V) {
		t.Errorf("FitGammaGamma(Penalizer(0.1)) = %+v, %v; want finite parameters", gg, err)
	}
	// A penalty of 0 is plain maximum likelihood.
	plain, err1 := score.FitBGNBD(cdnowSummaries(t))
	zero, err2 := score.FitBGNBD(cdnowSummaries(t), score.Penalizer(0))
	if diff := cmp.Diff(plain, zero); diff != "" || err1 != nil || err2 != nil {
		t.Errorf("Penalizer(0) changes the fit (%v, %v):\n%s", err1, err2, diff)
	}
	for _, c := range []float64{-0.1, math.NaN(), math.Inf(1)} {
		if _, err := score.FitBGNBD(oneRepeatBuyer(), score.Penalizer(c)); !errors.Is(err, score.ErrInvalidArgument) {
			t.Errorf("FitBGNBD(Penalizer(%v)): err = %v, want ErrInvalidArgument", c, err)
		}
		if _, err := score.FitGammaGamma(sameSpend(), score.Penalizer(c)); !errors.Is(err, score.ErrInvalidArgument) {
			t.Errorf("FitGammaGamma(Penalizer(%v)): err = %v, want ErrInvalidArgument", c, err)
		}
	}
}

// checkPredictions checks that every prediction for every summary is a
// finite number (and CLV a finite number or an error).
func checkPredictions(t *testing.T, bg score.BGNBD, gg score.GammaGamma, s []score.Summary) {
	t.Helper()
	for _, c := range s {
		vals := []float64{bg.PAlive(c), bg.ExpectedPurchases(52, c), bg.ExpectedPurchasesNew(52), gg.ExpectedSpend(c)}
		if !finite(vals...) {
			t.Errorf("%+v, %+v, %+v: predictions %v, want finite numbers", bg, gg, c, vals)
		}
		if v, err := score.CLV(bg, gg, c, score.Horizon{Periods: 12, Length: 4.35, Rate: 0.01}); err == nil && !finite(v) {
			t.Errorf("CLV(%+v, %+v, %+v) = %v and no error, want a finite number", bg, gg, c, v)
		}
	}
}

func TestPredictionsInvalid(t *testing.T) {
	good := score.Summary{Frequency: 2, Recency: 30.43, T: 38.86, Monetary: 22.35}
	h := score.Horizon{Periods: 12, Length: 4.35}
	models := []struct {
		name string
		bg   score.BGNBD
		gg   score.GammaGamma
	}{
		{"zero BG/NBD", score.BGNBD{}, cdnowSpendModel},
		{"negative R", score.BGNBD{R: -0.243, Alpha: 4.414, A: 0.793, B: 2.426}, cdnowSpendModel},
		{"NaN A", score.BGNBD{R: 0.243, Alpha: 4.414, A: math.NaN(), B: 2.426}, cdnowSpendModel},
		{"infinite Alpha", score.BGNBD{R: 0.243, Alpha: math.Inf(1), A: 0.793, B: 2.426}, cdnowSpendModel},
		{"zero Gamma-Gamma", cdnowModel, score.GammaGamma{}},
		{"negative V", cdnowModel, score.GammaGamma{P: 6.25, Q: 3.74, V: -1}},
	}
	for _, m := range models {
		if m.bg.Err() == nil && m.gg.Err() == nil {
			t.Errorf("%s: Err() = nil for both models, want an error", m.name)
		}
		if _, err := score.CLV(m.bg, m.gg, good, h); !errors.Is(err, score.ErrInvalidArgument) {
			t.Errorf("%s: CLV: err = %v, want ErrInvalidArgument", m.name, err)
		}
		if m.bg.Err() != nil {
			got := []float64{m.bg.PAlive(good), m.bg.ExpectedPurchases(10, good), m.bg.ExpectedPurchasesNew(10)}
			if diff := cmp.Diff([]float64{0, 0, 0}, got); diff != "" {
				t.Errorf("%s: PAlive, ExpectedPurchases, ExpectedPurchasesNew (-want +got):\n%s", m.name, diff)
			}
			if _, err := m.bg.LogLikelihood([]score.Summary{good}); !errors.Is(err, score.ErrInvalidArgument) {
				t.Errorf("%s: LogLikelihood: err = %v, want ErrInvalidArgument", m.name, err)
			}
		}
		if m.gg.Err() != nil {
			if got := m.gg.ExpectedSpend(good); got != 0 {
				t.Errorf("%s: ExpectedSpend = %v, want 0", m.name, got)
			}
			if _, err := m.gg.LogLikelihood([]score.Summary{good}); !errors.Is(err, score.ErrInvalidArgument) {
				t.Errorf("%s: LogLikelihood: err = %v, want ErrInvalidArgument", m.name, err)
			}
		}
	}
	// Summaries no transactions could produce.
	for _, s := range []score.Summary{{Frequency: -1, T: 1}, {Frequency: 1, Recency: 2, T: 1}, {T: -1}, {T: math.NaN()}, {Frequency: 1, Recency: 1, T: 2, Monetary: -5}} {
		if s.Err() == nil {
			t.Errorf("Summary%+v.Err() = nil, want ErrInvalidSummary", s)
		}
		if _, err := score.CLV(cdnowModel, cdnowSpendModel, s, h); !errors.Is(err, score.ErrInvalidSummary) {
			t.Errorf("CLV(%+v): err = %v, want ErrInvalidSummary", s, err)
		}
	}
	// Horizons beyond the documented cap.
	for _, p := range []int{score.MaxPeriods + 1, math.MaxInt32} {
		if _, err := score.CLV(cdnowModel, cdnowSpendModel, good, score.Horizon{Periods: p, Length: 1}); !errors.Is(err, score.ErrInvalidArgument) {
			t.Errorf("CLV with Periods %d: err = %v, want ErrInvalidArgument", p, err)
		}
	}
}

// TestPredictionsExtreme checks that valid but extreme models, such as
// the one the degenerate fit returned, give finite predictions within the
// bounds the model implies, by the closed form or by quadrature.
func TestPredictionsExtreme(t *testing.T) {
	vals := []float64{1e-4, 1e-2, 0.5, 3, 100, 1e4}
	models := []score.BGNBD{{R: 0.0083, Alpha: 2.98, A: 53650, B: 1.86e-5}}
	for _, r := range vals {
		for _, a := range vals {
			for _, b := range vals {
				models = append(models, score.BGNBD{R: r, Alpha: 3, A: a, B: b})
			}
		}
	}
	for _, m := range models {
		for _, x := range []int{0, 1, 5, 100, 10000} {
			for _, T := range []float64{0, 1, 50, 1e4} {
				s := score.Summary{Frequency: x, T: T}
				if x > 0 {
					s.Recency = T / 2
				}
				alive := m.PAlive(s)
				for _, h := range []float64{1e-3, 52, 1e5} {
					e := m.ExpectedPurchases(h, s)
					bound := alive * (m.R + float64(x)) * h / (m.Alpha + T)
					if !finite(e, alive) || e < 0 || e > bound*(1+1e-6) || alive < 0 || alive > 1 {
						t.Errorf("%+v, %+v: PAlive = %v, ExpectedPurchases(%v) = %v, want finite, in [0, %v]", m, s, alive, h, e, bound)
					}
				}
			}
		}
	}
}
