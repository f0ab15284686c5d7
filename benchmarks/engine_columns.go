package benchmarks

import (
	"math/bits"
	"slices"
)

// Columns is engine (b): a columnar scan, one slice per field. A clause is
// evaluated term by term: the first term scans its column into a selection
// vector of IDs, every further term filters that vector; the clauses of an
// or are merged. Categories bought are a 32-bit mask per customer.
type Columns struct {
	country, gender, age []int8
	active               []bool
	bought               []uint32
	income               []int64
	purchases, lastDay   []uint16
}

// Name returns "columns".
func (e *Columns) Name() string { return "columns" }

// Build copies the rows into one slice per field.
func (e *Columns) Build(d *Data) error {
	n := len(d.Rows)
	e.country, e.gender, e.age = make([]int8, n), make([]int8, n), make([]int8, n)
	e.active, e.bought, e.income = make([]bool, n), make([]uint32, n), make([]int64, n)
	e.purchases, e.lastDay = make([]uint16, n), make([]uint16, n)
	for i := range d.Rows {
		c := &d.Rows[i]
		e.country[i], e.gender[i], e.age[i] = int8(c.Country), c.Gender, c.Age
		e.active[i], e.income[i] = c.Active, c.Income
		e.purchases[i], e.lastDay[i] = c.Purchases, c.LastDay
		for _, k := range c.Bought[:c.NBought] {
			e.bought[i] |= 1 << k
		}
	}
	return nil
}

// match reports whether customer i matches t.
func (e *Columns) match(t *Term, i uint32) bool {
	var m bool
	switch t.Op {
	case CountryIn:
		m = slices.Contains(t.Vals, uint8(e.country[i]))
	case GenderEq:
		m = e.gender[i] == int8(t.Vals[0]) // Missing is -1, never a code
	case AgeBetween:
		a := int64(e.age[i])
		m = a >= t.Lo && a <= t.Hi && a != Missing
	case Has:
		m = e.bought[i]&(1<<t.Vals[0]) != 0
	case Active:
		m = e.active[i]
	case IncomeGt:
		m = e.income[i] > t.Lo
	case PurchasesGe:
		m = int64(e.purchases[i]) >= t.Lo
	case LastDayBetween:
		d := int64(e.lastDay[i])
		m = d >= t.Lo && d <= t.Hi
	}
	return m != t.Not
}

// scan returns the IDs of all customers matching t, with a loop
// specialised per operation.
func (e *Columns) scan(t *Term) []uint32 {
	var out []uint32
	add := func(i int, m bool) {
		if m != t.Not {
			out = append(out, uint32(i))
		}
	}
	switch t.Op {
	case CountryIn:
		var in [256]bool
		for _, v := range t.Vals {
			in[v] = true
		}
		for i, c := range e.country {
			add(i, in[uint8(c)])
		}
	case GenderEq:
		g := int8(t.Vals[0])
		for i, v := range e.gender {
			add(i, v == g)
		}
	case AgeBetween:
		for i, v := range e.age {
			a := int64(v)
			add(i, a >= t.Lo && a <= t.Hi && a != Missing)
		}
	case Has:
		bit := uint32(1) << t.Vals[0]
		for i, v := range e.bought {
			add(i, v&bit != 0)
		}
	case Active:
		for i, v := range e.active {
			add(i, v)
		}
	case IncomeGt:
		for i, v := range e.income {
			add(i, v > t.Lo)
		}
	case PurchasesGe:
		for i, v := range e.purchases {
			add(i, int64(v) >= t.Lo)
		}
	case LastDayBetween:
		for i, v := range e.lastDay {
			add(i, int64(v) >= t.Lo && int64(v) <= t.Hi)
		}
	}
	return out
}

func (e *Columns) clause(cl []Term) []uint32 {
	sel := e.scan(&cl[0])
	for j := 1; j < len(cl) && len(sel) > 0; j++ {
		t := &cl[j]
		k := 0
		for _, i := range sel {
			if e.match(t, i) {
				sel[k] = i
				k++
			}
		}
		sel = sel[:k]
	}
	return sel
}

func (e *Columns) eval(q *Query) []uint32 {
	out := e.clause(q.Clauses[0])
	for _, cl := range q.Clauses[1:] {
		out = union(out, e.clause(cl))
	}
	return out
}

// union merges two sorted ID slices.
func union(a, b []uint32) []uint32 {
	out := make([]uint32, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			out = append(out, a[i])
			i++
		case a[i] > b[j]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i, j = i+1, j+1
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// Count returns the length of the selection vector.
func (e *Columns) Count(q *Query) uint64 { return uint64(len(e.eval(q))) }

// Members returns the selection vector.
func (e *Columns) Members(q *Query) Result { return Slice(e.eval(q)) }

// Cube scans the country, age and bought columns once.
func (e *Columns) Cube() []uint64 {
	cube := make([]uint64, CubeCells)
	for i, a := range e.age {
		if a == Missing {
			continue
		}
		base := CubeCell(uint8(e.country[i]), a, 0)
		for m := e.bought[i]; m != 0; m &= m - 1 {
			cube[base+trailingZeros(m)]++
		}
	}
	return cube
}

// Bytes returns the size of the columns.
func (e *Columns) Bytes() int64 { return int64(len(e.age)) * (1 + 1 + 1 + 1 + 4 + 8 + 2 + 2) }

// Close does nothing.
func (e *Columns) Close() error { return nil }

func trailingZeros(m uint32) int { return bits.TrailingZeros32(m) }
