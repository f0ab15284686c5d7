package stats

import (
	"errors"
	"math"
)

// Digamma returns ψ(x), the derivative of ln Γ(x), for x > 0. It returns NaN
// for x <= 0 or NaN.
func Digamma(x float64) float64 {
	if !(x > 0) || math.IsInf(x, 0) {
		if math.IsInf(x, 1) {
			return math.Inf(1)
		}
		return math.NaN()
	}
	var acc float64
	for x < 12 {
		acc -= 1 / x
		x++
	}
	// Asymptotic expansion: ln x - 1/(2x) - Σ B_2k/(2k x^2k).
	f := 1 / (x * x)
	series := f * (1.0/12 - f*(1.0/120-f*(1.0/252-f*(1.0/240-f*(1.0/132)))))
	return acc + math.Log(x) - 0.5/x - series
}

// ErrNoConvergence reports that a series or an iteration did not converge
// within its budget.
var ErrNoConvergence = errors.New("stats: no convergence")

// hypSeriesMaxTerms bounds the number of terms of the 2F1 power series.
const hypSeriesMaxTerms = 200000

// hypSeries sums the power series of 2F1(a, b; c; z) for |z| < 1.
func hypSeries(a, b, c, z float64) (float64, error) {
	sum, term := 1.0, 1.0
	for n := 0; n < hypSeriesMaxTerms; n++ {
		fn := float64(n)
		term *= (a + fn) * (b + fn) / ((c + fn) * (fn + 1)) * z
		sum += term
		if term == 0 {
			return sum, nil
		}
		next := math.Abs((a + fn + 1) * (b + fn + 1) / ((c + fn + 1) * (fn + 2)) * z)
		if math.Abs(term) <= 1e-17*math.Abs(sum) && next < 1 {
			return sum, nil
		}
		if math.IsNaN(sum) || math.IsInf(sum, 0) {
			return sum, ErrNoConvergence
		}
	}
	return sum, ErrNoConvergence
}

// nonPositiveInt reports whether x is 0, -1, -2, ...
func nonPositiveInt(x float64) bool { return x <= 0 && x == math.Floor(x) }

// Hyp2F1 returns the Gauss hypergeometric function 2F1(a, b; c; z) for real
// z < 1. It sums the power series for |z| <= 0.75, uses the Pfaff
// transformation for negative z, and the linear transformation to 1-z when z
// is close to 1 (with a symmetric perturbation of c when c-a-b is an
// integer). It returns an error wrapping ErrNoConvergence when the series
// does not converge, and NaN with an error for z >= 1 or c a non-positive
// integer.
func Hyp2F1(a, b, c, z float64) (float64, error) {
	switch {
	case math.IsNaN(a) || math.IsNaN(b) || math.IsNaN(c) || math.IsNaN(z):
		return math.NaN(), errors.New("stats: Hyp2F1: NaN argument")
	case z >= 1:
		return math.NaN(), errors.New("stats: Hyp2F1: z >= 1")
	case nonPositiveInt(c):
		return math.NaN(), errors.New("stats: Hyp2F1: c is a non-positive integer")
	case a == 0 || b == 0 || z == 0:
		return 1, nil
	case z < 0:
		// Pfaff: 2F1(a,b;c;z) = (1-z)^-a 2F1(a, c-b; c; z/(z-1)), and z/(z-1) in (0, 1).
		w := z / (z - 1)
		f, err := Hyp2F1(a, c-b, c, w)
		return math.Pow(1-z, -a) * f, err
	case z <= 0.75:
		return hypSeries(a, b, c, z)
	}
	return hypNearOne(a, b, c, z)
}

// hypNearOne evaluates 2F1 for 0.75 < z < 1 through the 1-z transformation
// (Abramowitz & Stegun 15.3.6).
func hypNearOne(a, b, c, z float64) (float64, error) {
	d := c - a - b
	if off := d - math.Round(d); math.Abs(off) < 1e-3 {
		// c-a-b at or near an integer: the two terms have poles that cancel.
		// Evaluate at c0+k·h for k = ±1, ±2, ±4, where c0 makes c-a-b an
		// exact integer, and interpolate (Lagrange, degree 5) at c.
		const h = 1e-3
		c0 := c - off
		ks := [...]float64{-4, -2, -1, 1, 2, 4}
		var fs [len(ks)]float64
		var errs []error
		for i, k := range ks {
			v, err := hypLinear(a, b, c0+k*h, z)
			fs[i] = v
			errs = append(errs, err)
		}
		u := off / h
		var sum float64
		for i, ki := range ks {
			w := 1.0
			for j, kj := range ks {
				if j != i {
					w *= (u - kj) / (ki - kj)
				}
			}
			sum += w * fs[i]
		}
		return sum, errors.Join(errs...)
	}
	return hypLinear(a, b, c, z)
}

// hypLinear applies the 1-z transformation for non-integer c-a-b.
func hypLinear(a, b, c, z float64) (float64, error) {
	d := c - a - b
	w := 1 - z
	// term1 = Γ(c)Γ(d)/(Γ(c-a)Γ(c-b)) 2F1(a, b; 1-d; w)
	// term2 = w^d Γ(c)Γ(-d)/(Γ(a)Γ(b)) 2F1(c-a, c-b; 1+d; w)
	var t1, t2 float64
	var err1, err2 error
	if !nonPositiveInt(c-a) && !nonPositiveInt(c-b) {
		f, err := hypSeries(a, b, 1-d, w)
		t1, err1 = gammaRatio([]float64{c, d}, []float64{c - a, c - b})*f, err
	}
	if !nonPositiveInt(a) && !nonPositiveInt(b) {
		f, err := hypSeries(c-a, c-b, 1+d, w)
		t2, err2 = math.Pow(w, d)*gammaRatio([]float64{c, -d}, []float64{a, b})*f, err
	}
	return t1 + t2, errors.Join(err1, err2)
}

// gammaRatio returns Π Γ(num) / Π Γ(den), computed in log space with signs.
func gammaRatio(num, den []float64) float64 {
	var l float64
	sign := 1
	for _, x := range num {
		lg, s := math.Lgamma(x)
		l += lg
		sign *= s
	}
	for _, x := range den {
		lg, s := math.Lgamma(x)
		l -= lg
		sign *= s
	}
	return float64(sign) * math.Exp(l)
}
