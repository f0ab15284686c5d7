package stats

import "math"

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
