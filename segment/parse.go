package segment

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Errors of Parse, wrapped in a *ParseError that says where and what.
var (
	// ErrSyntax: the text does not follow the grammar.
	ErrSyntax = errors.New("syntax error")
	// ErrUnknownField: the text names a field the schema does not have.
	ErrUnknownField = errors.New("unknown field")
	// ErrType: an operator or a value does not fit its field's kind or type.
	ErrType = errors.New("wrong type")
)

// ParseError is the error of Parse: where in the text (1-based line and
// column, counted in characters), what was found there and what was
// expected. Err is ErrSyntax, ErrUnknownField or ErrType.
type ParseError struct {
	Line, Col int
	Found     string
	Expected  string
	Err       error
}

// Error returns a message such as
// `segment: parse 1:9: syntax error: found ")", expected a value`.
func (e *ParseError) Error() string {
	return fmt.Sprintf("segment: parse %d:%d: %v: found %s, expected %s", e.Line, e.Col, e.Err, e.Found, e.Expected)
}

// Unwrap returns the sentinel error.
func (e *ParseError) Unwrap() error { return e.Err }

// Schema is what Parse resolves field names against: a *Base (its fields)
// or Fields(...) (fields declared in code). It is sealed.
type Schema interface {
	lookupSpec(name string) (fieldSpec, bool)
	specNames() []string
}

func (b *Base) lookupSpec(name string) (fieldSpec, bool) {
	if c := b.col(name); c != nil {
		return c.spec, true
	}
	return fieldSpec{}, false
}

func (b *Base) specNames() []string {
	out := make([]string, len(b.cols))
	for i, c := range b.cols {
		out[i] = c.spec.name
	}
	return out
}

type fieldList []fieldSpec

// Fields returns a Schema of the given field handles. When two share a
// name, the first wins.
func Fields(fs ...Field) Schema {
	out := make(fieldList, 0, len(fs))
	for _, f := range fs {
		if _, ok := out.lookupSpec(f.Name()); !ok {
			out = append(out, f.spec())
		}
	}
	return out
}

func (l fieldList) lookupSpec(name string) (fieldSpec, bool) {
	for _, s := range l {
		if s.name == name {
			return s, true
		}
	}
	return fieldSpec{}, false
}

func (l fieldList) specNames() []string {
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = s.name
	}
	return out
}

// maxDepth bounds the nesting of parentheses and not, so that hostile input
// cannot exhaust the stack.
const maxDepth = 200

// maxNumberLen bounds the length of a number literal of an Int, Decimal or
// Time field: no stored value needs more.
const maxNumberLen = 64

// Parse parses the text form of a predicate, as Pred.String prints it,
// against the fields of schema. Parse(p.String(), schema) matches the same
// customers as p whenever p's fields belong to schema.
//
// The grammar, lowest precedence first (keywords are case-insensitive):
//
//	expr    = and { "or" and }
//	and     = unary { "and" unary }
//	unary   = "not" unary | "(" expr ")" | "all" | "none" | test
//	test    = field "known" | field "missing"
//	        | field ("=" | "!=" | "<" | "<=" | ">" | ">=") value
//	        | field "between" value "and" value
//	        | field "in" list
//	        | field "has" value | field "has" ("any" | "all") list
//	list    = "(" [ value { "," value } ] ")"
//	field   = name | "`" name with “ for a back quote "`"
//	value   = "Go string" | integer | decimal | true | false | RFC 3339 time
//
// Cat fields take =, !=, in; Set fields take has, has any, has all; Int,
// Decimal and Time fields take the comparisons and between; Flag fields take
// = and != with true or false. Every field takes known and missing. A Time
// value is an RFC 3339 time ("2024-01-31T00:00:00Z", with an optional
// fraction and offset) or an integer of Unix seconds. Errors are
// *ParseError values.
func Parse(text string, schema Schema) (Pred, error) {
	p := &parser{lx: newLexer(text), schema: schema}
	if err := p.advance(); err != nil {
		return Pred{}, err
	}
	pred, err := p.expr(0)
	if err != nil {
		return Pred{}, err
	}
	if p.tok.kind != tEOF {
		return Pred{}, p.syntax("\"and\", \"or\" or the end of input")
	}
	return pred, nil
}

