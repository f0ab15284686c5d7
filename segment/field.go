package segment

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Kind is the kind of a field: how its values are stored and which
// predicates it offers.
type Kind uint8

// The kinds of field.
const (
	KindInvalid Kind = iota
	KindCat          // one comparable value per customer; a bitmap per value
	KindSet          // any number of comparable values per customer
	KindInt          // an int64 per customer; a bit-sliced index
	KindDecimal      // a fixed-point number: an int64 count of 10^-scale units
	KindFlag         // a bool per customer
	KindTime         // a point in time, stored as Unix seconds
)

var kindNames = [...]string{"invalid", "cat", "set", "int", "decimal", "flag", "time"}

// String returns the kind's name: "cat", "set", "int", "decimal", "flag" or
// "time".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Field is implemented by every field handle: Cat, Set, Int, Decimal, Flag
// and Time. It is sealed: other packages cannot implement it.
type Field interface {
	// Name returns the field's name.
	Name() string
	// Kind returns the field's kind.
	Kind() Kind
	// Known matches the customers that have a value for the field.
	Known() Pred
	// Missing matches the live customers that have no value for the field.
	Missing() Pred
	spec() fieldSpec
}

// fieldSpec is what a base records of a field: the schema entry.
type fieldSpec struct {
	name  string
	kind  Kind
	vtype any // identity of V for Cat[V] and Set[V]: a nil *V
	scale int // decimal places of a Decimal
}

func (s fieldSpec) sameAs(o fieldSpec) bool {
	return s.kind == o.kind && s.vtype == o.vtype && s.scale == o.scale
}

func (s fieldSpec) describe() string {
	switch s.kind {
	case KindCat, KindSet:
		return fmt.Sprintf("%s[%s]", s.kind, typeName(s.vtype))
	case KindDecimal:
		return fmt.Sprintf("decimal(scale %d)", s.scale)
	}
	return s.kind.String()
}

// typeName returns the name of V for a vtype that is a nil *V.
func typeName(vtype any) string {
	s := fmt.Sprintf("%T", vtype)
	if len(s) > 0 && s[0] == '*' {
		s = s[1:]
	}
	return s
}

func known(s fieldSpec) Pred   { return leafPred(&leaf{spec: s, op: opKnown}) }
func missing(s fieldSpec) Pred { return leafPred(&leaf{spec: s, op: opMissing}) }

// Value is one field's value for one customer, made by a field's Value or
// Values method and passed to Builder.Add or Batch.Set. The zero Value is
// invalid and rejected with ErrInvalidValue.
type Value struct {
	spec fieldSpec
	one  any      // Cat of a V other than string
	many []any    // Set of a V other than string and uint8
	str  string   // Cat[string], unboxed; Set[uint8], the values as bytes
	strs []string // Set[string], unboxed
	n    int64    // Int, Decimal, Time, Flag (0 or 1)
	err  *valueError
}

// stringVType is the vtype of Cat[string] and Set[string], whose values a
// Value holds unboxed (str, strs).
var stringVType any = (*string)(nil)

// cat returns the value of a Cat Value.
func (v Value) cat() any {
	if v.spec.vtype == stringVType {
		return v.str
	}
	return v.one
}

// set returns the values of a Set Value.
func (v Value) set() []any {
	if v.spec.vtype == stringVType {
		return anys(v.strs)
	}
	if byteSet(v.spec) {
		return anys([]uint8(v.str))
	}
	return v.many
}

// byteSet reports whether s is a Set[uint8], whose values a Value holds as
// the bytes of str.
func byteSet(s fieldSpec) bool {
	_, ok := s.vtype.(*uint8)
	return ok && s.kind == KindSet
}

// Field returns the name of the value's field.
func (v Value) Field() string { return v.spec.name }

// Cat is a categorical field: each customer has at most one value of type V
// (country, gender, plan, industry). V is the caller's type; values are
// compared with ==. Floating-point NaN values are rejected, and so are
// values that == cannot compare when V is an interface type (a slice in a
// Cat[any]): Add rejects such a Value with ErrInvalidValue, and Eq, Ne and
// In given one return a predicate that matches nobody and whose Err says
// why. The same holds for Set.
type Cat[V comparable] struct{ name string }

// NewCat declares a categorical field. The same name may be declared again
// anywhere with the same V; a name used with two kinds or value types in one
// base is an error (ErrKindConflict).
func NewCat[V comparable](name string) Cat[V] { return Cat[V]{name: name} }

