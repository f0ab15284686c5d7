package stats

import (
	"math"
)

// Result is the outcome of a minimization.
type Result struct {
	X         []float64 // the minimizer found
	F         float64   // the function value at X
	GradNorm  float64   // the max-norm of the gradient at X (NaN for Nelder–Mead)
	Evals     int       // number of function evaluations
	Iter      int       // number of iterations that moved x (BFGS steps, Nelder–Mead simplex moves)
	Converged bool      // whether the stopping rule was met within budget
}

// FuncGrad evaluates a function at x and, when grad is not nil, stores its
// gradient in grad. A non-finite value marks x as infeasible.
type FuncGrad func(x, grad []float64) float64

// BFGS minimizes f from x0 with the Broyden–Fletcher–Goldfarb–Shanno
// quasi-Newton method and a backtracking line search. It stops when the
// max-norm of the gradient falls below gtol, or when neither x nor f moves,
// and gives up after maxIter iterations.
func BFGS(f FuncGrad, x0 []float64, gtol float64, maxIter int) Result {
	n := len(x0)
	x := append([]float64(nil), x0...)
	g := make([]float64, n)
	fx := f(x, g)
	res := Result{Evals: 1}
	if !finite(fx) || !allFinite(g) {
		res.X, res.F, res.GradNorm = x, fx, math.NaN()
		return res
	}
	h := identity(n)
	p := make([]float64, n)
	xn := make([]float64, n)
	gn := make([]float64, n)
	s := make([]float64, n)
	y := make([]float64, n)
	hy := make([]float64, n)
	for it := 0; it < maxIter; it++ {
		if maxAbs(g) < gtol {
			res.Converged = true
			break
		}
		// p = -H g
		for i := range p {
			var v float64
			for j := range g {
				v -= h[i][j] * g[j]
			}
			p[i] = v
		}
		slope := dot(p, g)
		if slope >= 0 {
			// Not a descent direction: restart from steepest descent.
			h = identity(n)
			for i := range p {
				p[i] = -g[i]
			}
			slope = dot(p, g)
		}
		// Limit the step so that no coordinate moves by more than 5 (log scale).
		step := 1.0
		if m := maxAbs(p); m > 5 {
			step = 5 / m
		}
		var fn float64
		ok := false
		for k := 0; k < 60; k++ {
			for i := range xn {
				xn[i] = x[i] + step*p[i]
			}
			fn = f(xn, gn)
			res.Evals++
			if finite(fn) && allFinite(gn) && fn <= fx+1e-4*step*slope {
				ok = true
				break
			}
			step /= 2
		}
		if !ok {
			// No decrease along p: if H was already the identity we are at
			// the precision limit; otherwise retry with steepest descent.
			if isIdentity(h) {
				break
			}
			h = identity(n)
			continue
		}
		for i := range s {
			s[i] = xn[i] - x[i]
			y[i] = gn[i] - g[i]
		}
		moved := math.Abs(fn-fx) > 1e-15*(1+math.Abs(fx)) || maxAbs(s) > 1e-14
		copy(x, xn)
		copy(g, gn)
		fx = fn
		res.Iter++
		if !moved {
			res.Converged = maxAbs(g) < gtol*100
			break
		}
		sy := dot(s, y)
		if sy <= 1e-12*math.Sqrt(dot(s, s)*dot(y, y)) {
			continue // curvature condition fails; keep H
		}
		// H += (1 + yHy/sy) ss'/sy - (Hy s' + s yH)/sy
		for i := range hy {
			var v float64
			for j := range y {
				v += h[i][j] * y[j]
			}
			hy[i] = v
		}
		yhy := dot(y, hy)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				h[i][j] += (1+yhy/sy)*s[i]*s[j]/sy - (hy[i]*s[j]+s[i]*hy[j])/sy
			}
		}
	}
	res.X, res.F, res.GradNorm = x, fx, maxAbs(g)
	if res.GradNorm < gtol {
		res.Converged = true
	}
	return res
}

