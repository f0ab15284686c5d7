package score

import (
	"fmt"
	"math"

	"github.com/fabeed28/microseg/internal/stats"
)

// minFitCustomers is the fewest customers a fit accepts.
const minFitCustomers = 10

// A fit is degenerate when a shape parameter (R, A, B of BG/NBD; P, Q of
// Gamma-Gamma) ends outside [minShape, maxShape]: there its likelihood is
// flat, the population is as good as homogeneous (large) or the
// distribution as good as a point mass at a bound (small), and the data
// cannot tell the value from 0 or +Inf.
const (
	minShape = 1e-4
	maxShape = 1e4
)

// logFit describes a maximum-likelihood fit over log-scale parameters.
type logFit struct {
	model     string
	names     []string  // parameter names
	shape     []bool    // which parameters are shape parameters
	shift     []float64 // ln of each parameter's unit: the penalty is on θ + shift
	penalizer float64
	customers int // customers given to the fit
	repeat    int // of them, repeat buyers
}

// penalized returns negMean plus the penalty of Penalizer, or negMean itself
// when there is none.
func (f *logFit) penalized(negMean stats.FuncGrad) stats.FuncGrad {
	c := f.penalizer
	if c == 0 || negMean == nil {
		return negMean
	}
	return func(th, grad []float64) float64 {
		v := negMean(th, grad)
		for i, x := range th {
			u := x + f.shift[i]
			v += c * u * u
			if grad != nil {
				grad[i] += 2 * c * u
			}
		}
		return v
	}
}

// fitResult is what the optimizer reports: the log-scale parameters it
// stopped at, how it got there, and whether the gradient vanishes there.
type fitResult struct {
	th          []float64
	iterations  int     // iterations of the run that gave th
	evaluations int     // objective evaluations over every start and run
	gradNorm    float64 // max-norm of the gradient of the objective at th
	converged   bool
}

// fit maximizes a log-likelihood over log-scale parameters. negMean must
// return the negative mean log-likelihood at θ and store its gradient. It
// starts BFGS from each start, falls back to Nelder–Mead followed by BFGS,
// and takes the best θ whose gradient is near zero. When coarse is not nil
// (the same function on a subsample), the starts run on it and only the
// best point is polished on negMean. It returns the parameters and how the
// optimizer got there, and an error: a *DegenerateFitError when a shape
// parameter ran off to a bound, or one wrapping ErrNotConverged.
func (f *logFit) fit(negMean, coarse stats.FuncGrad, starts [][]float64) (fitResult, error) {
	negMean, coarse = f.penalized(negMean), f.penalized(coarse)
	evals := 0
	if coarse != nil {
		r, n, ok := minimize(coarse, starts)
		evals += n
		if ok {
			starts = [][]float64{r.X}
		}
	}
	r, n, ok := minimize(negMean, starts)
	res := fitResult{th: r.X, iterations: r.Iter, evaluations: evals + n, gradNorm: r.GradNorm, converged: ok}
	if err := f.check(r.X); err != nil {
		res.converged = false
		return res, err
	}
	if !ok {
		return res, fmt.Errorf("score: fit %s: the optimizer found no point where the gradient vanishes (the likelihood may be flat): %w", f.model, ErrNotConverged)
	}
	return res, nil
}

// check returns a *DegenerateFitError when a parameter is not finite and
// positive or a shape parameter is outside [minShape, maxShape].
func (f *logFit) check(th []float64) error {
	worst, far := -1, 0.0
	for i, x := range th {
		lo, hi := -745.0, 709.0 // exp stays finite and > 0
		if f.shape[i] {
			lo, hi = math.Log(minShape), math.Log(maxShape)
		}
		d := math.Max(lo-x, x-hi)
		if math.IsNaN(x) {
			d = math.Inf(1)
		}
		if d > 0 && d > far {
			worst, far = i, d
		}
	}
	if worst < 0 {
		return nil
	}
	x := th[worst]
	e := &DegenerateFitError{Model: f.model, Param: f.names[worst], Value: math.Exp(x), Toward: math.Inf(1), Customers: f.customers, Repeat: f.repeat}
	if x < 0 {
		e.Toward = 0
	}
	return e
}

// minimize runs BFGS from each start (with a Nelder–Mead polish when BFGS
// stalls) and returns the best point whose gradient is near zero, and true;
// or, when there is none, the best point found, and false. It also returns
// the number of evaluations of negMean over all runs.
func minimize(negMean stats.FuncGrad, starts [][]float64) (stats.Result, int, bool) {
	const (
		gtol   = 1e-8
		accept = 1e-6
	)
	var best, any *stats.Result
	evals := 0
	for _, x0 := range starts {
		r := stats.BFGS(negMean, x0, gtol, 1000)
		evals += r.Evals
		if !(r.GradNorm < accept) || math.IsNaN(r.F) {
			// Polish with Nelder–Mead, then BFGS again.
			f := func(x []float64) float64 { return negMean(x, nil) }
			nm := stats.NelderMead(f, r.X, 0.5, 1e-14, 20000)
			r2 := stats.BFGS(negMean, nm.X, gtol, 1000)
			evals += nm.Evals + r2.Evals
			r2.Iter += r.Iter + nm.Iter
			r = r2
		}
		if math.IsNaN(r.F) || math.IsInf(r.F, 0) {
			continue
		}
		if any == nil || r.F < any.F {
			any = &r
		}
		if r.GradNorm < accept && (best == nil || r.F < best.F) {
			best = &r
		}
	}
	switch {
	case best != nil:
		return *best, evals, true
	case any != nil:
		return *any, evals, false
	}
	return stats.Result{X: []float64{math.NaN()}, F: math.NaN(), GradNorm: math.NaN()}, evals, false
}
