package score_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/fabeed28/microseg/score"
)

func TestFitBGNBDCDNOW(t *testing.T) {
	s := cdnowSummaries(t)
	m, err := score.FitBGNBD(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("BG/NBD on CDNOW: %+v", m)
	// Published: Fader, Hardie and Lee (2005), to three decimals.
	checkRounded(t, 3, param{"R", m.R, 0.243}, param{"Alpha", m.Alpha, 4.414}, param{"A", m.A, 0.793}, param{"B", m.B, 2.426})
	ll, err := m.LogLikelihood(s)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(ll-(-9582.4)) > 0.1 {
		t.Errorf("LogLikelihood = %.2f, want -9582.4", ll)
	}
}

// cdnowModel holds the published CDNOW estimates.
var cdnowModel = score.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}

func TestBGNBDConditional(t *testing.T) {
	// Reference values computed by hand from the paper's equations (mpmath,
	// 30 digits, the untransformed 2F1 of eq. 10).
	tests := []struct {
		x                  int
		tx, T              float64
		pAlive, e39, e1000 float64
	}{
		{0, 0, 38.86, 1.0, 0.19509805201126264, 2.1783959555342151},
		{2, 30.43, 38.86, 0.72657857008067291, 1.2260281747671445, 10.120518988765318},
		{1, 1.71, 38.86, 0.21210098537737909, 0.20318698707975406, 1.845348442993365},
		{7, 35.0, 38.86, 0.84376782192801222, 4.3874878544879614, 31.511179297771507},
		{26, 35.57, 38.86, 0.81280202082596655, 14.87472481772943, 100.22004230896523},
		{50, 30, 38.86, 0.00064991470739134447, 0.0226188917994899, 0.1504455645489096},
	}
	for _, tt := range tests {
		s := score.Summary{Frequency: tt.x, Recency: tt.tx, T: tt.T}
		if got := cdnowModel.PAlive(s); math.Abs(got-tt.pAlive) > 1e-12 {
			t.Errorf("PAlive(%+v) = %.15g, want %.15g", s, got, tt.pAlive)
		}
		for _, h := range []struct{ t, want float64 }{{39, tt.e39}, {1000, tt.e1000}} {
			if got := cdnowModel.ExpectedPurchases(h.t, s); math.Abs(got-h.want) > 1e-9*h.want {
				t.Errorf("ExpectedPurchases(%v, %+v) = %.15g, want %.15g", h.t, s, got, h.want)
			}
		}
	}
}

func TestBGNBDExpectedPurchasesNew(t *testing.T) {
	tests := []struct{ t, want float64 }{
		{0, 0},
		{1, 0.05326789117165828},
		{39, 1.1967231933208168},
		{78, 1.8605190579427685},
		{1000, 6.5803916137382322},
	}
	for _, tt := range tests {
		if got := cdnowModel.ExpectedPurchasesNew(tt.t); math.Abs(got-tt.want) > 1e-9*math.Max(tt.want, 1) {
			t.Errorf("ExpectedPurchasesNew(%v) = %.15g, want %.15g", tt.t, got, tt.want)
		}
	}
	// At A = 1 the formula has a removable singularity.
	m := cdnowModel
	m.A = 1
	lo, hi := cdnowModel, cdnowModel
	lo.A, hi.A = 0.999, 1.001
	got, l, h := m.ExpectedPurchasesNew(39), lo.ExpectedPurchasesNew(39), hi.ExpectedPurchasesNew(39)
	if math.IsNaN(got) || got < math.Min(l, h) || got > math.Max(l, h) {
		t.Errorf("ExpectedPurchasesNew(39) at A=1 = %v, want between %v and %v", got, l, h)
	}
}

func TestBGNBDInvalidInput(t *testing.T) {
	bad := []score.Summary{
		{Frequency: -1, T: 10},
		{Frequency: 1, Recency: 11, T: 10},
		{Frequency: 0, Recency: 1, T: 10},
		{Frequency: 1, Recency: math.NaN(), T: 10},
		{Frequency: 1, Recency: 1, T: math.Inf(1)},
	}
	for _, s := range bad {
		if got := cdnowModel.PAlive(s); got != 0 {
			t.Errorf("PAlive(%+v) = %v, want 0", s, got)
		}
		if got := cdnowModel.ExpectedPurchases(1, s); got != 0 {
			t.Errorf("ExpectedPurchases(1, %+v) = %v, want 0", s, got)
		}
		_, err := cdnowModel.LogLikelihood([]score.Summary{s})
		if !errors.Is(err, score.ErrInvalidSummary) {
			t.Errorf("LogLikelihood(%+v): err = %v, want ErrInvalidSummary", s, err)
		}
	}
	if got := cdnowModel.ExpectedPurchases(-1, score.Summary{T: 1}); got != 0 {
		t.Errorf("ExpectedPurchases(-1, ...) = %v, want 0", got)
	}
}

func TestFitBGNBDErrors(t *testing.T) {
	many := func(n int, s score.Summary) []score.Summary {
		out := make([]score.Summary, n)
		for i := range out {
			out[i] = s
			out[i].T += float64(i)
		}
		return out
	}
	tests := []struct {
		name string
		in   []score.Summary
		want error
	}{
		{"empty", nil, score.ErrTooFewCustomers},
		{"three", many(3, score.Summary{Frequency: 1, Recency: 1, T: 5}), score.ErrTooFewCustomers},
		{"no repeat buyers", many(100, score.Summary{T: 5}), score.ErrNoRepeatBuyers},
		{"invalid", append(many(20, score.Summary{T: 5}), score.Summary{Key: "x", Frequency: 2, Recency: 9, T: 3}), score.ErrInvalidSummary},
		// Identical customers who all bought at the end of their window:
		// no heterogeneity and no sign of dropout, so no finite maximum.
		{"no finite maximum", slices.Repeat([]score.Summary{{Frequency: 3, Recency: 10, T: 10}}, 20), score.ErrNotConverged},
	}
	for _, tt := range tests {
		_, err := score.FitBGNBD(tt.in)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: FitBGNBD: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestBGNBDExpectedPurchasesIsIncreasing(t *testing.T) {
	// Over a grid of customers and horizons, the expectation is finite,
	// non-negative and increases with t, across the series / 1-z switch.
	models := []score.BGNBD{cdnowModel, {R: 2, Alpha: 0.5, A: 3, B: 1.5}, {R: 0.1, Alpha: 40, A: 0.2, B: 0.9}}
	for _, m := range models {
		for _, x := range []int{0, 1, 3, 20, 200} {
			for _, T := range []float64{0, 1, 39, 400} {
				s := score.Summary{Frequency: x, T: T}
				if x > 0 {
					s.Recency = T / 2
				}
				prev := 0.0
				for _, h := range []float64{0.01, 0.5, 5, 39, 100, 1000, 1e4, 1e6} {
					got := m.ExpectedPurchases(h, s)
					if math.IsNaN(got) || math.IsInf(got, 0) || got < prev-1e-9*math.Max(1, prev) {
						t.Errorf("%+v: ExpectedPurchases(%v, %+v) = %v after %v at a shorter horizon", m, h, s, got, prev)
					}
					prev = got
				}
			}
		}
	}
}
