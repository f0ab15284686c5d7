package score

import (
	"fmt"
	"math"
	"slices"

	"github.com/fabeed28/microseg/internal/stats"
)

// BGNBD is a fitted beta-geometric/negative-binomial model of purchase
// counts (Fader, Hardie and Lee 2005, "Counting Your Customers the Easy
// Way"). While active, a customer buys at Poisson rate λ ~ Gamma(R, Alpha);
// after each purchase the customer drops out with probability p ~ Beta(A, B).
// Times are in the unit of the summaries the model was fitted on.
type BGNBD struct {
	R, Alpha, A, B float64
}

// bgGroup is a set of customers with identical (x, t_x, T).
type bgGroup struct {
	x     int
	tx, T float64
	n     float64
}

// bgData holds summaries grouped for fast likelihood evaluation: groups are
// ordered by x, and xs lists the distinct x with their customer counts.
type bgData struct {
	groups []bgGroup
	xs     []int
	xn     []float64
	total  float64
}

func groupBG(s []Summary) (bgData, error) {
	type triple struct {
		x     int
		tx, T float64
	}
	counts := make(map[triple]int, len(s)/4+1)
	for _, c := range s {
		if err := c.check(); err != nil {
			return bgData{}, err
		}
		counts[triple{c.Frequency, c.Recency, c.T}]++
	}
	d := bgData{groups: make([]bgGroup, 0, len(counts)), total: float64(len(s))}
	for k, n := range counts {
		d.groups = append(d.groups, bgGroup{x: k.x, tx: k.tx, T: k.T, n: float64(n)})
	}
	slices.SortFunc(d.groups, func(a, b bgGroup) int {
		if a.x != b.x {
			return a.x - b.x
		}
		if c := cmpFloat(a.T, b.T); c != 0 {
			return c
		}
		return cmpFloat(a.tx, b.tx)
	})
	for _, g := range d.groups {
		if len(d.xs) == 0 || d.xs[len(d.xs)-1] != g.x {
			d.xs = append(d.xs, g.x)
			d.xn = append(d.xn, 0)
		}
		d.xn[len(d.xn)-1] += g.n
	}
	return d, nil
}

// coarseGroups is the number of groups above which the multi-start search
// runs on a subsample before the final polish on all the data.
const coarseGroups = 20000

