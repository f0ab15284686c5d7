package score

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"
)

// rankScores scores each value 1..n by its rank in the distribution:
// score = 1 + floor(n · below / len(v)), where below is the number of
// values strictly smaller. Equal values always get equal scores, whatever
// their order in the input, and the smallest value gets 1.
func rankScores(v []float64, n int) []int {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmpFloat(v[a], v[b]) })
	out := make([]int, len(v))
	below := 0
	for i, j := range idx {
		if i > 0 && v[idx[i-1]] != v[j] {
			below = i
		}
		out[j] = 1 + mulDiv(n, below, len(v))
	}
	return out
}

// mulDiv returns floor(a·b/c) for 0 <= a, 0 <= b < c, without overflow.
func mulDiv(a, b, c int) int {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	q, _ := bits.Div64(hi, lo, uint64(c)) // a·b/c < a, so q fits
	return int(q)
}

func checkValues(name string, v []float64) error {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("score: %s: value %v at index %d, want a finite number: %w", name, x, i, ErrInvalidArgument)
		}
	}
	return nil
}

// Ntiles returns each value's quantile band, 1..n, from the values' own
// distribution: Ntiles(v, 10) gives deciles, with 10 the top decile. A
// value's band is 1 + floor(n · below / len(values)), where below counts the
// values strictly smaller, so equal values share a band and the result
// does not depend on the input order; the arithmetic is exact for any n up
// to math.MaxInt. It returns an error wrapping ErrInvalidArgument for n < 1
// or a NaN or infinite value.
func Ntiles(values []float64, n int) ([]int, error) {
	if n < 1 {
		return nil, argError("Ntiles: n", n, ">= 1")
	}
	if err := checkValues("Ntiles", values); err != nil {
		return nil, err
	}
	return rankScores(values, n), nil
}

// Bins returns each value's bin for the given increasing edges: bin 0
// holds values below edges[0], bin i values in [edges[i-1], edges[i]), and
// bin len(edges) values at or above the last edge. It returns an error
// wrapping ErrInvalidArgument for edges that are not strictly increasing or
// not finite, or a NaN or infinite value.
func Bins(values []float64, edges []float64) ([]int, error) {
	if err := checkValues("Bins: edges", edges); err != nil {
		return nil, err
	}
	for i := 1; i < len(edges); i++ {
		if !(edges[i] > edges[i-1]) {
			return nil, argError(fmt.Sprintf("Bins: edges[%d]", i), edges[i], fmt.Sprintf("> edges[%d] = %v", i-1, edges[i-1]))
		}
	}
	if err := checkValues("Bins", values); err != nil {
		return nil, err
	}
	out := make([]int, len(values))
	for i, v := range values {
		out[i] = sort.Search(len(edges), func(j int) bool { return edges[j] > v })
	}
	return out, nil
}

// TopShare returns the share of the total of values that the top fraction
// frac of customers hold (the Pareto view): TopShare(profits, 0.2) is the
// share of profit that the best 20% of customers bring. The top group is
// the ceil(frac · len(values)) largest values. With losses (negative
// values) the share may exceed 1. Sums are taken scaled, so values near
// math.MaxFloat64 give the right share. It returns an error wrapping
// ErrInvalidArgument for frac outside [0, 1], no values, a total of zero,
// or a NaN or infinite value.
func TopShare(values []float64, frac float64) (float64, error) {
	if !(frac >= 0 && frac <= 1) {
		return math.NaN(), argError("TopShare: frac", frac, "a fraction in [0, 1]")
	}
	if len(values) == 0 {
		return math.NaN(), argError("TopShare: values", "none", "at least one value")
	}
	if err := checkValues("TopShare", values); err != nil {
		return math.NaN(), err
	}
	// Scale by a power of two (exact) so that no sum of finite values
	// overflows.
	_, e := math.Frexp(slices.MaxFunc(values, func(a, b float64) int { return cmpFloat(math.Abs(a), math.Abs(b)) }))
	sorted := make([]float64, len(values))
	for i, v := range values {
		sorted[i] = math.Ldexp(v, -e)
	}
	slices.Sort(sorted)
	var total float64
	for _, v := range sorted {
		total += v
	}
	if total == 0 {
		return math.NaN(), argError("TopShare: total", 0, "a non-zero total")
	}
	k := int(math.Ceil(frac * float64(len(sorted))))
	var top float64
	for _, v := range sorted[len(sorted)-k:] {
		top += v
	}
	return top / total, nil
}