// Name returns the field's name.
func (f Cat[V]) Name() string { return f.name }

// Kind returns KindCat.
func (f Cat[V]) Kind() Kind { return KindCat }

func (f Cat[V]) spec() fieldSpec { return fieldSpec{name: f.name, kind: KindCat, vtype: (*V)(nil)} }

// Value returns the value v for this field.
func (f Cat[V]) Value(v V) Value {
	if _, ok := any((*V)(nil)).(*string); ok { // V is string (not any holding one)
		return Value{spec: f.spec(), str: any(v).(string)} // always comparable, never NaN
	}
	val := Value{spec: f.spec(), one: v}
	if msg := uncomparable(v); msg != "" {
		val.err = &valueError{value: v, err: ErrInvalidValue, msg: msg}
	} else if isNaN(v) {
		val.err = &valueError{value: v, err: ErrInvalidValue, msg: "NaN is not a category"}
	}
	return val
}

// Eq matches the customers whose value is v.
func (f Cat[V]) Eq(v V) Pred { return valuesPred(f.spec(), opIn, "=", []V{v}) }

// Ne matches the customers that have a value and it is not v. Unlike
// Not(f.Eq(v)), it excludes customers with no value.
func (f Cat[V]) Ne(v V) Pred { return valuesPred(f.spec(), opNe, "!=", []V{v}) }

// In matches the customers whose value is any of vs. In() matches nobody.
func (f Cat[V]) In(vs ...V) Pred {
	return valuesPred(f.spec(), opIn, "in", vs)
}

// Known matches the customers that have a value.
func (f Cat[V]) Known() Pred { return known(f.spec()) }

// Missing matches the live customers that have no value.
func (f Cat[V]) Missing() Pred { return missing(f.spec()) }

// Set is a multi-valued field: each customer has any number of distinct
// values of type V (products bought, interests, channels). A customer with
// no values has no value: Missing matches them.
type Set[V comparable] struct{ name string }

// NewSet declares a multi-valued field.
func NewSet[V comparable](name string) Set[V] { return Set[V]{name: name} }

// Name returns the field's name.
func (f Set[V]) Name() string { return f.name }

// Kind returns KindSet.
func (f Set[V]) Kind() Kind { return KindSet }

func (f Set[V]) spec() fieldSpec { return fieldSpec{name: f.name, kind: KindSet, vtype: (*V)(nil)} }

// Values returns the values vs for this field; repeated values count once.
// Values() with no arguments gives the customer no value.
func (f Set[V]) Values(vs ...V) Value {
	switch any((*V)(nil)).(type) {
	case *string:
		return Value{spec: f.spec(), strs: slices.Clone(any(vs).([]string))}
	case *uint8: // one small allocation without pointers, not an interface per value
		return Value{spec: f.spec(), str: string(any(vs).([]uint8))}
	}
	val := Value{spec: f.spec(), many: anys(vs)}
	for _, v := range vs {
		if msg := uncomparable(v); msg != "" {
			val.err = &valueError{value: v, err: ErrInvalidValue, msg: msg}
			break
		}
		if isNaN(v) {
			val.err = &valueError{value: v, err: ErrInvalidValue, msg: "NaN is not a set value"}
		}
	}
	return val
}

// Has matches the customers whose values include v.
func (f Set[V]) Has(v V) Pred { return valuesPred(f.spec(), opIn, "has", []V{v}) }

// HasAny matches the customers whose values include any of vs.
func (f Set[V]) HasAny(vs ...V) Pred {
	return valuesPred(f.spec(), opIn, "has any", vs)
}

// HasAll matches the customers whose values include every one of vs.
// HasAll() matches every customer with a value.
func (f Set[V]) HasAll(vs ...V) Pred {
	return valuesPred(f.spec(), opHasAll, "has all", vs)
}

// Known matches the customers with at least one value.
func (f Set[V]) Known() Pred { return known(f.spec()) }

// Missing matches the live customers with no value.
func (f Set[V]) Missing() Pred { return missing(f.spec()) }

// Int is an integer field over the full int64 range (age, purchase count,
// money in minor units such as cents). Its values are indexed in a
// bit-sliced index, so every range predicate is a few bitmap operations per
// bit of the values' spread.
type Int struct {
	name   string
	lo, hi int64
}

// NewInt declares an integer field that accepts any int64.
func NewInt(name string) Int { return Int{name: name, lo: math.MinInt64, hi: math.MaxInt64} }

