package segment

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Values of the text form: literals converted to a field's Go type, and
// comparisons turned into exact integer ranges.

// valueTest parses the rest of a Cat or Set test after its operator.
func (p *parser) valueTest(spec fieldSpec, op string) (Pred, error) {
	if op == "has" {
		switch {
		case p.is("any"), p.is("all"):
			lop := opIn
			if p.is("all") {
				lop = opHasAll
			}
			if err := p.advance(); err != nil {
				return Pred{}, err
			}
			vals, err := p.list(spec)
			if err != nil {
				return Pred{}, err
			}
			return leafPred(&leaf{spec: spec, op: lop, vals: vals}), nil
		}
	}
	if op == "in" {
		vals, err := p.list(spec)
		if err != nil {
			return Pred{}, err
		}
		return leafPred(&leaf{spec: spec, op: opIn, vals: vals}), nil
	}
	v, err := p.value(spec)
	if err != nil {
		return Pred{}, err
	}
	lop := opIn
	if op == "!=" {
		lop = opNe
	}
	return leafPred(&leaf{spec: spec, op: lop, vals: []any{v}}), nil
}

func (p *parser) list(spec fieldSpec) ([]any, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	vals := []any{}
	for !p.isPunct(")") {
		if len(vals) > 0 {
			if err := p.expect(","); err != nil {
				return nil, p.syntax("\",\" or \")\"")
			}
		}
		v, err := p.value(spec)
		if err != nil {
			return nil, err
		}
		vals = append(vals, v)
	}
	return vals, p.advance()
}

// value parses one value of a Cat or Set field, as the field's Go type.
func (p *parser) value(spec fieldSpec) (any, error) {
	t := p.tok
	rt := reflect.TypeOf(spec.vtype).Elem()
	bad := func(what string) (any, error) {
		if t.kind == tEOF || t.kind == tPunct || t.kind == tIdent && isKeyword(t.text) && !strings.EqualFold(t.text, "true") && !strings.EqualFold(t.text, "false") {
			return nil, p.errAt(t, ErrSyntax, what+" for "+spec.title())
		}
		return nil, p.errAt(t, ErrType, what+" for "+spec.title())
	}
	rv := reflect.New(rt).Elem()
	switch rt.Kind() {
	case reflect.String:
		if t.kind != tString {
			return bad("a \"string\"")
		}
		rv.SetString(t.text)
	case reflect.Bool:
		if t.kind != tIdent || !strings.EqualFold(t.text, "true") && !strings.EqualFold(t.text, "false") {
			return bad("true or false")
		}
		rv.SetBool(strings.EqualFold(t.text, "true"))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(t.text, 10, rt.Bits())
		if t.kind != tNumber || err != nil {
			return bad(fmt.Sprintf("an integer in the range of %s", rt))
		}
		rv.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(t.text, 10, rt.Bits())
		if t.kind != tNumber || err != nil {
			return bad(fmt.Sprintf("an integer in the range of %s", rt))
		}
		rv.SetUint(n)
	case reflect.Float64:
		if t.kind == tIdent && (strings.EqualFold(t.text, "inf") || strings.EqualFold(t.text, "nan")) {
			t.kind = tNumber
		}
		f, err := strconv.ParseFloat(t.text, 64)
		if t.kind != tNumber || err != nil && !errors.Is(err, strconv.ErrRange) {
			return bad("a number")
		}
		rv.SetFloat(f)
	default:
		return nil, p.errAt(t, ErrType, fmt.Sprintf("a field whose values are strings, bools, integers or float64; %s has values of type %s", spec.title(), rt))
	}
	return rv.Interface(), p.advance()
}

// numberTest parses the rest of an Int, Decimal, Time or Flag test after
// its operator. The predicate keeps the test as written, to print it back.
func (p *parser) numberTest(spec fieldSpec, op string) (Pred, error) {
	at := p.tok
	a, err := p.number(spec)
	if err != nil {
		return Pred{}, err
	}
	text := op + " " + at.src
	var b bound
	if op == "between" {
		if !p.is("and") {
			return Pred{}, p.syntax("\"and\" in \"between ... and ...\"")
		}
		if err := p.advance(); err != nil {
			return Pred{}, err
		}
		bt := p.tok
		if b, err = p.number(spec); err != nil {
			return Pred{}, err
		}
		if a.cmp(b) > 0 {
			return Pred{}, p.errAt(bt, ErrInvalidValue, fmt.Sprintf("an upper bound at least the lower bound %s", at.src))
		}
		text += " and " + bt.src
	}
	return comparePred(spec, op, a, b, text), nil
}

// bound is a bound of a comparison in stored units: an exact rational, or
// an infinity (a Decimal's ±Inf).
type bound struct {
	r   *big.Rat
	inf int // -1, +1 for -Inf, +Inf; 0 for r
}

