package score_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/fabeed28/microseg/score"
)

// TestFitBGNBDReportCDNOW checks the report of a BG/NBD fit on the CDNOW
// sample against published figures: the log-likelihood of Fader, Hardie
// and Lee (2005), -9582.4, and the standard errors of the lifetimes
// library's summary of the same fit (docs/Quickstart.md: se(coef) r
// 0.012557, alpha 0.378221, a 0.185719, b 0.705345).
func TestFitBGNBDReportCDNOW(t *testing.T) {
	s := cdnowSummaries(t)
	m, rep, err := score.FitBGNBDReport(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", rep)
	plain, err := score.FitBGNBD(s)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(plain, m); diff != "" {
		t.Errorf("FitBGNBDReport's model differs from FitBGNBD's (-FitBGNBD +FitBGNBDReport):\n%s", diff)
	}
	ll, err := m.LogLikelihood(s)
	if err != nil {
		t.Fatal(err)
	}
	type summary struct {
		Model            string
		Params           []string
		Estimates        []float64
		LogLikelihood    float64
		Customers        int
		PositiveDefinite bool
		Converged        bool
	}
	got := summary{rep.Model, rep.Params, rep.Estimates, rep.LogLikelihood, rep.Customers, rep.PositiveDefinite, rep.Converged}
	want := summary{
		Model:            "BG/NBD",
		Params:           []string{"R", "Alpha", "A", "B"},
		Estimates:        []float64{0.243, 4.414, 0.793, 2.426},
		LogLikelihood:    -9582.4,
		Customers:        2357,
		PositiveDefinite: true,
		Converged:        true,
	}
	// The paper rounds the parameters to 3 decimals and the log-likelihood
	// to 1.
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0.002, 0.05)); diff != "" {
		t.Errorf("CDNOW BG/NBD report (-published +got):\n%s", diff)
	}
	// lifetimes prints 6 decimals: a relative error below 1e-4.
	if diff := cmp.Diff([]float64{0.012557, 0.378221, 0.185719, 0.705345}, rep.StdErrors, cmpopts.EquateApprox(1e-4, 0)); diff != "" {
		t.Errorf("CDNOW BG/NBD standard errors (-lifetimes +got):\n%s", diff)
	}
	if rep.LogLikelihood != ll {
		t.Errorf("report LogLikelihood %v, want LogLikelihood's %v", rep.LogLikelihood, ll)
	}
	if rep.Iterations <= 0 || rep.Evaluations < rep.Iterations || !(rep.GradNorm < 1e-6) {
		t.Errorf("iterations %d, evaluations %d, gradient norm %g: want iterations > 0, evaluations >= iterations, gradient norm < 1e-6",
			rep.Iterations, rep.Evaluations, rep.GradNorm)
	}
	checkCovariance(t, rep, func(p []float64) float64 {
		v, err := score.BGNBD{R: p[0], Alpha: p[1], A: p[2], B: p[3]}.LogLikelihood(s)
		if err != nil {
			return math.NaN()
		}
		return v
	})
}

