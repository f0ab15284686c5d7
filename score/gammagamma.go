package score

import (
	"fmt"
	"math"
	"slices"

	"github.com/fabeed28/microseg/internal/stats"
)

// GammaGamma is a fitted Gamma-Gamma model of spend per transaction (Fader,
// Hardie and Lee 2005, "RFM and CLV: Using Iso-Value Curves for Customer
// Base Analysis"; Colombo and Jiang 1999). A customer's transaction values
// are Gamma(P, ν) with ν ~ Gamma(Q, V) across customers, so the mean spend
// of a customer is P/ν and the population mean spend is P·V/(Q-1).
type GammaGamma struct {
	P, Q, V float64
}

type ggGroup struct {
	x, z, n float64
	lx, lz  float64 // ln x, ln z
}

func groupGG(s []Summary) ([]ggGroup, float64, error) {
	type pair struct {
		x int
		z float64
	}
	counts := make(map[pair]int)
	for _, c := range s {
		if err := c.check(); err != nil {
			return nil, 0, err
		}
		if c.Frequency == 0 {
			continue
		}
		if !(c.Monetary > 0) {
			return nil, 0, fmt.Errorf("score: summary %q: field Monetary: value %v, want > 0 for a customer with Frequency %d: %w",
				c.Key, c.Monetary, c.Frequency, ErrInvalidSummary)
		}
		counts[pair{c.Frequency, c.Monetary}]++
	}
	gs := make([]ggGroup, 0, len(counts))
	var total float64
	for k, n := range counts {
		x := float64(k.x)
		gs = append(gs, ggGroup{x: x, z: k.z, n: float64(n), lx: math.Log(x), lz: math.Log(k.z)})
		total += float64(n)
	}
	// A fixed order makes the fit deterministic (map order is random).
	slices.SortFunc(gs, func(a, b ggGroup) int {
		if c := cmpFloat(a.x, b.x); c != 0 {
			return c
		}
		return cmpFloat(a.z, b.z)
	})
	return gs, total, nil
}

// logLik returns the log-likelihood of the repeat buyers' mean spends and,
// when grad is not nil, its gradient with respect to (ln P, ln Q, ln V).
func (m GammaGamma) logLik(gs []ggGroup, grad []float64) float64 {
	p, q, v := m.P, m.Q, m.V
	lgq, _ := math.Lgamma(q)
	lnV := math.Log(v)
	psiQ := stats.Digamma(q)
	var ll, gp, gq, gv float64
	for _, g := range gs {
		px := p * g.x
		l1, _ := math.Lgamma(px + q)
		l2, _ := math.Lgamma(px)
		lz, lx, lvz := g.lz, g.lx, math.Log(v+g.x*g.z)
		ll += g.n * (l1 - l2 - lgq + q*lnV + (px-1)*lz + px*lx - (px+q)*lvz)
		if grad != nil {
			psi := stats.Digamma(px + q)
			gp += g.n * g.x * (psi - stats.Digamma(px) + lz + lx - lvz)
			gq += g.n * (psi - psiQ + lnV - lvz)
			gv += g.n * (q/v - (px+q)/(v+g.x*g.z))
		}
	}
	if grad != nil {
		grad[0], grad[1], grad[2] = gp*p, gq*q, gv*v
	}
	return ll
}

// LogLikelihood returns the log-likelihood under the model of the mean
// spends (Monetary) of the customers with Frequency > 0; the others are
// ignored. The result is a finite number or an error: one wrapping
// ErrInvalidArgument for a model that is not valid (see Err) or a
// likelihood that is not finite, or ErrInvalidSummary.
func (m GammaGamma) LogLikelihood(s []Summary) (float64, error) {
	if err := m.Err(); err != nil {
		return 0, err
	}
	gs, _, err := groupGG(s)
	if err != nil {
		return 0, err
	}
	ll := m.logLik(gs, nil)
	if math.IsNaN(ll) || math.IsInf(ll, 0) {
		return 0, fmt.Errorf("score: Gamma-Gamma log-likelihood: value %v with %+v, want a finite number: %w", ll, m, ErrInvalidArgument)
	}
	return ll, nil
}

// FitGammaGamma fits the Gamma-Gamma model by maximum likelihood to the
// customers with at least one repeat purchase (Frequency > 0), taking
// Monetary as their mean repeat spend and Frequency as the number of
// transactions it averages. Others are ignored. Parameters are optimized on
// the log scale.
//
// It returns an error wrapping ErrInvalidSummary for an impossible summary
// or a repeat buyer with Monetary <= 0, ErrNoRepeatBuyers when no customer
// has Frequency > 0, ErrTooFewCustomers for fewer than 10 repeat buyers,
// ErrInvalidArgument for a bad option, and ErrNotConverged when no maximum
// is found.
//
// A fitted model has finite parameters with P and Q in [1e-4, 1e4]. When
// the likelihood is maximized at a bound instead (P runs off to +Inf when
// every customer spends the same each time; Q and V together when all
// customers spend alike), the data cannot identify the parameters and
// FitGammaGamma returns a *DegenerateFitError, which wraps ErrDegenerateFit
// and ErrNotConverged; with Penalizer such data still fits.
func FitGammaGamma(s []Summary, opts ...FitOption) (GammaGamma, error) {
	m, _, err := fitGammaGamma(s, opts, false)
	return m, err
}

