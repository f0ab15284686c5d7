package stats

import (
	"math"
	"testing"
)

func TestDigamma(t *testing.T) {
	const euler = 0.57721566490153286
	tests := []struct {
		x, want float64
	}{
		{1, -euler},
		{0.5, -euler - 2*math.Ln2},
		{2, 1 - euler},
		{10, 2.2517525890667211},
		{0.1, -10.423754940411076},
	}
	for _, tt := range tests {
		if got := Digamma(tt.x); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("Digamma(%v) = %v, want %v", tt.x, got, tt.want)
		}
	}
	if got := Digamma(-1); !math.IsNaN(got) {
		t.Errorf("Digamma(-1) = %v, want NaN", got)
	}
}

func TestDigammaMatchesLgammaDerivative(t *testing.T) {
	for _, x := range []float64{0.05, 0.3, 1.7, 4.2, 33, 250} {
		h := 1e-5 * math.Max(1, x)
		lp, _ := math.Lgamma(x + h)
		lm, _ := math.Lgamma(x - h)
		num := (lp - lm) / (2 * h)
		if got := Digamma(x); math.Abs(got-num) > 1e-6*math.Max(1, math.Abs(num)) {
			t.Errorf("Digamma(%v) = %v, numeric derivative of Lgamma %v", x, got, num)
		}
	}
}
