package segment

import (
	"fmt"
	"math"
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

// units converts a bound, rounding up (ceil) or down.
func (f Decimal) units(x float64, up bool) (int64, bool) {
	if math.IsNaN(x) {
		return 0, false
	}
	u := x * f.pow
	if up {
		u = math.Ceil(u - 1e-9*math.Abs(u))
	} else {
		u = math.Floor(u + 1e-9*math.Abs(u))
	}
	switch {
	case u >= math.MaxInt64:
		return math.MaxInt64, true
	case u <= math.MinInt64:
		return math.MinInt64, true
	}
	return int64(u), true
}

func (f Decimal) between(lo, hi float64) Pred {
	l, ok1 := f.units(lo, true)
	h, ok2 := f.units(hi, false)
	if !ok1 || !ok2 {
		return None()
	}
	return rangePred(f.spec(), l, h)
}

// Eq matches the customers whose value equals v at the field's scale.
func (f Decimal) Eq(v float64) Pred { return f.between(v, v) }

// Lt matches the customers whose value is < v.
func (f Decimal) Lt(v float64) Pred {
	u, ok := f.units(v, true)
	if !ok {
		return None()
	}
	return ltPred(f.spec(), u)
}

// Le matches the customers whose value is <= v.
func (f Decimal) Le(v float64) Pred { return f.between(math.Inf(-1), v) }

// Gt matches the customers whose value is > v.
func (f Decimal) Gt(v float64) Pred {
	u, ok := f.units(v, false)
	if !ok {
		return None()
	}
	return gtPred(f.spec(), u)
}

// Ge matches the customers whose value is >= v.
func (f Decimal) Ge(v float64) Pred { return f.between(v, math.Inf(1)) }

// Between matches the customers whose value is in [lo, hi], both included.
func (f Decimal) Between(lo, hi float64) Pred { return f.between(lo, hi) }

// Known matches the customers that have a value.
func (f Decimal) Known() Pred { return known(f.spec()) }

// Missing matches the live customers that have no value.
func (f Decimal) Missing() Pred { return missing(f.spec()) }