// subsample returns every k-th group, enough to hold about n groups, or
// false when the data has no more than n groups.
func (d *bgData) subsample(n int) (bgData, bool) {
	if len(d.groups) <= n {
		return bgData{}, false
	}
	k := (len(d.groups) + n - 1) / n
	var sub bgData
	for i := 0; i < len(d.groups); i += k {
		g := d.groups[i]
		sub.groups = append(sub.groups, g)
		sub.total += g.n
		if len(sub.xs) == 0 || sub.xs[len(sub.xs)-1] != g.x {
			sub.xs = append(sub.xs, g.x)
			sub.xn = append(sub.xn, 0)
		}
		sub.xn[len(sub.xn)-1] += g.n
	}
	return sub, true
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// logLik returns the log-likelihood of the grouped data and, when grad is
// not nil, its gradient with respect to (ln R, ln Alpha, ln A, ln B).
func (m BGNBD) logLik(d *bgData, grad []float64) float64 {
	r, al, a, b := m.R, m.Alpha, m.A, m.B
	lgr, _ := math.Lgamma(r)
	lga, _ := math.Lgamma(a + b)
	lgb, _ := math.Lgamma(b)
	psiR, psiAB, psiB := stats.Digamma(r), stats.Digamma(a+b), stats.Digamma(b)
	lnAl, lnA := math.Log(al), math.Log(a)
	var ll, gr, gal, ga, gb float64
	gi := 0
	for xi, x := range d.xs {
		fx := float64(x)
		n := d.xn[xi]
		l1, _ := math.Lgamma(r + fx)
		l2, _ := math.Lgamma(b + fx)
		l3, _ := math.Lgamma(a + b + fx)
		ll += n * (l1 - lgr + r*lnAl + lga + l2 - lgb - l3)
		var lnC float64 // ln(a/(b+x-1)), the dropout-at-t_x term's constant
		if x > 0 {
			lnC = lnA - math.Log(b+fx-1)
		}
		if grad != nil {
			psiABX := stats.Digamma(a + b + fx)
			gr += n * (stats.Digamma(r+fx) - psiR + lnAl)
			gal += n * r / al
			ga += n * (psiAB - psiABX)
			gb += n * (psiAB + stats.Digamma(b+fx) - psiB - psiABX)
		}
		for ; gi < len(d.groups) && d.groups[gi].x == x; gi++ {
			g := &d.groups[gi]
			lT := math.Log(al + g.T)
			a3 := -(r + fx) * lT
			if x == 0 {
				ll += g.n * a3
				if grad != nil {
					gr -= g.n * lT
					gal -= g.n * (r + fx) / (al + g.T)
				}
				continue
			}
			lt := math.Log(al + g.tx)
			a4 := lnC - (r+fx)*lt
			// log(e^a3 + e^a4) and w = e^a4 / (e^a3 + e^a4).
			var lse, w float64
			if a3 > a4 {
				e := math.Exp(a4 - a3)
				lse, w = a3+math.Log1p(e), e/(1+e)
			} else {
				e := math.Exp(a3 - a4)
				lse, w = a4+math.Log1p(e), 1/(1+e)
			}
			ll += g.n * lse
			if grad != nil {
				gr -= g.n * ((1-w)*lT + w*lt)
				gal -= g.n * (r + fx) * ((1-w)/(al+g.T) + w/(al+g.tx))
				ga += g.n * w / a
				gb -= g.n * w / (b + fx - 1)
			}
		}
	}
	if grad != nil {
		grad[0], grad[1], grad[2], grad[3] = gr*r, gal*al, ga*a, gb*b
	}
	return ll
}

// LogLikelihood returns the log-likelihood of the summaries under the
// model, a finite number or an error: one wrapping ErrInvalidArgument for a
// model that is not valid (see Err) or a likelihood that is not finite, or
// ErrInvalidSummary for a summary no transactions could produce.
func (m BGNBD) LogLikelihood(s []Summary) (float64, error) {
	if err := m.Err(); err != nil {
		return 0, err
	}
	d, err := groupBG(s)
	if err != nil {
		return 0, err
	}
	ll := m.logLik(&d, nil)
	if math.IsNaN(ll) || math.IsInf(ll, 0) {
		return 0, fmt.Errorf("score: BG/NBD log-likelihood: value %v with %+v, want a finite number: %w", ll, m, ErrInvalidArgument)
	}
	return ll, nil
}

// FitBGNBD fits the BG/NBD model to the summaries by maximum likelihood.
// Customers with identical (Frequency, Recency, T) are grouped, and the
// parameters are optimized on the log scale (BFGS with an analytic
// gradient, from several starting points, with a Nelder–Mead fallback).
// Penalizer adds an L2 penalty on the log-parameters.
//
// A fitted model has finite parameters with R, A and B in [1e-4, 1e4].
// When the likelihood is maximized at a bound instead (a shape parameter
// runs off to 0 or +Inf, as it does when few customers bought again or no
// customer seems to drop out), the data cannot identify the parameters and
// FitBGNBD returns a *DegenerateFitError, which wraps ErrDegenerateFit and
// ErrNotConverged; with Penalizer such data still fits. It returns an error
// wrapping ErrInvalidSummary for an impossible summary, ErrTooFewCustomers
// for fewer than 10 customers, ErrNoRepeatBuyers when no customer has
// Frequency > 0, ErrInvalidArgument for a bad option, and ErrNotConverged
// when no maximum is found.
func FitBGNBD(s []Summary, opts ...FitOption) (BGNBD, error) {
	m, _, err := fitBGNBD(s, opts, false)
	return m, err
}

// FitBGNBDReport is FitBGNBD that also reports on the fit: log-likelihood,
// standard errors from the Hessian, iterations and convergence (see
// FitReport). When the optimizer ran but the fit failed (a degenerate fit,
// or no convergence), it returns the zero BGNBD, the error, and a report of
// where the optimizer stopped, without standard errors; for an error found
// before the optimizer ran, the report is the zero FitReport.
func FitBGNBDReport(s []Summary, opts ...FitOption) (BGNBD, FitReport, error) {
	return fitBGNBD(s, opts, true)
}

func fitBGNBD(s []Summary, opts []FitOption, wantReport bool) (BGNBD, FitReport, error) {
	cfg, err := fitOptions(opts)
	if err != nil {
		return BGNBD{}, FitReport{}, err
	}
	if len(s) < minFitCustomers {
		return BGNBD{}, FitReport{}, fmt.Errorf("score: fit BG/NBD: %d customers, want at least %d: %w", len(s), minFitCustomers, ErrTooFewCustomers)
	}
	d, err := groupBG(s)
	if err != nil {
		return BGNBD{}, FitReport{}, err
	}
	return fitBGNBDGroups(d, cfg, wantReport)
}

// fitBGNBDGroups fits BG/NBD to grouped customers, at least
// minFitCustomers of them: FitBGNBD over summaries and FitBGNBDStats over
// merged statistics run the same fit on the same groups.
func fitBGNBDGroups(d bgData, cfg fitConfig, wantReport bool) (BGNBD, FitReport, error) {
	if d.xs[len(d.xs)-1] == 0 {
		return BGNBD{}, FitReport{}, fmt.Errorf("score: fit BG/NBD: %d customers, all with Frequency 0, want at least one repeat buyer: %w", int(d.total), ErrNoRepeatBuyers)
	}
	var sumT, sumX, repeat float64
	for _, g := range d.groups {
		sumT += g.n * g.T
		sumX += g.n * float64(g.x)
		if g.x > 0 {
			repeat += g.n
		}
	}
	meanT := sumT / d.total
	fit := logFit{
		model:     "BG/NBD",
		names:     []string{"R", "Alpha", "A", "B"},
		shape:     []bool{true, false, true, true},
		shift:     make([]float64, 4),
		penalizer: cfg.penalizer,
		customers: int(d.total),
		repeat:    int(repeat),
	}
	if sumT > 0 {
		fit.shift[1] = math.Log(sumX / sumT) // Alpha in units of the mean time between purchases
	}
	negMean := func(th, grad []float64) float64 {
		m := BGNBD{R: math.Exp(th[0]), Alpha: math.Exp(th[1]), A: math.Exp(th[2]), B: math.Exp(th[3])}
		ll := m.logLik(&d, grad)
		for i := range grad {
			grad[i] = -grad[i] / d.total
		}
		return -ll / d.total
	}
	starts := [][]float64{
		{0, 0, 0, 0},
		{math.Log(0.5), math.Log(math.Max(meanT, 1e-3)), math.Log(0.5), math.Log(2)},
		{math.Log(2), math.Log(math.Max(meanT/10, 1e-3)), math.Log(2), math.Log(10)},
	}
	var coarse stats.FuncGrad
	if sub, ok := d.subsample(coarseGroups); ok {
		coarse = func(th, grad []float64) float64 {
			m := BGNBD{R: math.Exp(th[0]), Alpha: math.Exp(th[1]), A: math.Exp(th[2]), B: math.Exp(th[3])}
			ll := m.logLik(&sub, grad)
			for i := range grad {
				grad[i] = -grad[i] / sub.total
			}
			return -ll / sub.total
		}
	}
	res, err := fit.fit(negMean, coarse, starts)
	var rep FitReport
	if wantReport {
		rep = fit.report(res, negMean, fit.penalized(negMean), d.total)
	}
	if err != nil {
		return BGNBD{}, rep, err
	}
	th := res.th
	return BGNBD{R: math.Exp(th[0]), Alpha: math.Exp(th[1]), A: math.Exp(th[2]), B: math.Exp(th[3])}, rep, nil
}

// Err returns nil for a usable model, or an error wrapping
// ErrInvalidArgument that names the first parameter that is not a finite
// number > 0 (the zero BGNBD{} is not usable). Prediction methods return 0
// for a model that is not usable.
func (m BGNBD) Err() error {
	for _, p := range []struct {
		name string
		v    float64
	}{{"R", m.R}, {"Alpha", m.Alpha}, {"A", m.A}, {"B", m.B}} {
		if !(p.v > 0) || math.IsInf(p.v, 0) {
			return argError("BG/NBD: parameter "+p.name, p.v, "a finite number > 0")
		}
	}
	return nil
}

// PAlive returns the probability that the customer is still active at the
// end of the summary's window, T. A customer without repeat purchases is
// alive with probability 1 under the model. The result is always a number in
// [0, 1]: it is 0 when the model or the summary is not valid (see Err and
// Summary.Err).
func (m BGNBD) PAlive(s Summary) float64 {
	if m.Err() != nil || s.check() != nil {
		return 0
	}
	return m.pAlive(s)
}

func (m BGNBD) pAlive(s Summary) float64 {
	if s.Frequency == 0 {
		return 1
	}
	x := float64(s.Frequency)
	lnOdds := math.Log(m.A) - math.Log(m.B+x-1) + (m.R+x)*(math.Log(m.Alpha+s.T)-math.Log(m.Alpha+s.Recency))
	return 1 / (1 + math.Exp(lnOdds))
}

// ExpectedPurchases returns the expected number of purchases of the
// customer in the next t units after T, given the summary. The result is
// always a finite number >= 0: it is 0 when t is negative, NaN or infinite,
// or when the model or the summary is not valid (see Err and Summary.Err).
func (m BGNBD) ExpectedPurchases(t float64, s Summary) float64 {
	if m.Err() != nil || s.check() != nil || !(t > 0) || math.IsInf(t, 0) {
		return 0
	}
	// The closed form is fast, and carries a bound on its rounding error:
	// when that bound is above expectTolerance (2F1 lost digits, or
	// 1 - (1-z)^(a-1)·2F1 cancels), or the result is outside
	// [0, P(alive)·E[λ | alive]·t], it is computed again by quadrature.
	var e, rel float64
	if math.Abs(m.A-1) < 1e-7 {
		// The formula has a removable singularity at A = 1.
		lo, hi := m, m
		lo.A, hi.A = 1-1e-5, 1+1e-5
		elo, rlo := lo.expected(t, s)
		ehi, rhi := hi.expected(t, s)
		e, rel = (elo+ehi)/2, math.Max(rlo, rhi)
	} else {
		e, rel = m.expected(t, s)
	}
	x := float64(s.Frequency)
	alive := m.pAlive(s)
	if bound := alive * (m.R + x) / (m.Alpha + s.T) * t; rel <= expectTolerance && e >= 0 && e <= bound*(1+1e-9) {
		return e
	}
	return alive * expectedAlive(m.A, m.B+x, m.R+x, t/(m.Alpha+s.T))
}

// expectTolerance is the relative error bound of the closed form of
// ExpectedPurchases above which the quadrature is used instead.
const expectTolerance = 1e-10

// expected evaluates E[Y(t) | x, t_x, T] (Fader, Hardie and Lee 2005, eq. 10),
// with 2F1 rewritten by Euler's transformation so that its parameters do not
// grow with x:
//
//	(a+b+x-1)/(a-1) · [1 - (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z)] / (1 + δ a/(b+x-1) ((α+T)/(α+t_x))^(r+x))
//
// with z = t/(α+T+t). It returns the value and a bound on its relative
// error (+Inf when 2F1 fails).
func (m BGNBD) expected(t float64, s Summary) (float64, float64) {
	r, al, a, b := m.R, m.Alpha, m.A, m.B
	x := float64(s.Frequency)
	z := t / (al + s.T + t)
	// 1 - (1-z)^(a-1)·2F1 = -expm1(lp) - e^lp·(2F1 - 1), lp = (a-1)·ln(1-z),
	// keeps its digits as z goes to 0.
	fm1, fe, err := stats.Hyp2F1Minus1(a+b-1-r, a-1, a+b+x-1, z)
	if err != nil {
		return math.NaN(), math.Inf(1)
	}
	const u = 0x1p-53
	lp := (a - 1) * math.Log1p(-z)
	p := math.Exp(lp)
	em1 := math.Expm1(lp)
	br := -em1 - p*fm1
	// Errors of the two terms (lp is off by about 3 units relative) and of
	// their difference.
	be := math.Abs(em1)*2*u + p*(4*math.Abs(lp)*u) + p*fe + math.Abs(p*fm1)*(4*math.Abs(lp)+2)*u + math.Abs(br)*u
	rel := be / math.Abs(br)
	num := (a + b + x - 1) / (a - 1) * br
	den := 1.0
	if s.Frequency > 0 {
		den += math.Exp(math.Log(a) - math.Log(b+x-1) + (r+x)*(math.Log(al+s.T)-math.Log(al+s.Recency)))
	}
	return num / den, rel + 16*0x1p-53
}

// ExpectedPurchasesNew returns the expected number of purchases in t units
// of a customer who has just made a first purchase (eq. 9 of the paper). The
// result is always a finite number >= 0: it is 0 when t is negative, NaN or
// infinite, or the model is not valid (see Err).
func (m BGNBD) ExpectedPurchasesNew(t float64) float64 {
	return m.ExpectedPurchases(t, Summary{})
}