// NewIntRange declares an integer field that accepts only values in
// [lo, hi]; others are rejected with ErrOutOfRange. The bounds belong to the
// handle, not to the base.
func NewIntRange(name string, lo, hi int64) Int { return Int{name: name, lo: lo, hi: hi} }

// Name returns the field's name.
func (f Int) Name() string { return f.name }

// Kind returns KindInt.
func (f Int) Kind() Kind { return KindInt }

func (f Int) spec() fieldSpec { return fieldSpec{name: f.name, kind: KindInt} }

// Value returns the value v for this field.
func (f Int) Value(v int64) Value {
	val := Value{spec: f.spec(), n: v}
	if v < f.lo || v > f.hi {
		val.err = &valueError{value: v, err: ErrOutOfRange, msg: fmt.Sprintf("want [%d, %d]", f.lo, f.hi)}
	}
	return val
}

// Eq matches the customers whose value is v.
func (f Int) Eq(v int64) Pred { return f.cmp("=", v) }

// Ne matches the customers that have a value and it is not v.
func (f Int) Ne(v int64) Pred { return f.cmp("!=", v) }

// Lt matches the customers whose value is < v.
func (f Int) Lt(v int64) Pred { return f.cmp("<", v) }

// Le matches the customers whose value is <= v.
func (f Int) Le(v int64) Pred { return f.cmp("<=", v) }

// Gt matches the customers whose value is > v.
func (f Int) Gt(v int64) Pred { return f.cmp(">", v) }

// Ge matches the customers whose value is >= v.
func (f Int) Ge(v int64) Pred { return f.cmp(">=", v) }

// Between matches the customers whose value is in [lo, hi], both included.
// lo above hi gives a predicate that matches nobody and whose Err says why.
func (f Int) Between(lo, hi int64) Pred {
	text := fmt.Sprintf("between %d and %d", lo, hi)
	if lo > hi {
		return invalidPred(f.spec(), text, lo, fmt.Sprintf("the lower bound is above the upper bound %d", hi))
	}
	return comparePred(f.spec(), "between", intBound(lo), intBound(hi), text)
}

// cmp builds "value op v", printed as written.
func (f Int) cmp(op string, v int64) Pred {
	return comparePred(f.spec(), op, intBound(v), bound{}, op+" "+strconv.FormatInt(v, 10))
}

func intBound(v int64) bound { return bound{r: new(big.Rat).SetInt64(v)} }

// Known matches the customers that have a value.
func (f Int) Known() Pred { return known(f.spec()) }

// Missing matches the live customers that have no value.
func (f Int) Missing() Pred { return missing(f.spec()) }

// Flag is a boolean field (active, subscribed, opted in).
type Flag struct{ name string }

// NewFlag declares a boolean field.
func NewFlag(name string) Flag { return Flag{name: name} }

// Name returns the field's name.
func (f Flag) Name() string { return f.name }

// Kind returns KindFlag.
func (f Flag) Kind() Kind { return KindFlag }

func (f Flag) spec() fieldSpec { return fieldSpec{name: f.name, kind: KindFlag} }

// Value returns the value v for this field.
func (f Flag) Value(v bool) Value {
	val := Value{spec: f.spec()}
	if v {
		val.n = 1
	}
	return val
}

// True matches the customers whose value is true.
func (f Flag) True() Pred {
	return leafPred(&leaf{spec: f.spec(), op: opRange, lo: 1, hi: 1, text: "= true"})
}

// False matches the customers whose value is false. Customers with no value
// are in neither True nor False.
func (f Flag) False() Pred {
	return leafPred(&leaf{spec: f.spec(), op: opRange, lo: 0, hi: 0, text: "= false"})
}

// Known matches the customers that have a value.
func (f Flag) Known() Pred { return known(f.spec()) }

// Missing matches the live customers that have no value.
func (f Flag) Missing() Pred { return missing(f.spec()) }

// Time is a timestamp field (signup, last purchase, last visit), stored with
// a resolution of one second as Unix seconds: the sub-second part of a
// value is dropped (rounding toward the past). Predicate bounds keep their
// fraction and compare exactly with the stored seconds: Before(12:00:00.5)
// includes a stored 12:00:00. The library never reads the clock:
// relative windows take an explicit asOf.
type Time struct{ name string }

// NewTime declares a timestamp field.
func NewTime(name string) Time { return Time{name: name} }

// Name returns the field's name.
func (f Time) Name() string { return f.name }

// Kind returns KindTime.
func (f Time) Kind() Kind { return KindTime }

