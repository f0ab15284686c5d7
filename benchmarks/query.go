package benchmarks

import (
	"fmt"
	"slices"
	"strings"
)

// Op is the kind of a Term.
type Op uint8

// The terms every engine understands.
const (
	CountryIn      Op = iota // Country is one of Vals
	GenderEq                 // Gender == Vals[0]; a missing gender does not match
	AgeBetween               // Lo <= Age <= Hi; a missing age does not match
	Has                      // Vals[0] is among the categories bought
	Active                   // Active is true
	IncomeGt                 // Income > Lo
	PurchasesGe              // Purchases >= Lo
	LastDayBetween           // Lo <= LastDay <= Hi
)

// Term is one condition on one field. With Not set it matches every
// customer the condition does not match, including those whose value is
// missing (microseg's set semantics: Not is the base minus the match).
type Term struct {
	Op     Op
	Vals   []uint8
	Lo, Hi int64
	Not    bool
}

// Query is a disjunction of conjunctions: a customer matches when every term
// of at least one clause matches. A clause of only Not terms starts from the
// whole base.
type Query struct {
	Name    string
	Clauses [][]Term
}

// Match reports whether customer c matches t. It is the reference the other
// engines are checked against.
func (t *Term) Match(c *Customer) bool {
	var m bool
	switch t.Op {
	case CountryIn:
		m = slices.Contains(t.Vals, c.Country)
	case GenderEq:
		m = c.Gender != Missing && c.Gender == int8(t.Vals[0])
	case AgeBetween:
		m = c.Age != Missing && int64(c.Age) >= t.Lo && int64(c.Age) <= t.Hi
	case Has:
		m = c.Has(t.Vals[0])
	case Active:
		m = c.Active
	case IncomeGt:
		m = c.Income > t.Lo
	case PurchasesGe:
		m = int64(c.Purchases) >= t.Lo
	case LastDayBetween:
		m = int64(c.LastDay) >= t.Lo && int64(c.LastDay) <= t.Hi
	}
	return m != t.Not
}

// Match reports whether customer c matches q.
func (q *Query) Match(c *Customer) bool {
	for _, cl := range q.Clauses {
		ok := true
		for i := range cl {
			if !cl[i].Match(c) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// String returns q in microseg's text form, for the README.
func (q *Query) String() string {
	var or []string
	for _, cl := range q.Clauses {
		var and []string
		for _, t := range cl {
			and = append(and, t.String())
		}
		or = append(or, strings.Join(and, " and "))
	}
	if len(or) == 1 {
		return or[0]
	}
	return "(" + strings.Join(or, ") or (") + ")"
}

// String returns t in microseg's text form.
func (t Term) String() string {
	var s string
	switch t.Op {
	case CountryIn:
		var vs []string
		for _, v := range t.Vals {
			vs = append(vs, fmt.Sprint(v))
		}
		s = "country in (" + strings.Join(vs, ",") + ")"
	case GenderEq:
		s = fmt.Sprintf("gender = %d", t.Vals[0])
	case AgeBetween:
		s = fmt.Sprintf("age between %d and %d", t.Lo, t.Hi)
	case Has:
		s = fmt.Sprintf("bought has %d", t.Vals[0])
	case Active:
		s = "active = true"
	case IncomeGt:
		s = fmt.Sprintf("income > %d", t.Lo)
	case PurchasesGe:
		s = fmt.Sprintf("purchases >= %d", t.Lo)
	case LastDayBetween:
		s = fmt.Sprintf("lastday between %d and %d", t.Lo, t.Hi)
	}
	if t.Not {
		return "not " + s
	}
	return s
}

// Queries returns the queries of issue 3 for d: Q1, Q2, Q3, Q5sel (under
// 100 members) and Q5broad (over 90% of the base). Q4 is the cube (Cube).
// Thresholds that depend on the data (Q2's 90th percentile, Q5sel's income
// cut) are computed from d, so the queries keep their shape at every N.
func Queries(d *Data) []Query {
	p90 := d.IncomeQuantile(0.9)
	p75 := d.IncomeQuantile(0.75)
	q1 := Query{Name: "Q1", Clauses: [][]Term{{
		{Op: CountryIn, Vals: []uint8{12, 13}},
		{Op: AgeBetween, Lo: 25, Hi: 35},
		{Op: Active},
		{Op: Has, Vals: []uint8{3}},
		{Op: GenderEq, Vals: []uint8{2}, Not: true},
	}}}
	q2 := Query{Name: "Q2", Clauses: [][]Term{
		{{Op: IncomeGt, Lo: p90}},
		{{Op: PurchasesGe, Lo: 10}},
	}}
	q3 := Query{Name: "Q3", Clauses: [][]Term{
		{{Op: CountryIn, Vals: []uint8{0}}, {Op: AgeBetween, Lo: 18, Hi: 24}, {Op: Has, Vals: []uint8{3}}},
		{{Op: CountryIn, Vals: []uint8{1, 2}}, {Op: Active}, {Op: PurchasesGe, Lo: 5}},
		{{Op: GenderEq, Vals: []uint8{1}}, {Op: AgeBetween, Lo: 40, Hi: 49}, {Op: Has, Vals: []uint8{7}}, {Op: Has, Vals: []uint8{8}, Not: true}},
		{{Op: IncomeGt, Lo: p75}, {Op: LastDayBetween, Lo: 0, Hi: 30}},
		{{Op: CountryIn, Vals: []uint8{5, 6, 7}}, {Op: Active, Not: true}, {Op: Has, Vals: []uint8{12}}, {Op: Has, Vals: []uint8{15}}},
	}}
	sel := []Term{
		{Op: CountryIn, Vals: []uint8{20}},
		{Op: AgeBetween, Lo: 30, Hi: 39},
		{Op: Has, Vals: []uint8{4}},
		{Op: Active},
	}
	q5sel := Query{Name: "Q5sel", Clauses: [][]Term{append(sel, Term{Op: IncomeGt, Lo: selectiveCut(d, sel, 50)})}}
	q5broad := Query{Name: "Q5broad", Clauses: [][]Term{{
		{Op: CountryIn, Vals: []uint8{40, 41, 42, 43, 44, 45, 46, 47, 48, 49}, Not: true},
		{Op: PurchasesGe, Lo: 20, Not: true},
	}}}
	return []Query{q1, q2, q3, q5sel, q5broad}
}

// selectiveCut returns the income above which at most k of the customers
// matching every term of cl remain.
func selectiveCut(d *Data, cl []Term, k int) int64 {
	q := Query{Clauses: [][]Term{cl}}
	var inc []int64
	for i := range d.Rows {
		if q.Match(&d.Rows[i]) {
			inc = append(inc, d.Rows[i].Income)
		}
	}
	if len(inc) <= k {
		return 0
	}
	slices.Sort(inc)
	return inc[len(inc)-k]
}

// Q4, the cube: the number of customers in every cell of country × age band
// (ten years: Age/10) × category bought. A customer with a missing age is in
// no cell; one who bought three categories is in three cells.
const (
	NumAgeBands = MaxAge/10 + 1
	CubeCells   = NumCountries * NumAgeBands * NumCategories
)

// CubeCell returns the index of a cell in a cube slice of CubeCells counts.
func CubeCell(country uint8, age int8, cat uint8) int {
	return (int(country)*NumAgeBands+int(age)/10)*NumCategories + int(cat)
}