func (a bound) cmp(b bound) int {
	switch {
	case a.inf != 0 || b.inf != 0:
		return cmpInt(a.inf, b.inf)
	}
	return a.r.Cmp(b.r)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// number parses a value of an Int, Decimal, Time or Flag field as the exact
// stored integer it stands for, possibly with a fraction (or, for a
// Decimal, an infinity).
func (p *parser) number(spec fieldSpec) (bound, error) {
	t := p.tok
	r := new(big.Rat)
	ok := false
	what := map[Kind]string{
		KindInt:     "an integer",
		KindDecimal: fmt.Sprintf("a number (up to %d decimals are stored)", spec.scale),
		KindTime:    "an RFC 3339 time such as 2024-01-31T00:00:00Z or Unix seconds",
		KindFlag:    "true or false",
	}[spec.kind]
	switch kind := spec.kind; {
	case len(t.text) > maxNumberLen:
		// too long for any stored value
	case kind == KindInt:
		ok = t.kind == tNumber && !strings.ContainsAny(t.text, ".eE")
		if ok {
			_, ok = r.SetString(t.text)
		}
	case kind == KindDecimal && t.kind == tNumber && len(t.text) == 4 && strings.EqualFold(t.text[1:], "inf"):
		inf := 1
		if t.text[0] == '-' {
			inf = -1
		}
		return bound{inf: inf}, p.advance()
	case kind == KindDecimal:
		ok = t.kind == tNumber && !strings.ContainsAny(t.text, "iInN")
		if ok {
			_, ok = r.SetString(t.text)
		}
		if ok {
			r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(spec.scale)), nil)))
		}
	case kind == KindTime:
		switch t.kind {
		case tTime, tString:
			tm, err := time.Parse(time.RFC3339Nano, t.text)
			if ok = err == nil; ok {
				r = timeRat(tm)
			}
		case tNumber: // Unix seconds, with a fraction or not
			if ok = !strings.ContainsAny(t.text, "eEiInN"); ok {
				_, ok = r.SetString(t.text)
			}
		}
	case kind == KindFlag:
		if ok = t.kind == tIdent && (strings.EqualFold(t.text, "true") || strings.EqualFold(t.text, "false")); ok {
			if strings.EqualFold(t.text, "true") {
				r.SetInt64(1)
			}
		}
	}
	if !ok {
		err := ErrType
		if t.kind == tEOF || t.kind == tPunct || t.kind == tIdent && isKeyword(t.text) && spec.kind != KindFlag {
			err = ErrSyntax
		}
		return bound{}, p.errAt(t, err, what+" for "+spec.title())
	}
	return bound{r: r}, p.advance()
}

// timeRat returns t as exact Unix seconds.
func timeRat(t time.Time) *big.Rat {
	ns := new(big.Int).Mul(big.NewInt(t.Unix()), big.NewInt(1e9))
	return new(big.Rat).SetFrac(ns.Add(ns, big.NewInt(int64(t.Nanosecond()))), big.NewInt(1e9))
}

var (
	minInt = big.NewInt(math.MinInt64)
	maxInt = big.NewInt(math.MaxInt64)
)

// comparePred builds the predicate "stored value op a" (or between a and
// b, a <= b) over exact bounds, as a leaf that prints text after the field
// name. A comparison no stored value passes is a leaf of an empty range,
// not None, so that it prints as written.
func comparePred(spec fieldSpec, op string, a, b bound, text string) Pred {
	leafOf := func(lo, hi int64) Pred {
		return leafPred(&leaf{spec: spec, op: opRange, lo: lo, hi: hi, text: text})
	}
	empty, all := leafOf(1, 0), leafOf(math.MinInt64, math.MaxInt64)
	floor := func(r *big.Rat) *big.Int {
		return new(big.Int).Div(r.Num(), r.Denom()) // Euclidean: floor for a positive denominator
	}
	ceil := func(r *big.Rat) *big.Int {
		q := floor(r)
		if !r.IsInt() {
			q.Add(q, big.NewInt(1))
		}
		return q
	}
	if a.inf != 0 && op != "between" {
		below := a.inf > 0 // every stored value is below a
		switch op {
		case "=":
			return empty
		case "!=":
			return all
		case "<", "<=":
			if below {
				return all
			}
		case ">", ">=":
			if !below {
				return all
			}
		}
		return empty
	}
	one := big.NewInt(1)
	var lo, hi *big.Int // nil: unbounded
	switch op {
	case "=":
		lo, hi = ceil(a.r), floor(a.r)
	case "!=":
		if !a.r.IsInt() || a.r.Num().Cmp(minInt) < 0 || a.r.Num().Cmp(maxInt) > 0 {
			return all
		}
		v := a.r.Num().Int64()
		return leafPred(&leaf{spec: spec, op: opNe, lo: v, hi: v, text: text})
	case "<":
		hi = new(big.Int).Sub(ceil(a.r), one)
	case "<=":
		hi = floor(a.r)
	case ">":
		lo = new(big.Int).Add(floor(a.r), one)
	case ">=":
		lo = ceil(a.r)
	case "between":
		if a.inf > 0 || b.inf < 0 {
			return empty
		}
		if a.inf == 0 {
			lo = ceil(a.r)
		}
		if b.inf == 0 {
			hi = floor(b.r)
		}
	}
	l, h := int64(math.MinInt64), int64(math.MaxInt64)
	if lo != nil {
		if lo.Cmp(maxInt) > 0 {
			return empty
		}
		if lo.Cmp(minInt) > 0 {
			l = lo.Int64()
		}
	}
	if hi != nil {
		if hi.Cmp(minInt) < 0 {
			return empty
		}
		if hi.Cmp(maxInt) < 0 {
			h = hi.Int64()
		}
	}
	return leafOf(l, h)
}
