package stats

import (
	"errors"
	"fmt"
	"math"
)

// ErrNoConvergence reports that a series or an iteration did not converge
// within its budget.
var ErrNoConvergence = errors.New("stats: no convergence")

// ErrLostPrecision reports that a result could not be computed to the
// accuracy its function promises: every method tried lost too many digits
// to cancellation or ran out of its budget.
var ErrLostPrecision = errors.New("stats: lost precision")

const (
	// unit is the unit roundoff of float64.
	unit = 0x1p-53
	// hypGood is the relative error bound at which Hyp2F1 stops trying
	// further methods.
	hypGood = 1e-11
	// HypTolerance is the relative error bound above which Hyp2F1 reports
	// ErrLostPrecision.
	HypTolerance = 1e-10
	// hypCheapTerms bounds a power series tried before the other methods
	// for z > 1/2; hypMaxTerms bounds the last-resort series.
	hypCheapTerms = 1500
	hypMaxTerms   = 200000
	// hypStepTerms bounds the Taylor terms of an analytic continuation.
	hypStepTerms = 40000
	// hypZ0 is where the analytic continuation starts.
	hypZ0 = 0.5
)

// Hyp2F1 returns the Gauss hypergeometric function 2F1(a, b; c; z) for real
// z < 1 with a relative error below HypTolerance, or an error: one wrapping
// ErrLostPrecision when no method reaches that accuracy (the best value
// found is still returned), or NaN and an error for a NaN or infinite
// argument, z >= 1 or c a non-positive integer.
func Hyp2F1(a, b, c, z float64) (float64, error) {
	f, _, err := Hyp2F1Err(a, b, c, z)
	return f, err
}

// Hyp2F1Err is Hyp2F1 with a bound on the absolute error of the result,
// for callers that combine 2F1 with other terms and must know how many
// digits survive.
//
// Methods: the power series where it converges fast, its Euler
// transformation, the linear transformation to 1-z (for c-a-b not an
// integer), and analytic continuation of the hypergeometric differential
// equation by Taylor steps from z = 1/2; negative z goes through Pfaff's
// transformation to z/(z-1). Each method carries a running bound on its
// rounding error and cancellation, and the first whose bound is small
// enough is returned (the best one when none is).
func Hyp2F1Err(a, b, c, z float64) (f, errBound float64, err error) {
	switch {
	case math.IsNaN(a) || math.IsNaN(b) || math.IsNaN(c) || math.IsNaN(z):
		return math.NaN(), math.Inf(1), errors.New("stats: Hyp2F1: NaN argument")
	case math.IsInf(a, 0) || math.IsInf(b, 0) || math.IsInf(c, 0) || math.IsInf(z, 0):
		return math.NaN(), math.Inf(1), errors.New("stats: Hyp2F1: infinite argument")
	case z >= 1:
		return math.NaN(), math.Inf(1), errors.New("stats: Hyp2F1: z >= 1")
	case nonPositiveInt(c):
		return math.NaN(), math.Inf(1), errors.New("stats: Hyp2F1: c is a non-positive integer")
	case a == 0 || b == 0 || z == 0:
		return 1, 0, nil
	}
	var best hypVal
	best.e = math.Inf(1)
	if z < 0 {
		// Pfaff: 2F1(a,b;c;z) = (1-z)^-a 2F1(a, c-b; c; z/(z-1)), or the
		// same with a and b exchanged; z/(z-1) is in (0, 1).
		w := z / (z - 1)
		for _, p := range [2][2]float64{{a, b}, {b, a}} {
			v := hypPositive(p[0], c-p[1], c, w)
			// c-b and w are rounded: about 4 units relative each, times
			// the size of the parameters.
			v.e += math.Abs(v.f) * 8 * unit * (math.Abs(c) + math.Abs(p[1]) + 1)
			v = v.scale(-p[0], math.Log1p(-z))
			if best = best.better(v); best.good() {
				break
			}
		}
	} else {
		best = hypPositive(a, b, c, z)
	}
	if !(best.rel() <= HypTolerance) {
		return best.f, best.e, fmt.Errorf("stats: Hyp2F1(%v, %v; %v; %v) = %v with relative error bound %.2g: %w",
			a, b, c, z, best.f, best.rel(), ErrLostPrecision)
	}
	return best.f, best.e, nil
}

// nonPositiveInt reports whether x is 0, -1, -2, ...
func nonPositiveInt(x float64) bool { return x <= 0 && x == math.Floor(x) }

