package stats

import (
	"math"
	"testing"
)

// rosenbrock is the classic banana-shaped test function, minimum 0 at (1, 1).
func rosenbrock(x, g []float64) float64 {
	a, b := 1-x[0], x[1]-x[0]*x[0]
	if g != nil {
		g[0] = -2*a - 400*x[0]*b
		g[1] = 200 * b
	}
	return a*a + 100*b*b
}

func TestBFGSRosenbrock(t *testing.T) {
	res := BFGS(rosenbrock, []float64{-1.2, 1}, 1e-10, 1000)
	if !res.Converged || math.Abs(res.X[0]-1) > 1e-6 || math.Abs(res.X[1]-1) > 1e-6 {
		t.Errorf("BFGS = %+v, want converged at (1, 1)", res)
	}
}

func TestBFGSInfeasibleStart(t *testing.T) {
	f := func(x, g []float64) float64 { return math.NaN() }
	if res := BFGS(f, []float64{0}, 1e-8, 10); res.Converged {
		t.Errorf("BFGS on NaN function converged: %+v", res)
	}
}

func TestNelderMeadRosenbrock(t *testing.T) {
	f := func(x []float64) float64 { return rosenbrock(x, nil) }
	res := NelderMead(f, []float64{-1.2, 1}, 0.5, 1e-14, 10000)
	if !res.Converged || math.Abs(res.X[0]-1) > 1e-4 || math.Abs(res.X[1]-1) > 1e-4 {
		t.Errorf("NelderMead = %+v, want converged near (1, 1)", res)
	}
}