// FitGammaGammaReport is FitGammaGamma that also reports on the fit:
// log-likelihood of the repeat buyers' mean spends, standard errors from
// the Hessian, iterations and convergence (see FitReport). When the
// optimizer ran but the fit failed, it returns the zero GammaGamma, the
// error, and a report of where the optimizer stopped, without standard
// errors; for an error found before the optimizer ran, the report is the
// zero FitReport.
func FitGammaGammaReport(s []Summary, opts ...FitOption) (GammaGamma, FitReport, error) {
	return fitGammaGamma(s, opts, true)
}

func fitGammaGamma(s []Summary, opts []FitOption, wantReport bool) (GammaGamma, FitReport, error) {
	cfg, err := fitOptions(opts)
	if err != nil {
		return GammaGamma{}, FitReport{}, err
	}
	gs, n, err := groupGG(s)
	if err != nil {
		return GammaGamma{}, FitReport{}, err
	}
	return fitGammaGammaGroups(gs, n, len(s), cfg, wantReport)
}

// fitGammaGammaGroups fits Gamma-Gamma to n repeat buyers grouped in gs,
// of customers in all: FitGammaGamma over summaries and
// FitGammaGammaStats over merged statistics run the same fit on the same
// groups.
func fitGammaGammaGroups(gs []ggGroup, n float64, customers int, cfg fitConfig, wantReport bool) (GammaGamma, FitReport, error) {
	if n == 0 {
		return GammaGamma{}, FitReport{}, fmt.Errorf("score: fit Gamma-Gamma: %d customers, none with Frequency > 0, want repeat buyers: %w", customers, ErrNoRepeatBuyers)
	}
	if n < minFitCustomers {
		return GammaGamma{}, FitReport{}, fmt.Errorf("score: fit Gamma-Gamma: %v repeat buyers, want at least %d: %w", n, minFitCustomers, ErrTooFewCustomers)
	}
	var mean float64
	for _, g := range gs {
		mean += g.n * g.z
	}
	mean /= n
	negMean := func(th, grad []float64) float64 {
		m := GammaGamma{P: math.Exp(th[0]), Q: math.Exp(th[1]), V: math.Exp(th[2])}
		ll := m.logLik(gs, grad)
		for i := range grad {
			grad[i] = -grad[i] / n
		}
		return -ll / n
	}
	starts := [][]float64{
		{0, 0, 0},
		{math.Log(2), math.Log(3), math.Log(mean)},
		{math.Log(10), math.Log(10), math.Log(mean * 10)},
	}
	var coarse stats.FuncGrad
	if len(gs) > coarseGroups {
		// Multi-start on every k-th group, then polish on all of them.
		k := (len(gs) + coarseGroups - 1) / coarseGroups
		var sub []ggGroup
		var subN float64
		for i := 0; i < len(gs); i += k {
			sub = append(sub, gs[i])
			subN += gs[i].n
		}
		coarse = func(th, grad []float64) float64 {
			m := GammaGamma{P: math.Exp(th[0]), Q: math.Exp(th[1]), V: math.Exp(th[2])}
			ll := m.logLik(sub, grad)
			for i := range grad {
				grad[i] = -grad[i] / subN
			}
			return -ll / subN
		}
	}
	fit := logFit{
		model:     "Gamma-Gamma",
		names:     []string{"P", "Q", "V"},
		shape:     []bool{true, true, false},
		shift:     []float64{0, 0, -math.Log(mean)}, // V in units of the mean spend
		penalizer: cfg.penalizer,
		customers: customers,
		repeat:    int(n),
	}
	res, err := fit.fit(negMean, coarse, starts)
	var rep FitReport
	if wantReport {
		rep = fit.report(res, negMean, fit.penalized(negMean), n)
	}
	if err != nil {
		return GammaGamma{}, rep, err
	}
	th := res.th
	return GammaGamma{P: math.Exp(th[0]), Q: math.Exp(th[1]), V: math.Exp(th[2])}, rep, nil
}

// Err returns nil for a usable model, or an error wrapping
// ErrInvalidArgument that names the first parameter that is not a finite
// number > 0 (the zero GammaGamma{} is not usable). ExpectedSpend returns 0
// for a model that is not usable.
func (m GammaGamma) Err() error {
	for _, p := range []struct {
		name string
		v    float64
	}{{"P", m.P}, {"Q", m.Q}, {"V", m.V}} {
		if !(p.v > 0) || math.IsInf(p.v, 0) {
			return argError("Gamma-Gamma: parameter "+p.name, p.v, "a finite number > 0")
		}
	}
	return nil
}

// ExpectedSpend returns the conditional expected mean spend per transaction
// of the customer, E[Z | P, Q, V, Monetary, Frequency]: a weighted mean of
// the population mean P·V/(Q-1) and the customer's own Monetary, with
// weight on the latter growing with Frequency. For Frequency 0 it is the
// population mean. The result is always a finite number >= 0: it is 0 when
// the model or the summary is not valid (see Err and Summary.Err) and when
// the expectation is infinite, P·Frequency + Q <= 1 (Q <= 1 and Frequency 0,
// for instance); CLV reports that case as an error.
func (m GammaGamma) ExpectedSpend(s Summary) float64 {
	v, _ := m.expectedSpend(s)
	return v
}

func (m GammaGamma) expectedSpend(s Summary) (float64, error) {
	if err := m.Err(); err != nil {
		return 0, err
	}
	if err := s.check(); err != nil {
		return 0, err
	}
	x := float64(s.Frequency)
	den := m.P*x + m.Q - 1
	v := (m.V + x*s.Monetary) * m.P / den
	if !(den > 0) || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("score: expected spend of %q: P·Frequency+Q-1 = %v with %+v, want > 0 and a finite expectation: %w", s.Key, den, m, ErrInvalidArgument)
	}
	return v, nil
}
