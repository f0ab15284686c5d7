package score_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fabeed28/microseg/score"
)

func TestBGNBDExpectedPurchasesLargeB(t *testing.T) {
	// Reported defect: the closed form returned 25.06 with no sign of
	// trouble (its 2F1 cancelled two terms of about 1e17). mpmath, eq. 10
	// at 30 digits.
	m := score.BGNBD{R: 2, Alpha: 4.4, A: 3, B: 100}
	s := score.Summary{Frequency: 5, Recency: 0.5, T: 1}
	const want = 30.4694325052417873741484954226
	if got := m.ExpectedPurchases(52, s); math.Abs(got-want) > 1e-9*want {
		t.Errorf("%+v: ExpectedPurchases(52, %+v) = %.15g, want %.15g", m, s, got, want)
	}
	if got, rel := m.ExpectedClosed(52, s); math.Abs(got-want) > 1e-9*want || rel > 1e-10 {
		t.Errorf("%+v: closed form for t=52, %+v = %.15g with relative error bound %.2g, want %.15g", m, s, got, rel, want)
	}
}

func TestBGNBDExpectedPurchasesReference(t *testing.T) {
	// expectRef (expect_ref_test.go) holds mpmath values of eq. 10.
	for _, tt := range expectRef {
		m := score.BGNBD{R: tt.r, Alpha: tt.alpha, A: tt.a, B: tt.b}
		s := score.Summary{Frequency: tt.x, Recency: tt.tx, T: tt.T}
		if got := m.ExpectedPurchases(tt.t, s); math.Abs(got-tt.want) > 1e-9*tt.want {
			t.Errorf("%+v: ExpectedPurchases(%v, %+v) = %.15g, want %.15g (rel err %.2g)",
				m, tt.t, s, got, tt.want, math.Abs(got-tt.want)/tt.want)
		}
	}
}

func TestBGNBDExpectedClosedMatchesQuadrature(t *testing.T) {
	// Differential test: wherever the closed form vouches for its result,
	// it agrees with the quadrature; it must vouch for nearly all models.
	rng := rand.New(rand.NewPCG(7, 11))
	logU := func(lo, hi float64) float64 { return math.Pow(10, lo+(hi-lo)*rng.Float64()) }
	const n = 400
	declined := 0
	for range n {
		m := score.BGNBD{R: logU(-1.5, 1.5), Alpha: logU(-1, 2), A: logU(-1, 1.5), B: logU(-0.5, 3.5)}
		T := 200 * rng.Float64()
		s := score.Summary{Frequency: rng.IntN(4) * rng.IntN(80), T: T}
		if s.Frequency > 0 {
			s.Recency = T * rng.Float64()
		}
		h := logU(-2, 3.5)
		x := float64(s.Frequency)
		want := m.PAlive(s) * score.ExpectedAlive(m.A, m.B+x, m.R+x, h/(m.Alpha+s.T))
		got, rel := m.ExpectedClosed(h, s)
		if rel > 1e-10 {
			declined++
			t.Logf("%+v, t=%v, %+v: closed form declined (bound %.2g)", m, h, s, rel)
			continue
		}
		if math.Abs(got-want) > 1e-6*want {
			t.Errorf("%+v: ExpectedPurchases(%v, %+v): closed form %.15g, quadrature %.15g (rel diff %.2g)",
				m, h, s, got, want, math.Abs(got-want)/want)
		}
	}
	if declined > n/50 {
		t.Errorf("closed form declined %d of %d models, want at most 2%%", declined, n)
	}
}
