// Package stats holds the special functions and the optimizer that the
// value models of package score (and persona) share: the digamma function,
// the Gauss hypergeometric function 2F1, and a quasi-Newton minimizer with a
// Nelder–Mead fallback. Users of microseg must not depend on it.
package stats