// hypVal is a value with a bound on its absolute error, and a derivative
// with its bound (zero when not computed). An unusable value has e = +Inf.
type hypVal struct {
	f, e   float64
	df, de float64
}

func badHyp() hypVal { return hypVal{f: math.NaN(), e: math.Inf(1), df: math.NaN(), de: math.Inf(1)} }

// rel returns the relative error bound, +Inf for an unusable value.
func (v hypVal) rel() float64 {
	if math.IsNaN(v.f) || math.IsInf(v.f, 0) || math.IsNaN(v.e) {
		return math.Inf(1)
	}
	if v.e == 0 {
		return 0
	}
	return v.e / math.Abs(v.f)
}

func (v hypVal) good() bool { return v.rel() <= hypGood }

// better returns the value with the smaller relative error bound.
func (v hypVal) better(w hypVal) hypVal {
	if w.rel() < v.rel() {
		return w
	}
	return v
}

// scale multiplies the value by exp(p·lnx), adding the error of the factor.
func (v hypVal) scale(p, lnx float64) hypVal {
	l := p * lnx
	s := math.Exp(l)
	return hypVal{f: v.f * s, e: v.e*s + math.Abs(v.f*s)*unit*(2*math.Abs(l)+2)}
}

// hypPositive evaluates 2F1 for 0 < z < 1.
func hypPositive(a, b, c, z float64) hypVal {
	d := c - a - b
	euler := func(budget int) hypVal {
		// Euler: 2F1(a,b;c;z) = (1-z)^(c-a-b) 2F1(c-a, c-b; c; z).
		v := hypSeries(c-a, c-b, c, z, budget)
		v.e += math.Abs(v.f) * 8 * unit * (math.Abs(a) + math.Abs(b) + math.Abs(c))
		return v.scale(d, math.Log1p(-z))
	}
	if z <= hypZ0 {
		best := hypSeries(a, b, c, z, hypMaxTerms)
		if !best.good() {
			best = best.better(euler(hypMaxTerms))
		}
		return best
	}
	// The terms of the series fall off as n^(a+b-c-1) z^n, those of its
	// Euler transformation as n^(c-a-b-1) z^n: try the faster one first,
	// or the 1-z transformation first when z > 0.9 (it is cheap there, and
	// its error bound shows when its terms cancel).
	first, second := func(n int) hypVal { return hypSeries(a, b, c, z, n) }, euler
	if d < 0 {
		first, second = second, first
	}
	methods := []func() hypVal{
		func() hypVal { return first(hypCheapTerms) },
		func() hypVal { return hypOneMinusZ(a, b, c, z) },
		func() hypVal { return hypContinue(a, b, c, z) },
		func() hypVal { return second(hypCheapTerms) },
		func() hypVal { return first(hypMaxTerms) },
	}
	if z > 0.9 {
		methods[0], methods[1] = methods[1], methods[0]
	}
	best := badHyp()
	for _, m := range methods {
		if best = best.better(m()); best.good() {
			break
		}
	}
	return best
}

// hypSeries sums the power series of 2F1(a, b; c; z) and of its derivative
// for |z| < 1, with at most maxTerms terms.
func hypSeries(a, b, c, z float64, maxTerms int) hypVal {
	sum, e, dsum, de, ok := hypSeriesM1(a, b, c, z, maxTerms)
	if !ok {
		return badHyp()
	}
	return hypVal{f: 1 + sum, e: e + 2*unit, df: dsum, de: de}
}

