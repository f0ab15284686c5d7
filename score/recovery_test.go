package score_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fabeed28/microseg/score"
)

// Parameter recovery: simulate from the generative processes with known
// parameters, fit, and recover each parameter within a stated relative
// tolerance.

func TestFitBGNBDRecovery(t *testing.T) {
	n := 50000
	if testing.Short() {
		n = 20000
	}
	// Relative tolerances, about three standard errors at n = 20,000.
	const tolRate, tolDropout = 0.10, 0.25
	truth := score.BGNBD{R: 0.5, Alpha: 5, A: 0.9, B: 3}
	rng := rand.New(rand.NewPCG(1, 2))
	sim := simulateBGNBD(rng, truth, n, 30, 78, 0, 0)
	s := make([]score.Summary, n)
	for i, c := range sim {
		s[i] = c.s
	}
	m, err := score.FitBGNBD(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("n=%d truth %+v fit %+v", n, truth, m)
	for _, c := range []struct {
		name            string
		got, want, rtol float64
	}{
		{"R", m.R, truth.R, tolRate}, {"Alpha", m.Alpha, truth.Alpha, tolRate},
		{"A", m.A, truth.A, tolDropout}, {"B", m.B, truth.B, tolDropout},
	} {
		if rel := math.Abs(c.got-c.want) / c.want; rel > c.rtol {
			t.Errorf("%s = %.4f, want %.4f within %.0f%% (off by %.1f%%)", c.name, c.got, c.want, 100*c.rtol, 100*rel)
		}
	}
}

func TestBGNBDPredictionsOnSimulatedHoldout(t *testing.T) {
	// With the true parameters, the summed conditional expectations match
	// the purchases simulated in a holdout, and summed P(alive) matches the
	// number of customers still active.
	const n, h = 20000, 39.0
	truth := score.BGNBD{R: 0.5, Alpha: 5, A: 0.9, B: 3}
	rng := rand.New(rand.NewPCG(3, 4))
	sim := simulateBGNBD(rng, truth, n, 30, 78, h, 0)
	var wantBuys, gotBuys, wantAlive, gotAlive float64
	for _, c := range sim {
		wantBuys += float64(c.holdout)
		gotBuys += truth.ExpectedPurchases(h, c.s)
		if c.alive {
			wantAlive++
		}
		gotAlive += truth.PAlive(c.s)
	}
	t.Logf("holdout purchases: expected %.0f, simulated %.0f; alive: expected %.0f, simulated %.0f", gotBuys, wantBuys, gotAlive, wantAlive)
	if rel := math.Abs(gotBuys-wantBuys) / wantBuys; rel > 0.05 {
		t.Errorf("sum of ExpectedPurchases = %.0f, simulated %.0f (off by %.1f%%, want within 5%%)", gotBuys, wantBuys, 100*rel)
	}
	if rel := math.Abs(gotAlive-wantAlive) / wantAlive; rel > 0.03 {
		t.Errorf("sum of PAlive = %.0f, simulated alive %.0f (off by %.1f%%, want within 3%%)", gotAlive, wantAlive, 100*rel)
	}
}

func TestFitGammaGammaRecovery(t *testing.T) {
	// P and V are strongly correlated (only P·V/(Q-1) is pinned down
	// tightly), so they get wider tolerances: about three standard errors
	// at n = 50,000, measured over eight seeds.
	const n = 50000
	truth := score.GammaGamma{P: 6, Q: 4, V: 15}
	rng := rand.New(rand.NewPCG(5, 6))
	s := simulateGammaGamma(rng, truth, n, 20)
	m, err := score.FitGammaGamma(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("n=%d truth %+v fit %+v", n, truth, m)
	for _, c := range []struct {
		name            string
		got, want, rtol float64
	}{
		{"P", m.P, truth.P, 0.15}, {"Q", m.Q, truth.Q, 0.05}, {"V", m.V, truth.V, 0.15},
	} {
		if rel := math.Abs(c.got-c.want) / c.want; rel > c.rtol {
			t.Errorf("%s = %.4f, want %.4f within %.0f%% (off by %.1f%%)", c.name, c.got, c.want, 100*c.rtol, 100*rel)
		}
	}
	// The population mean spend P·V/(Q-1) is recovered within 2%.
	if got, want := m.ExpectedSpend(score.Summary{}), truth.ExpectedSpend(score.Summary{}); math.Abs(got-want)/want > 0.02 {
		t.Errorf("population mean spend = %.3f, want %.3f within 2%%", got, want)
	}
}