type parser struct {
	lx     *lexer
	tok    token
	schema Schema
}

func (p *parser) advance() error {
	t, err := p.lx.next()
	p.tok = t
	return err
}

func (p *parser) errAt(t token, err error, expected string) *ParseError {
	return &ParseError{Line: t.line, Col: t.col, Found: t.found(), Expected: expected, Err: err}
}

func (p *parser) syntax(expected string) error { return p.errAt(p.tok, ErrSyntax, expected) }

// is reports whether the current token is the keyword kw.
func (p *parser) is(kw string) bool { return p.tok.kind == tIdent && strings.EqualFold(p.tok.text, kw) }

func (p *parser) isPunct(s string) bool { return p.tok.kind == tPunct && p.tok.text == s }

func (p *parser) expect(punct string) error {
	if !p.isPunct(punct) {
		return p.syntax(strconv.Quote(punct))
	}
	return p.advance()
}

func (p *parser) expr(depth int) (Pred, error) {
	var kids []Pred
	for {
		k, err := p.and(depth)
		if err != nil {
			return Pred{}, err
		}
		kids = append(kids, k)
		if !p.is("or") {
			return Or(kids...), nil
		}
		if err := p.advance(); err != nil {
			return Pred{}, err
		}
	}
}

func (p *parser) and(depth int) (Pred, error) {
	var kids []Pred
	for {
		k, err := p.unary(depth)
		if err != nil {
			return Pred{}, err
		}
		kids = append(kids, k)
		if !p.is("and") {
			return And(kids...), nil
		}
		if err := p.advance(); err != nil {
			return Pred{}, err
		}
	}
}

func (p *parser) unary(depth int) (Pred, error) {
	if depth >= maxDepth {
		return Pred{}, p.syntax(fmt.Sprintf("at most %d nested parentheses and nots", maxDepth))
	}
	switch {
	case p.is("not"):
		if err := p.advance(); err != nil {
			return Pred{}, err
		}
		k, err := p.unary(depth + 1)
		if err != nil {
			return Pred{}, err
		}
		return Not(k), nil
	case p.isPunct("("):
		if err := p.advance(); err != nil {
			return Pred{}, err
		}
		k, err := p.expr(depth + 1)
		if err != nil {
			return Pred{}, err
		}
		return k, p.expect(")")
	case p.is("all"), p.is("none"):
		all := p.is("all")
		if err := p.advance(); err != nil {
			return Pred{}, err
		}
		if all {
			return All(), nil
		}
		return None(), nil
	}
	return p.test()
}

// test parses one field test.
func (p *parser) test() (Pred, error) {
	ft := p.tok
	if ft.kind != tQuoted && (ft.kind != tIdent || isKeyword(ft.text)) {
		return Pred{}, p.syntax("a field name, \"not\", \"(\", \"all\" or \"none\"")
	}
	spec, ok := p.schema.lookupSpec(ft.text)
	if !ok {
		names := p.schema.specNames()
		slices.Sort(names)
		return Pred{}, p.errAt(ft, ErrUnknownField, "a field of the schema ("+listNames(names)+")")
	}
	if err := p.advance(); err != nil {
		return Pred{}, err
	}
	op := p.tok
	switch {
	case p.is("known"), p.is("missing"):
		kn := p.is("known")
		if err := p.advance(); err != nil {
			return Pred{}, err
		}
		if kn {
			return known(spec), nil
		}
		return missing(spec), nil
	}
	want := opsOf(spec)
	opName := strings.ToLower(op.text)
	if op.kind != tPunct && op.kind != tIdent || !slices.Contains(strings.Split(want, ", "), strconv.Quote(opName)) {
		if op.kind == tPunct || op.kind == tIdent && isKeyword(op.text) {
			return Pred{}, p.errAt(op, ErrType, want+", \"known\" or \"missing\" for "+spec.title())
		}
		return Pred{}, p.errAt(op, ErrSyntax, want+", \"known\" or \"missing\" after field "+strconv.Quote(spec.name))
	}
	if err := p.advance(); err != nil {
		return Pred{}, err
	}
	switch spec.kind {
	case KindCat, KindSet:
		return p.valueTest(spec, opName)
	}
	return p.numberTest(spec, opName)
}