// TestFitGammaGammaReportCDNOW checks the Gamma-Gamma report on the CDNOW
// repeat buyers: the published parameters (p = 6.25, q = 3.74, v = 15.44),
// and standard errors against the Hessian of the log-likelihood by plain
// second differences of its values.
func TestFitGammaGammaReportCDNOW(t *testing.T) {
	s := cdnowSpend(t)
	m, rep, err := score.FitGammaGammaReport(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", rep)
	if diff := cmp.Diff([]float64{6.25, 3.74, 15.44}, rep.Estimates, cmpopts.EquateApprox(0.005, 0)); diff != "" {
		t.Errorf("estimates (-published +got):\n%s", diff)
	}
	if got := []float64{m.P, m.Q, m.V}; !cmp.Equal(got, rep.Estimates) {
		t.Errorf("model %v, report estimates %v, want equal", got, rep.Estimates)
	}
	if rep.Customers != 946 || !rep.Converged || !rep.PositiveDefinite {
		t.Errorf("customers %d, converged %v, positive definite %v; want 946, true, true", rep.Customers, rep.Converged, rep.PositiveDefinite)
	}
	ll, _ := m.LogLikelihood(s)
	if rep.LogLikelihood != ll {
		t.Errorf("report LogLikelihood %v, want LogLikelihood's %v", rep.LogLikelihood, ll)
	}
	checkCovariance(t, rep, func(p []float64) float64 {
		v, err := score.GammaGamma{P: p[0], Q: p[1], V: p[2]}.LogLikelihood(s)
		if err != nil {
			return math.NaN()
		}
		return v
	})
}

// checkCovariance compares the report's standard errors with those from a
// naive Hessian: second differences of the log-likelihood's values in the
// parameters themselves, inverted by Gauss–Jordan elimination.
func checkCovariance(t *testing.T, rep score.FitReport, ll func([]float64) float64) {
	t.Helper()
	p := rep.Estimates
	k := len(p)
	h := make([][]float64, k)
	at := func(i, j int, di, dj float64) float64 {
		q := append([]float64(nil), p...)
		q[i] += di
		q[j] += dj
		return ll(q)
	}
	for i := range h {
		h[i] = make([]float64, k)
		for j := range h[i] {
			ei, ej := 1e-4*p[i], 1e-4*p[j]
			h[i][j] = -(at(i, j, ei, ej) - at(i, j, ei, -ej) - at(i, j, -ei, ej) + at(i, j, -ei, -ej)) / (4 * ei * ej)
		}
	}
	inv := gaussJordan(h)
	for i := range p {
		se := math.Sqrt(inv[i][i])
		if math.Abs(se-rep.StdErrors[i]) > 1e-3*se {
			t.Errorf("%s: standard error %.6g, naive Hessian gives %.6g", rep.Params[i], rep.StdErrors[i], se)
		}
		for j := range p {
			if d := math.Abs(inv[i][j] - rep.Covariance[i][j]); d > 2e-3*math.Sqrt(inv[i][i]*inv[j][j]) {
				t.Errorf("covariance [%d][%d] = %.6g, naive Hessian gives %.6g", i, j, rep.Covariance[i][j], inv[i][j])
			}
		}
	}
}

func gaussJordan(a [][]float64) [][]float64 {
	k := len(a)
	m := make([][]float64, k)
	for i := range m {
		m[i] = make([]float64, 2*k)
		copy(m[i], a[i])
		m[i][k+i] = 1
	}
	for c := 0; c < k; c++ {
		piv := c
		for r := c + 1; r < k; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[piv][c]) {
				piv = r
			}
		}
		m[c], m[piv] = m[piv], m[c]
		d := m[c][c]
		for j := range m[c] {
			m[c][j] /= d
		}
		for r := 0; r < k; r++ {
			if r != c {
				f := m[r][c]
				for j := range m[r] {
					m[r][j] -= f * m[c][j]
				}
			}
		}
	}
	out := make([][]float64, k)
	for i := range out {
		out[i] = m[i][k:]
	}
	return out
}

