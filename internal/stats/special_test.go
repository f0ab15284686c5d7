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

func TestHyp2F1(t *testing.T) {
	// Reference values computed with mpmath.hyp2f1 at 30 digits.
	tests := []struct {
		a, b, c, z, want float64
	}{
		{0.243, 2.426, 2.219, 0.5, 1.2070970070440423},
		{0.243, 2.426, 2.219, 0.92, 2.0927094475581191},
		{0.243, 2.426, 2.219, 0.999, 11.096504288680494},
		{2.243, 4.426, 4.219, 0.95, 1344.3402781759899},
		{1.676, -0.207, 4.219, 0.97, 0.89355380143350015},
		{1.5, 2.5, 4.0, 0.9, 5.4931375169820693},  // c-a-b = 0: integer case
		{1.5, 2.5, 5.0, 0.99, 4.8620395898510331}, // c-a-b = 1: integer case
		{3.0, 2.0, 1.5, -3.0, -0.0054157313857086081},
		{0.5, 0.5, 1.5, 0.8, 1.2378298970946587},
		{20.243, 22.426, 22.219, 0.3, 1463.1944332804608},
		{1.676, -0.207, 40.219, 0.9999, 0.99114026696514995},
	}
	for _, tt := range tests {
		got, err := Hyp2F1(tt.a, tt.b, tt.c, tt.z)
		if err != nil {
			t.Errorf("Hyp2F1(%v, %v, %v, %v): %v", tt.a, tt.b, tt.c, tt.z, err)
			continue
		}
		if math.Abs(got-tt.want) > 1e-8*math.Abs(tt.want) {
			t.Errorf("Hyp2F1(%v, %v, %v, %v) = %.17g, want %.17g (rel err %.2g)",
				tt.a, tt.b, tt.c, tt.z, got, tt.want, math.Abs(got-tt.want)/math.Abs(tt.want))
		}
	}
}

func TestHyp2F1ClosedForms(t *testing.T) {
	for _, z := range []float64{-5, -0.5, 0.1, 0.5, 0.74, 0.76, 0.9, 0.99, 0.999999} {
		// 2F1(1, 1; 2; z) = -ln(1-z)/z
		got, err := Hyp2F1(1, 1, 2, z)
		want := -math.Log1p(-z) / z
		if err != nil || math.Abs(got-want) > 1e-9*math.Abs(want) {
			t.Errorf("Hyp2F1(1,1,2,%v) = %v, %v; want %v", z, got, err, want)
		}
		// 2F1(a, b; b; z) = (1-z)^-a
		got, err = Hyp2F1(0.7, 2.3, 2.3, z)
		want = math.Pow(1-z, -0.7)
		if err != nil || math.Abs(got-want) > 1e-9*math.Abs(want) {
			t.Errorf("Hyp2F1(0.7,2.3,2.3,%v) = %v, %v; want %v", z, got, err, want)
		}
	}
}

func TestHyp2F1Domain(t *testing.T) {
	for _, tt := range []struct{ a, b, c, z float64 }{
		{1, 1, 2, 1},
		{1, 1, 2, 1.5},
		{1, 1, -2, 0.5},
		{math.NaN(), 1, 2, 0.5},
	} {
		if got, err := Hyp2F1(tt.a, tt.b, tt.c, tt.z); err == nil || !math.IsNaN(got) {
			t.Errorf("Hyp2F1(%v, %v, %v, %v) = %v, %v; want NaN and an error", tt.a, tt.b, tt.c, tt.z, got, err)
		}
	}
}

func TestHyp2F1NearIntegerCMinusAMinusB(t *testing.T) {
	// c-a-b close to (but not at) an integer: compare with mpmath values.
	tests := []struct {
		a, b, c, z, want float64
	}{
		{1.5, 2.5, 4.0005, 0.9, 5.4912127506803703},
		{1.5, 2.5, 3.9999, 0.95, 7.8249822568998777},
	}
	for _, tt := range tests {
		got, err := Hyp2F1(tt.a, tt.b, tt.c, tt.z)
		if err != nil || math.Abs(got-tt.want) > 1e-8*math.Abs(tt.want) {
			t.Errorf("Hyp2F1(%v, %v, %v, %v) = %.17g, %v; want %.17g", tt.a, tt.b, tt.c, tt.z, got, err, tt.want)
		}
	}
}