// NelderMead minimizes f from x0 with the Nelder–Mead simplex method, with
// an initial simplex of the given step along each axis. It stops when the
// spread of function values over the simplex is below ftol, and gives up
// after maxEval evaluations. Non-finite values are treated as +Inf.
func NelderMead(f func(x []float64) float64, x0 []float64, step, ftol float64, maxEval int) Result {
	n := len(x0)
	eval := func(x []float64) float64 {
		v := f(x)
		if !finite(v) {
			return math.Inf(1)
		}
		return v
	}
	pts := make([][]float64, n+1)
	vals := make([]float64, n+1)
	for i := range pts {
		pts[i] = append([]float64(nil), x0...)
		if i > 0 {
			pts[i][i-1] += step
		}
		vals[i] = eval(pts[i])
	}
	evals := n + 1
	cen := make([]float64, n)
	xr := make([]float64, n)
	xe := make([]float64, n)
	xc := make([]float64, n)
	converged := false
	iter := 0
	for ; evals < maxEval; iter++ {
		// Order: best first.
		for i := 1; i <= n; i++ {
			for j := i; j > 0 && vals[j] < vals[j-1]; j-- {
				vals[j], vals[j-1] = vals[j-1], vals[j]
				pts[j], pts[j-1] = pts[j-1], pts[j]
			}
		}
		if math.Abs(vals[n]-vals[0]) <= ftol*(1+math.Abs(vals[0])) {
			converged = true
			break
		}
		for j := range cen {
			cen[j] = 0
			for i := 0; i < n; i++ {
				cen[j] += pts[i][j] / float64(n)
			}
		}
		for j := range xr {
			xr[j] = cen[j] + (cen[j] - pts[n][j])
		}
		fr := eval(xr)
		evals++
		switch {
		case fr < vals[0]:
			for j := range xe {
				xe[j] = cen[j] + 2*(cen[j]-pts[n][j])
			}
			fe := eval(xe)
			evals++
			if fe < fr {
				copy(pts[n], xe)
				vals[n] = fe
			} else {
				copy(pts[n], xr)
				vals[n] = fr
			}
		case fr < vals[n-1]:
			copy(pts[n], xr)
			vals[n] = fr
		default:
			outside := fr < vals[n]
			for j := range xc {
				if outside {
					xc[j] = cen[j] + 0.5*(xr[j]-cen[j])
				} else {
					xc[j] = cen[j] + 0.5*(pts[n][j]-cen[j])
				}
			}
			fc := eval(xc)
			evals++
			if (outside && fc <= fr) || (!outside && fc < vals[n]) {
				copy(pts[n], xc)
				vals[n] = fc
				break
			}
			// Shrink towards the best point.
			for i := 1; i <= n; i++ {
				for j := range pts[i] {
					pts[i][j] = pts[0][j] + 0.5*(pts[i][j]-pts[0][j])
				}
				vals[i] = eval(pts[i])
				evals++
			}
		}
	}
	best := 0
	for i := range vals {
		if vals[i] < vals[best] {
			best = i
		}
	}
	return Result{X: pts[best], F: vals[best], GradNorm: math.NaN(), Evals: evals, Iter: iter, Converged: converged}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func allFinite(v []float64) bool {
	for _, x := range v {
		if !finite(x) {
			return false
		}
	}
	return true
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func maxAbs(v []float64) float64 {
	var m float64
	for _, x := range v {
		if a := math.Abs(x); a > m || math.IsNaN(x) {
			m = a
		}
	}
	return m
}

func identity(n int) [][]float64 {
	h := make([][]float64, n)
	for i := range h {
		h[i] = make([]float64, n)
		h[i][i] = 1
	}
	return h
}

func isIdentity(h [][]float64) bool {
	for i := range h {
		for j := range h[i] {
			want := 0.0
			if i == j {
				want = 1
			}
			if h[i][j] != want {
				return false
			}
		}
	}
	return true
}
