package segment

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
)

// Decimal is a fixed-point number field, the recommended field for money
// (revenue, lifetime value): a value is stored exactly as an int64 count of
// 10^-Scale units, so 12.34 with scale 2 is stored as 1234. Predicates take
// float64 bounds and round them to the field's scale so that Ge(x) and Le(x)
// include exactly the stored values >= x and <= x. An Int holding minor units
// (cents) works as well; Decimal only adds the scaling.
type Decimal struct {
	name  string
	scale int
	pow   float64
}

// NewDecimal declares a fixed-point field with scale decimal places
// (0 <= scale <= 9). It panics on a scale outside that range: that is a
// programming error, not input.
func NewDecimal(name string, scale int) Decimal {
	if scale < 0 || scale > 9 {
		panic(fmt.Sprintf("segment.NewDecimal(%q, %d): scale must be in [0, 9]", name, scale))
	}
	return Decimal{name: name, scale: scale, pow: math.Pow10(scale)}
}

// Name returns the field's name.
func (f Decimal) Name() string { return f.name }

// Kind returns KindDecimal.
func (f Decimal) Kind() Kind { return KindDecimal }

// Scale returns the number of decimal places.
func (f Decimal) Scale() int { return f.scale }

func (f Decimal) spec() fieldSpec { return fieldSpec{name: f.name, kind: KindDecimal, scale: f.scale} }

// Value returns v rounded to the field's scale (half away from zero). NaN,
// infinities and values whose units overflow int64 are rejected.
func (f Decimal) Value(v float64) Value {
	u := math.Round(v * f.pow)
	val := Value{spec: f.spec()}
	if math.IsNaN(v) || math.IsInf(v, 0) || u >= math.MaxInt64 || u < math.MinInt64 {
		val.err = &valueError{value: v, err: ErrInvalidValue,
			msg: fmt.Sprintf("want a finite number within ±%g", math.MaxInt64/f.pow)}
		return val
	}
	val.n = int64(u)
	return val
}

// Units returns the value given as a count of 10^-scale units (1234 for
// 12.34 at scale 2): exact, with no rounding.
func (f Decimal) Units(units int64) Value { return Value{spec: f.spec(), n: units} }

// compare builds the predicate "stored value op x" ("=", "<", "<=", ">",
// ">=") for a float64 bound x, exactly: x stands for the shortest decimal
// that converts back to it (the number strconv.FormatFloat(x, 'g', -1, 64)
// prints, and the text form prints), so Ge(0.1) includes a stored 0.1 and
// Ge(12.345) at scale 2 starts at 12.35. The comparison of that decimal with
// the stored units is exact, whatever the magnitude. Infinite bounds compare
// as infinities: Ge(+Inf) matches nobody, Le(+Inf) everybody with a value.
func (f Decimal) compare(op string, x float64) Pred {
	if math.IsNaN(x) {
		return invalidPred(f.spec(), op+" NaN", x, "a bound must be a number, not NaN")
	}
	return comparePred(f.spec(), op, f.bound(x), bound{}, op+" "+formatBound(x))
}

// bound returns x in stored units.
func (f Decimal) bound(x float64) bound {
	switch {
	case math.IsInf(x, 1):
		return bound{inf: 1}
	case math.IsInf(x, -1):
		return bound{inf: -1}
	}
	return bound{r: f.rat(x)}
}

// formatBound prints a float64 bound as the text form reads it: the
// shortest decimal, or +Inf and -Inf.
func formatBound(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "+Inf"
	case math.IsInf(x, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// rat returns x in stored units: the shortest decimal of x times 10^scale.
func (f Decimal) rat(x float64) *big.Rat {
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(x, 'g', -1, 64))
	if !ok {
		panic("segment: FormatFloat printed an unreadable number") // unreachable for finite x
	}
	return r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(f.scale)), nil)))
}

// Eq matches the customers whose value equals v: nobody when v has more
// decimals than the field's scale (see Ge for how v is read) or is infinite.
// A NaN v gives a predicate that matches nobody and whose Err says why; so
// do NaN bounds of the other comparisons.
func (f Decimal) Eq(v float64) Pred { return f.compare("=", v) }

// Lt matches the customers whose value is < v.
func (f Decimal) Lt(v float64) Pred { return f.compare("<", v) }

// Le matches the customers whose value is <= v.
func (f Decimal) Le(v float64) Pred { return f.compare("<=", v) }

// Gt matches the customers whose value is > v.
func (f Decimal) Gt(v float64) Pred { return f.compare(">", v) }

// Ge matches the customers whose value is >= v. The bound v stands for the
// shortest decimal that converts back to it, as strconv.FormatFloat(v, 'g',
// -1, 64) prints it: Ge(0.1) includes a stored 0.1, Ge(12.345) at scale 2
// starts at 12.35, and Ge(x) selects what the text form "field >= x"
// selects. The comparison is exact at any magnitude. Ge(-Inf) matches every
// customer with a value, Ge(+Inf) nobody.
func (f Decimal) Ge(v float64) Pred { return f.compare(">=", v) }

// Between matches the customers whose value is in [lo, hi], both included,
// with bounds read as Ge reads them; infinite bounds are open. A NaN bound,
// or lo above hi, gives a predicate that matches nobody and whose Err says
// why.
func (f Decimal) Between(lo, hi float64) Pred {
	text := "between " + formatBound(lo) + " and " + formatBound(hi)
	switch {
	case math.IsNaN(lo) || math.IsNaN(hi):
		return invalidPred(f.spec(), text, lo+hi, "bounds must be numbers, not NaN")
	case lo > hi:
		return invalidPred(f.spec(), text, lo, fmt.Sprintf("the lower bound is above the upper bound %s", formatBound(hi)))
	}
	return comparePred(f.spec(), "between", f.bound(lo), f.bound(hi), text)
}

// Known matches the customers that have a value.
func (f Decimal) Known() Pred { return known(f.spec()) }

// Missing matches the live customers that have no value.
func (f Decimal) Missing() Pred { return missing(f.spec()) }
