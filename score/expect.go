package score

import "math"

// expectedAlive returns E[(1 - (1 + p·c)^-k) / p] for p ~ Beta(a, b): the
// expected purchases in t units of a BG/NBD customer alive at T, with
// b = B + x, k = R + x and c = t/(Alpha + T), the λ of the customer
// integrated out. It integrates over y = logit(p) with the trapezoid rule,
// which converges fast for such smooth, decaying integrands; beyond
// |y| = 45 the integrand's factor g is constant to double precision, and the
// Beta mass there is taken in closed form.
func expectedAlive(a, b, k, c float64) float64 {
	g := func(p float64) float64 {
		if p == 0 {
			return k * c
		}
		return -math.Expm1(-k*math.Log1p(p*c)) / p
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	lnBeta := la + lb - lab
	// The spread of logit(p) is about sqrt(ψ'(a) + ψ'(b)) ≈ sqrt(1/a + 1/b).
	sd := math.Sqrt(1/a + 1/b + 1/(2*a*a) + 1/(2*b*b))
	mean := math.Log(a) - math.Log(b)
	const edge = 45.0
	lo, hi := math.Max(-edge, mean-40*sd), math.Min(edge, mean+40*sd)
	h := math.Min(0.05, sd/8)
	n := int(math.Ceil((hi - lo) / h))
	h = (hi - lo) / float64(n)
	var sum float64
	for i := 0; i <= n; i++ {
		y := lo + float64(i)*h
		lnP, lnQ := -math.Log1p(math.Exp(-y)), -math.Log1p(math.Exp(y))
		w := math.Exp(a*lnP + b*lnQ - lnBeta)
		if i == 0 || i == n {
			w /= 2
		}
		sum += w * g(math.Exp(lnP))
	}
	sum *= h
	// Tails: P(p < p0) ≈ p0^a/(a·B(a, b)) and P(1-p < q0) ≈ q0^b/(b·B(a, b))
	// for p0, q0 below 3e-20; there g is g(0) and g(1).
	if lo == -edge {
		lnP0 := -math.Log1p(math.Exp(edge))
		sum += math.Exp(a*lnP0-math.Log(a)-lnBeta) * g(0)
	}
	if hi == edge {
		lnQ0 := -math.Log1p(math.Exp(edge))
		sum += math.Exp(b*lnQ0-math.Log(b)-lnBeta) * g(1)
	}
	if math.IsNaN(sum) || math.IsInf(sum, 0) || sum < 0 {
		return 0
	}
	return math.Min(sum, k*c)
}