// TestFitReportFailures checks the reports of fits that fail: before the
// optimizer runs (the zero report), and on a degenerate fit (a report of
// where the optimizer stopped, not converged, without standard errors).
func TestFitReportFailures(t *testing.T) {
	few := []score.Summary{{Key: "a", Frequency: 1, Recency: 1, T: 2, Monetary: 5}}
	_, rep, err := score.FitBGNBDReport(few)
	if !errors.Is(err, score.ErrTooFewCustomers) {
		t.Errorf("FitBGNBDReport on 1 customer: err = %v, want ErrTooFewCustomers", err)
	}
	if diff := cmp.Diff(score.FitReport{}, rep); diff != "" {
		t.Errorf("report of a fit that did not run (-want +got):\n%s", diff)
	}
	_, rep, err = score.FitGammaGammaReport(few, score.Penalizer(-1))
	if !errors.Is(err, score.ErrInvalidArgument) {
		t.Errorf("FitGammaGammaReport with Penalizer(-1): err = %v, want ErrInvalidArgument", err)
	}
	if diff := cmp.Diff(score.FitReport{}, rep); diff != "" {
		t.Errorf("report of a fit that did not run (-want +got):\n%s", diff)
	}
	// Every customer spends the same each time: P runs off to +Inf.
	r := rand.New(rand.NewPCG(3, 3))
	var same []score.Summary
	for i := 0; i < 200; i++ {
		same = append(same, score.Summary{Frequency: 1 + r.IntN(5), Recency: 1, T: 2, Monetary: 10 + 50*r.Float64()})
	}
	_, rep, err = score.FitGammaGammaReport(same)
	var de *score.DegenerateFitError
	if !errors.As(err, &de) {
		t.Fatalf("FitGammaGammaReport on constant spends: err = %v, want a *DegenerateFitError", err)
	}
	if rep.Converged || rep.StdErrors != nil || rep.Covariance != nil || len(rep.Estimates) != 3 || rep.Evaluations == 0 {
		t.Errorf("degenerate fit report %+v: want not converged, no standard errors, 3 estimates, evaluations > 0", rep)
	}
	// With a penalty the same data fit, and the report has standard errors.
	_, rep, err = score.FitGammaGammaReport(same, score.Penalizer(0.01))
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Converged || !rep.PositiveDefinite || len(rep.StdErrors) != 3 {
		t.Errorf("penalized fit report %+v: want converged with 3 standard errors", rep)
	}
}

// TestInvertSPD checks the inversion behind the standard errors on
// matrices whose inverses are known, and that it refuses matrices that are
// not positive definite.
func TestInvertSPD(t *testing.T) {
	tests := []struct {
		name string
		a    [][]float64
		want [][]float64 // nil: not positive definite
	}{
		{"identity", [][]float64{{1, 0}, {0, 1}}, [][]float64{{1, 0}, {0, 1}}},
		{"2x2", [][]float64{{4, 2}, {2, 3}}, [][]float64{{0.375, -0.25}, {-0.25, 0.5}}},
		{"3x3", [][]float64{{2, -1, 0}, {-1, 2, -1}, {0, -1, 2}}, [][]float64{{0.75, 0.5, 0.25}, {0.5, 1, 0.5}, {0.25, 0.5, 0.75}}},
		{"indefinite", [][]float64{{1, 2}, {2, 1}}, nil},
		{"singular", [][]float64{{1, 1}, {1, 1}}, nil},
		{"negative", [][]float64{{-1}}, nil},
		{"NaN", [][]float64{{math.NaN()}}, nil},
	}
	for _, tt := range tests {
		got, ok := score.InvertSPD(tt.a)
		if ok != (tt.want != nil) {
			t.Errorf("%s: ok = %v, want %v", tt.name, ok, tt.want != nil)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-12)); ok && diff != "" {
			t.Errorf("%s: inverse (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestFitReportPenalized checks that a penalized fit's report gives the
// log-likelihood without the penalty, and standard errors from the
// Hessian of the penalized objective.
func TestFitReportPenalized(t *testing.T) {
	s := cdnowSummaries(t)
	_, plain, err := score.FitBGNBDReport(s)
	if err != nil {
		t.Fatal(err)
	}
	m, rep, err := score.FitBGNBDReport(s, score.Penalizer(0.05))
	if err != nil {
		t.Fatal(err)
	}
	ll, err := m.LogLikelihood(s)
	if err != nil {
		t.Fatal(err)
	}
	if rep.LogLikelihood != ll || !(ll < plain.LogLikelihood) {
		t.Errorf("penalized report log-likelihood %v, want the model's %v, below the unpenalized maximum %v", rep.LogLikelihood, ll, plain.LogLikelihood)
	}
	if !rep.Converged || !rep.PositiveDefinite {
		t.Fatalf("penalized report %+v: want converged with a positive definite Hessian", rep)
	}
	for i, name := range rep.Params {
		t.Logf("%s: %.4f ± %.4f (unpenalized %.4f ± %.4f)", name, rep.Estimates[i], rep.StdErrors[i], plain.Estimates[i], plain.StdErrors[i])
	}
}