// hypSeriesM1 sums the power series of 2F1(a, b; c; z) - 1 (the terms
// after the first) and of the derivative of 2F1 for |z| < 1, with at most
// maxTerms terms, and returns bounds on their errors and whether the series
// converged. The bounds count a relative rounding error of about 6n units
// in the n-th term (a product of 4n factors) and the truncated tail.
func hypSeriesM1(a, b, c, z float64, maxTerms int) (sum, e, dsum, de float64, ok bool) {
	// Past n0 no factor a+n, b+n, c+n changes sign.
	n0 := math.Max(0, math.Ceil(-math.Min(a, math.Min(b, c))))
	az := math.Abs(z)
	var abs0, abs1, abs2, tail float64
	term := 1.0
	n := 0
	for ; n < maxTerms; n++ {
		fn := float64(n)
		m := fn + 1
		term *= (a + fn) * (b + fn) / ((c + fn) * m) * z
		at := math.Abs(term)
		sum += term
		dsum += m * term
		abs0 += at
		abs1 += m * at
		abs2 += m * m * at
		if term == 0 {
			break
		}
		if m > n0 && at <= 1e-15*abs0 {
			// Every later ratio of terms is below
			// |z|·max(1, (a+m)/(c+m))·max(1, (b+m)/(m+1)), so the tails
			// of both series are bounded geometrically.
			r := az * max(1, (a+m)/(c+m)) * max(1, (b+m)/(m+1))
			if r < 1 {
				tail = at * r / (1 - r) * (m + 1/(1-r))
				if tail <= unit*abs0 && tail <= unit*abs1 {
					break
				}
			}
		}
	}
	if n == maxTerms || math.IsInf(abs2, 0) || math.IsNaN(abs2) {
		return 0, 0, 0, 0, false
	}
	return sum, unit*(2*abs0+6*abs1) + tail, dsum / z, (unit*(2*abs1+6*abs2) + tail) / az, true
}

// Hyp2F1Minus1 returns 2F1(a, b; c; z) - 1 with a bound on its absolute
// error, without the cancellation of subtracting 1 from Hyp2F1 for small
// z. Its errors are those of Hyp2F1Err.
func Hyp2F1Minus1(a, b, c, z float64) (f, errBound float64, err error) {
	if 0 < z && z <= hypZ0 && !math.IsNaN(a+b+c) && !math.IsInf(a+b+c, 0) && !nonPositiveInt(c) {
		if sum, e, _, _, ok := hypSeriesM1(a, b, c, z, hypMaxTerms); ok && e <= HypTolerance*math.Abs(sum) {
			return sum, e, nil
		}
	}
	f, errBound, err = Hyp2F1Err(a, b, c, z)
	return f - 1, errBound + unit*math.Abs(f-1), err
}

// hypOneMinusZ applies the linear transformation to 1-z (Abramowitz and
// Stegun 15.3.6), for c-a-b not an integer:
//
//	Γ(c)Γ(d)/(Γ(c-a)Γ(c-b)) 2F1(a, b; 1-d; 1-z)
//	+ (1-z)^d Γ(c)Γ(-d)/(Γ(a)Γ(b)) 2F1(c-a, c-b; 1+d; 1-z)
//
// with d = c-a-b. Near an integer d both terms grow and cancel; the error
// bound shows it.
func hypOneMinusZ(a, b, c, z float64) hypVal {
	d := c - a - b
	if d == math.Round(d) {
		return badHyp()
	}
	w := 1 - z
	term := func(g1, g2, h1, h2, p, q, r float64, lnPow float64) (float64, float64) {
		if nonPositiveInt(h1) || nonPositiveInt(h2) {
			return 0, 0 // 1/Γ vanishes
		}
		g, ge := gammaRatio(g1, g2, h1, h2)
		s := hypSeries(p, q, r, w, hypCheapTerms).scale(1, lnPow)
		v := g * s.f
		return v, math.Abs(g)*s.e + math.Abs(v)*ge
	}
	t1, e1 := term(c, d, c-a, c-b, a, b, 1-d, 0)
	t2, e2 := term(c, -d, a, b, c-a, c-b, 1+d, d*math.Log(w))
	f := t1 + t2
	return hypVal{f: f, e: e1 + e2 + unit*(math.Abs(t1)+math.Abs(t2))}
}

// gammaRatio returns Γ(p)Γ(q) / (Γ(r)Γ(s)), computed in log space with
// signs, and a bound on its relative error.
func gammaRatio(p, q, r, s float64) (float64, float64) {
	var l, mag float64
	sign := 1
	for i, x := range [4]float64{p, q, r, s} {
		lg, sg := math.Lgamma(x)
		if i < 2 {
			l += lg
		} else {
			l -= lg
		}
		mag += math.Abs(lg)
		sign *= sg
	}
	// Lgamma is accurate to a few units relative; exp turns the absolute
	// error of l into a relative one.
	return float64(sign) * math.Exp(l), unit * (4*mag + 2)
}

