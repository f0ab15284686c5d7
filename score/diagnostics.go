package score

import (
	"math"

	"github.com/fabeed28/microseg/internal/stats"
)

// FitReport describes a maximum-likelihood fit: where the optimizer
// stopped, how well the model fits there, and how precisely the data pin
// the parameters down. FitBGNBDReport and FitGammaGammaReport return it.
type FitReport struct {
	Model  string   // "BG/NBD" or "Gamma-Gamma"
	Params []string // parameter names in the model's field order: R, Alpha, A, B or P, Q, V
	// Estimates holds the parameters where the optimizer stopped, in the
	// order of Params: the fitted model's parameters when the fit succeeded.
	Estimates []float64
	// LogLikelihood is the log-likelihood of the data at Estimates, the
	// penalty of Penalizer left out (the value LogLikelihood returns).
	LogLikelihood float64
	// Customers is the number of customers the likelihood counts: every
	// summary for BG/NBD, the repeat buyers for Gamma-Gamma.
	Customers int
	// StdErrors holds the asymptotic standard error of each estimate: the
	// square root of the diagonal of Covariance. It is nil when the
	// Hessian is not positive definite or the fit failed.
	StdErrors []float64
	// Covariance is the inverse of the Hessian of the minimized objective
	// (the negative log-likelihood, plus the penalty of Penalizer when it
	// is set) with respect to the parameters, at Estimates. The Hessian is
	// computed by central differences of the analytic gradient on the log
	// scale and carried to the parameters by the chain rule. Covariance is
	// nil when the Hessian is not positive definite or the fit failed.
	Covariance [][]float64
	// PositiveDefinite reports whether the Hessian is positive definite,
	// as it is at a strict maximum of the likelihood. When it is not, the
	// likelihood is flat or curved the wrong way in some direction and the
	// parameters are not identified there; StdErrors is then nil.
	PositiveDefinite bool
	// Iterations counts the optimizer's iterations (BFGS steps, plus
	// Nelder–Mead moves when BFGS stalled) on the run that gave Estimates.
	Iterations int
	// Evaluations counts the evaluations of the objective over every
	// starting point and run, a subsample search included.
	Evaluations int
	// GradNorm is the largest absolute component of the gradient of the
	// mean objective per customer with respect to the log-parameters, at
	// Estimates.
	GradNorm float64
	// Converged reports whether the optimizer stopped where the gradient
	// vanishes (GradNorm below 1e-6) at finite parameters inside the
	// bounds that FitBGNBD and FitGammaGamma accept.
	Converged bool
}

// hessianStep is the step of the central differences of the gradient on
// the log scale: the truncation error is about hessianStep² relative, the
// rounding error about 1e-16/hessianStep.
const hessianStep = 1e-5

// report fills a FitReport from the optimizer's result. plain is the
// negative mean log-likelihood per customer, objective the function the
// optimizer minimized (plain plus the penalty), n the number of customers
// the mean is over.
func (f *logFit) report(res fitResult, plain, objective stats.FuncGrad, n float64) FitReport {
	rep := FitReport{
		Model:       f.model,
		Params:      append([]string(nil), f.names...),
		Customers:   int(n),
		Iterations:  res.iterations,
		Evaluations: res.evaluations,
		GradNorm:    res.gradNorm,
		Converged:   res.converged,
	}
	th := res.th
	if len(th) != len(f.names) {
		return rep
	}
	rep.Estimates = make([]float64, len(th))
	for i, x := range th {
		rep.Estimates[i] = math.Exp(x)
	}
	rep.LogLikelihood = -n * plain(th, nil)
	if !res.converged {
		return rep
	}
	cov, ok := covariance(objective, th, n)
	if !ok {
		return rep
	}
	rep.PositiveDefinite = true
	rep.Covariance = cov
	rep.StdErrors = make([]float64, len(th))
	for i := range th {
		rep.StdErrors[i] = math.Sqrt(cov[i][i])
	}
	return rep
}

// covariance returns the inverse of the Hessian of n·objective with respect
// to the parameters p = exp(θ) at θ, and false when that Hessian is not
// positive definite or not finite.
//
// With g and H the gradient and Hessian in θ, the Hessian in p is
// D⁻¹(H - diag(g))D⁻¹ with D = diag(p), so its inverse is
// D (H - diag(g))⁻¹ D; the matrix in θ is the better scaled one to factor.
func covariance(objective stats.FuncGrad, th []float64, n float64) ([][]float64, bool) {
	k := len(th)
	g := make([]float64, k)
	if v := objective(th, g); math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, false
	}
	h := make([][]float64, k)
	x := append([]float64(nil), th...)
	gp, gm := make([]float64, k), make([]float64, k)
	for i := range th {
		h[i] = make([]float64, k)
		x[i] = th[i] + hessianStep
		objective(x, gp)
		x[i] = th[i] - hessianStep
		objective(x, gm)
		x[i] = th[i]
		for j := range th {
			h[i][j] = n * (gp[j] - gm[j]) / (2 * hessianStep)
		}
	}
	for i := range h {
		for j := 0; j < i; j++ {
			m := (h[i][j] + h[j][i]) / 2
			h[i][j], h[j][i] = m, m
		}
		h[i][i] -= n * g[i]
	}
	inv, ok := invertSPD(h)
	if !ok {
		return nil, false
	}
	for i := range inv {
		for j := range inv[i] {
			inv[i][j] *= math.Exp(th[i] + th[j])
			if math.IsNaN(inv[i][j]) || math.IsInf(inv[i][j], 0) {
				return nil, false
			}
		}
	}
	return inv, true
}

// invertSPD returns the inverse of a symmetric matrix by its Cholesky
// factorization, and false when the matrix is not positive definite.
func invertSPD(a [][]float64) ([][]float64, bool) {
	k := len(a)
	l := make([][]float64, k)
	for i := range l {
		l[i] = make([]float64, k)
		for j := 0; j <= i; j++ {
			s := a[i][j]
			for m := 0; m < j; m++ {
				s -= l[i][m] * l[j][m]
			}
			if i == j {
				if !(s > 0) || math.IsInf(s, 0) {
					return nil, false
				}
				l[i][i] = math.Sqrt(s)
			} else {
				l[i][j] = s / l[j][j]
			}
		}
	}
	// inv = L⁻ᵀ L⁻¹: solve L y = e_c, then Lᵀ x = y, column by column.
	inv := make([][]float64, k)
	for i := range inv {
		inv[i] = make([]float64, k)
	}
	y := make([]float64, k)
	for c := 0; c < k; c++ {
		for i := 0; i < k; i++ {
			s := 0.0
			if i == c {
				s = 1
			}
			for m := 0; m < i; m++ {
				s -= l[i][m] * y[m]
			}
			y[i] = s / l[i][i]
		}
		for i := k - 1; i >= 0; i-- {
			s := y[i]
			for m := i + 1; m < k; m++ {
				s -= l[m][i] * inv[m][c]
			}
			inv[i][c] = s / l[i][i]
		}
	}
	return inv, true
}
