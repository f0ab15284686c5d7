package score

import (
	"fmt"
	"math"

	"github.com/fabeed28/microseg/internal/stats"
)

// minFitCustomers is the fewest customers a fit accepts.
const minFitCustomers = 10

// fitLog maximizes a log-likelihood over log-scale parameters. negMean must
// return the negative mean log-likelihood at θ and store its gradient. It
// starts BFGS from each start, falls back to Nelder–Mead followed by BFGS,
// and returns the best θ whose gradient is near zero. When coarse is not
// nil (the same function on a subsample), the starts run on it and only
// the best point is polished on negMean.
func fitLog(model string, names []string, negMean, coarse stats.FuncGrad, starts [][]float64) ([]float64, error) {
	if coarse != nil {
		th, err := fitLog(model, names, coarse, nil, starts)
		if err == nil {
			starts = [][]float64{th}
		}
	}
	const (
		gtol   = 1e-8
		accept = 1e-6
	)
	var best *stats.Result
	try := func(x0 []float64) {
		r := stats.BFGS(negMean, x0, gtol, 1000)
		if !(r.GradNorm < accept) || math.IsNaN(r.F) {
			// Polish with Nelder–Mead, then BFGS again.
			f := func(x []float64) float64 { return negMean(x, nil) }
			nm := stats.NelderMead(f, r.X, 0.5, 1e-14, 20000)
			r = stats.BFGS(negMean, nm.X, gtol, 1000)
		}
		if r.GradNorm < accept && !math.IsNaN(r.F) && (best == nil || r.F < best.F) {
			best = &r
		}
	}
	for _, x0 := range starts {
		try(x0)
	}
	if best == nil {
		return nil, fmt.Errorf("score: fit %s: the optimizer found no point where the gradient vanishes (the likelihood may be flat or maximized at a boundary): %w", model, ErrNotConverged)
	}
	for i, v := range best.X {
		if math.Abs(v) > 25 {
			return nil, fmt.Errorf("score: fit %s: parameter %s ran to %g, want a finite maximum (the data may not identify it): %w",
				model, names[i], math.Exp(v), ErrNotConverged)
		}
	}
	return best.X, nil
}