func (f Time) spec() fieldSpec { return fieldSpec{name: f.name, kind: KindTime} }

// Value returns the value t for this field. The zero time.Time is rejected
// with ErrInvalidValue: leave the value out for a customer without one.
func (f Time) Value(t time.Time) Value {
	val := Value{spec: f.spec(), n: t.Unix()}
	if t.IsZero() {
		val.err = &valueError{value: t, err: ErrInvalidValue, msg: "zero time; omit the value when it is missing"}
	}
	return val
}

// Before matches the customers whose time is strictly before t.
func (f Time) Before(t time.Time) Pred { return f.cmp("<", t) }

// After matches the customers whose time is strictly after t.
func (f Time) After(t time.Time) Pred { return f.cmp(">", t) }

// Between matches the customers whose time is in [from, to], both included.
// from after to gives a predicate that matches nobody and whose Err says
// why.
func (f Time) Between(from, to time.Time) Pred {
	text := "between " + formatTime(from) + " and " + formatTime(to)
	a, b := bound{r: timeRat(from)}, bound{r: timeRat(to)}
	if a.cmp(b) > 0 {
		return invalidPred(f.spec(), text, from, "the start is after the end "+formatTime(to))
	}
	return comparePred(f.spec(), "between", a, b, text)
}

// cmp builds "value op t", printed as written.
func (f Time) cmp(op string, t time.Time) Pred {
	return comparePred(f.spec(), op, bound{r: timeRat(t)}, bound{}, op+" "+formatTime(t))
}

// formatTime prints a time bound as the text form reads it: RFC 3339 in
// UTC with the fraction it has, or Unix seconds (with the fraction)
// outside the years 1-9999.
func formatTime(t time.Time) string {
	if y := t.UTC().Year(); y >= 1 && y <= 9999 {
		return t.UTC().Format(time.RFC3339Nano)
	}
	if t.Nanosecond() == 0 {
		return strconv.FormatInt(t.Unix(), 10)
	}
	return strings.TrimRight(timeRat(t).FloatString(9), "0")
}

// Within matches the customers whose time lies in the window of length d
// that ends at asOf: [asOf-d, asOf], both included. Within(asOf, 30*24*time.Hour)
// is "in the last 30 days as of asOf". It is Between(asOf.Add(-d), asOf),
// and prints as that between; a negative d is an inverted range.
func (f Time) Within(asOf time.Time, d time.Duration) Pred {
	return f.Between(asOf.Add(-d), asOf)
}

// Known matches the customers that have a value.
func (f Time) Known() Pred { return known(f.spec()) }

// Missing matches the live customers that have no value.
func (f Time) Missing() Pred { return missing(f.spec()) }

func anys[V any](vs []V) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

func isNaN[V comparable](v V) bool { return v != v }

// uncomparable says why == cannot compare v, or returns "": v is a slice,
// map or func held in an interface type V such as any (or in a struct or
// array field of one), where == would panic.
func uncomparable[V comparable](v V) string {
	switch any((*V)(nil)).(type) {
	case *string, *int, *int8, *int16, *int32, *int64, *uint, *uint8, *uint16, *uint32, *uint64, *uintptr,
		*bool, *float32, *float64, *complex64, *complex128:
		return "" // the common types, without reflect
	}
	return uncomparableReflect(v)
}

// uncomparableReflect is uncomparable through reflect, apart so that the
// common types do not move v to the heap.
func uncomparableReflect[V comparable](v V) string {
	if mayPanicEq(reflect.TypeFor[V]()) && !reflect.ValueOf(&v).Elem().Comparable() {
		return fmt.Sprintf("a %T value cannot be compared with ==; use a comparable type", any(v))
	}
	return ""
}

// mayPanicEq reports whether == on values of type t can panic: t is or
// holds an interface type.
func mayPanicEq(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Array:
		return mayPanicEq(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if mayPanicEq(t.Field(i).Type) {
				return true
			}
		}
	}
	return false
}

// valuesPred returns the leaf op over vs, or a predicate that matches nobody
// and reports the error when one of vs cannot be compared.
func valuesPred[V comparable](s fieldSpec, op leafOp, verb string, vs []V) Pred {
	for _, v := range vs {
		if msg := uncomparable(v); msg != "" {
			return invalidPred(s, verb+" "+fmt.Sprint(any(v)), any(v), msg)
		}
	}
	return leafPred(&leaf{spec: s, op: op, vals: anys(vs)})
}