// hypContinue evaluates 2F1 for hypZ0 < z < 1 by analytic continuation:
// from the value and derivative at hypZ0 (power series), it takes Taylor
// steps of the hypergeometric equation
//
//	x(1-x) w'' + (c - (a+b+1)x) w' - ab w = 0
//
// towards z. Each step evaluates the two solutions U (U=1, U'=0) and V
// (V=0, V'=1) at the step's start, so the errors of the value and the
// derivative carried in are propagated exactly, and the rounding of the
// Taylor sums is bounded by their sums of absolute terms. Steps are short
// enough that the solutions change by a bounded factor over each, which
// keeps that rounding small.
func hypContinue(a, b, c, z float64) hypVal {
	v := hypSeries(a, b, c, hypZ0, hypMaxTerms)
	if math.IsInf(v.e, 0) {
		return v
	}
	x := hypZ0
	budget := hypStepTerms
	for x < z {
		// Local rates of the solutions: x^(1-c) near 0, (1-x)^(c-a-b)
		// near 1, and sqrt(ab/(x(1-x))) from the ab w term.
		rate := math.Abs(1-c)/x + math.Abs(c-a-b)/(1-x) + math.Sqrt(math.Abs(a*b)/(x*(1-x)))
		h := math.Min(0.5*(1-x), z-x)
		if rate*h > 1 {
			h = 1 / rate
		}
		if z-x-h < 1e-3*h {
			h = z - x
		}
		var u, vv [4]float64 // value, derivative, sum |terms| of each
		var n int
		u, n = hypTaylor(a, b, c, x, h, 1, 0)
		budget -= n
		vv, n = hypTaylor(a, b, c, x, h, 0, 1)
		budget -= n
		if budget < 0 {
			return badHyp()
		}
		rnd := 4 * unit * float64(n)
		nv := hypVal{
			f:  v.f*u[0] + v.df*vv[0],
			df: v.f*u[1] + v.df*vv[1],
		}
		nv.e = v.e*math.Abs(u[0]) + v.de*math.Abs(vv[0]) + rnd*(math.Abs(v.f)*u[2]+math.Abs(v.df)*vv[2])
		nv.de = v.e*math.Abs(u[1]) + v.de*math.Abs(vv[1]) + rnd*(math.Abs(v.f)*u[3]+math.Abs(v.df)*vv[3])
		if math.IsNaN(nv.f) || math.IsInf(nv.e, 0) || math.IsNaN(nv.e) {
			return badHyp()
		}
		v = nv
		if h == z-x {
			x = z
		} else {
			x += h
		}
	}
	return v
}

// hypTaylor sums the Taylor series at x of the solution of the
// hypergeometric equation with value w0 and derivative w1 at x, at x+h,
// for 0 < h <= (1-x)/2. It returns the value and derivative at x+h and the
// sums of the absolute values of their terms, and the number of terms.
func hypTaylor(a, b, c, x, h, w0, w1 float64) ([4]float64, int) {
	// With s = h/(1-x) and coefficients scaled by (1-x)^n:
	//	d[n+2] = ((n+a)(n+b)(1-x) d[n] - (n+1)(q + p n) d[n+1]) / (x (n+1)(n+2))
	// with q = c - (a+b+1)x and p = 1-2x.
	y := 1 - x
	s := h / y
	q, p := c-(a+b+1)*x, 1-2*x
	d0, d1 := w0, w1*y
	// Terms of the value (d[n] s^n) and of the derivative (n d[n] s^(n-1)/y).
	t0, t1 := d0, d1*s
	val, der := t0+t1, d1/y
	aval, ader := math.Abs(t0)+math.Abs(t1), math.Abs(d1/y)
	sn := s // s^(n+1)
	small := 0
	for n := 0; n < hypStepTerms; n++ {
		fn := float64(n)
		d2 := ((fn+a)*(fn+b)*y*d0 - (fn+1)*(q+p*fn)*d1) / (x * (fn + 1) * (fn + 2))
		sn *= s
		tv := d2 * sn
		td := (fn + 2) * d2 * sn / s / y
		val += tv
		der += td
		aval += math.Abs(tv)
		ader += math.Abs(td)
		d0, d1 = d1, d2
		if math.IsInf(aval, 0) || math.IsNaN(aval) {
			return [4]float64{math.NaN(), math.NaN(), math.Inf(1), math.Inf(1)}, n
		}
		// Steps are short enough that the terms decay: stop after a run
		// of negligible ones.
		if math.Abs(tv) <= 0.1*unit*aval && math.Abs(td) <= 0.1*unit*ader && n >= 8 {
			if small++; small == 4 {
				return [4]float64{val, der, aval, ader}, n
			}
		} else {
			small = 0
		}
	}
	return [4]float64{math.NaN(), math.NaN(), math.Inf(1), math.Inf(1)}, hypStepTerms
}