func listNames(names []string) string {
	if len(names) == 0 {
		return "it has none"
	}
	if len(names) > 12 {
		names = append(names[:12:12], "...")
	}
	return strings.Join(names, ", ")
}

// opsOf lists the operators a field takes, quoted, comma-separated.
func opsOf(s fieldSpec) string {
	switch s.kind {
	case KindCat:
		return `"=", "!=", "in"`
	case KindSet:
		return `"has"`
	case KindFlag:
		return `"=", "!="`
	}
	return `"=", "!=", "<", "<=", ">", ">=", "between"`
}

func (s fieldSpec) title() string {
	return fmt.Sprintf("%s field %q", s.describe(), s.name)
}

var keywords = []string{"and", "or", "not", "in", "has", "any", "all", "none", "between", "known", "missing", "true", "false"}

func isKeyword(s string) bool {
	for _, k := range keywords {
		if strings.EqualFold(s, k) {
			return true
		}
	}
	return false
}

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
// its operator.
func (p *parser) numberTest(spec fieldSpec, op string) (Pred, error) {
	a, err := p.number(spec)
	if err != nil {
		return Pred{}, err
	}
	var b *big.Rat
	if op == "between" {
		if !p.is("and") {
			return Pred{}, p.syntax("\"and\" in \"between ... and ...\"")
		}
		if err := p.advance(); err != nil {
			return Pred{}, err
		}
		if b, err = p.number(spec); err != nil {
			return Pred{}, err
		}
	}
	return comparePred(spec, op, a, b), nil
}

// number parses a value of an Int, Decimal, Time or Flag field as the exact
// stored integer it stands for, possibly with a fraction.
func (p *parser) number(spec fieldSpec) (*big.Rat, error) {
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
	case kind == KindDecimal:
		ok = t.kind == tNumber && !strings.ContainsAny(t.text, "eEiInN")
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
				ns := new(big.Int).Mul(big.NewInt(tm.Unix()), big.NewInt(1e9))
				r.SetFrac(ns.Add(ns, big.NewInt(int64(tm.Nanosecond()))), big.NewInt(1e9))
			}
		case tNumber:
			if ok = !strings.ContainsAny(t.text, ".eEiInN"); ok {
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
		return nil, p.errAt(t, err, what+" for "+spec.title())
	}
	return r, p.advance()
}

var (
	minInt = big.NewInt(math.MinInt64)
	maxInt = big.NewInt(math.MaxInt64)
)

// comparePred builds the predicate "stored value op a" (or between a and b)
// over the exact rational bounds a and b.
func comparePred(spec fieldSpec, op string, a, b *big.Rat) Pred {
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
	one := big.NewInt(1)
	var lo, hi *big.Int // nil: unbounded
	switch op {
	case "=":
		lo, hi = ceil(a), floor(a)
	case "!=":
		if !a.IsInt() || a.Num().Cmp(minInt) < 0 || a.Num().Cmp(maxInt) > 0 {
			return known(spec)
		}
		v := a.Num().Int64()
		return leafPred(&leaf{spec: spec, op: opNe, lo: v, hi: v})
	case "<":
		hi = new(big.Int).Sub(ceil(a), one)
	case "<=":
		hi = floor(a)
	case ">":
		lo = new(big.Int).Add(floor(a), one)
	case ">=":
		lo = ceil(a)
	case "between":
		lo, hi = ceil(a), floor(b)
	}
	l, h := int64(math.MinInt64), int64(math.MaxInt64)
	if lo != nil {
		if lo.Cmp(maxInt) > 0 {
			return None()
		}
		if lo.Cmp(minInt) > 0 {
			l = lo.Int64()
		}
	}
	if hi != nil {
		if hi.Cmp(minInt) < 0 {
			return None()
		}
		if hi.Cmp(maxInt) < 0 {
			h = hi.Int64()
		}
	}
	return rangePred(spec, l, h)
}
