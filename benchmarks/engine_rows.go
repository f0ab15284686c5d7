package benchmarks

import "unsafe"

// Rows is engine (a): a hand-written loop over a slice of row structs, what
// a user writes without a library. It keeps the caller's rows (no copy).
// Each query of Queries has its own loop with the condition written out, as
// a user would write it; other queries fall back to Query.Match.
type Rows struct {
	rows []Customer
}

// Name returns "rows".
func (e *Rows) Name() string { return "rows" }

// Build keeps d's rows.
func (e *Rows) Build(d *Data) error { e.rows = d.Rows; return nil }

// scan calls the query's loop; with out nil it only counts.
func (e *Rows) scan(q *Query, out *[]uint32) int {
	switch q.Name {
	case "Q1":
		return e.q1(q, out)
	case "Q2":
		return e.q2(q, out)
	case "Q3":
		return e.q3(q, out)
	case "Q5sel":
		return e.q5sel(q, out)
	case "Q5broad":
		return e.q5broad(q, out)
	}
	n := 0
	for i := range e.rows {
		if q.Match(&e.rows[i]) {
			n++
			if out != nil {
				*out = append(*out, uint32(i))
			}
		}
	}
	return n
}

// Q1: country in (a, b) and age between lo and hi and active and bought has
// k and not gender = g.
func (e *Rows) q1(q *Query, out *[]uint32) int {
	cl := q.Clauses[0]
	ca, cb := cl[0].Vals[0], cl[0].Vals[1]
	lo, hi := int8(cl[1].Lo), int8(cl[1].Hi)
	k, g := cl[3].Vals[0], int8(cl[4].Vals[0])
	n := 0
	for i := range e.rows {
		c := &e.rows[i]
		if (c.Country == ca || c.Country == cb) && c.Age >= lo && c.Age <= hi && c.Active && c.Gender != g && c.Has(k) {
			n++
			if out != nil {
				*out = append(*out, uint32(i))
			}
		}
	}
	return n
}

// Q2: income > x or purchases >= p.
func (e *Rows) q2(q *Query, out *[]uint32) int {
	x, p := q.Clauses[0][0].Lo, uint16(q.Clauses[1][0].Lo)
	n := 0
	for i := range e.rows {
		c := &e.rows[i]
		if c.Income > x || c.Purchases >= p {
			n++
			if out != nil {
				*out = append(*out, uint32(i))
			}
		}
	}
	return n
}

// Q3: five and-clauses, or-ed.
func (e *Rows) q3(q *Query, out *[]uint32) int {
	a, b, c3, d, f := q.Clauses[0], q.Clauses[1], q.Clauses[2], q.Clauses[3], q.Clauses[4]
	aC, aLo, aHi, aK := a[0].Vals[0], int8(a[1].Lo), int8(a[1].Hi), a[2].Vals[0]
	bC1, bC2, bP := b[0].Vals[0], b[0].Vals[1], uint16(b[2].Lo)
	cG, cLo, cHi, cK, cNot := int8(c3[0].Vals[0]), int8(c3[1].Lo), int8(c3[1].Hi), c3[2].Vals[0], c3[3].Vals[0]
	dX, dLo, dHi := d[0].Lo, uint16(d[1].Lo), uint16(d[1].Hi)
	fC1, fC2, fC3, fK1, fK2 := f[0].Vals[0], f[0].Vals[1], f[0].Vals[2], f[2].Vals[0], f[3].Vals[0]
	n := 0
	for i := range e.rows {
		c := &e.rows[i]
		if (c.Country == aC && c.Age >= aLo && c.Age <= aHi && c.Has(aK)) ||
			((c.Country == bC1 || c.Country == bC2) && c.Active && c.Purchases >= bP) ||
			(c.Gender == cG && c.Age >= cLo && c.Age <= cHi && c.Has(cK) && !c.Has(cNot)) ||
			(c.Income > dX && c.LastDay >= dLo && c.LastDay <= dHi) ||
			((c.Country == fC1 || c.Country == fC2 || c.Country == fC3) && !c.Active && c.Has(fK1) && c.Has(fK2)) {
			n++
			if out != nil {
				*out = append(*out, uint32(i))
			}
		}
	}
	return n
}

// Q5sel: country = x and age between lo and hi and bought has k and active
// and income > v.
func (e *Rows) q5sel(q *Query, out *[]uint32) int {
	cl := q.Clauses[0]
	x, lo, hi, k, v := cl[0].Vals[0], int8(cl[1].Lo), int8(cl[1].Hi), cl[2].Vals[0], cl[4].Lo
	n := 0
	for i := range e.rows {
		c := &e.rows[i]
		if c.Country == x && c.Age >= lo && c.Age <= hi && c.Active && c.Income > v && c.Has(k) {
			n++
			if out != nil {
				*out = append(*out, uint32(i))
			}
		}
	}
	return n
}

// Q5broad: not country in (a set) and not purchases >= p.
func (e *Rows) q5broad(q *Query, out *[]uint32) int {
	cl := q.Clauses[0]
	var excluded [256]bool
	for _, v := range cl[0].Vals {
		excluded[v] = true
	}
	p := uint16(cl[1].Lo)
	n := 0
	for i := range e.rows {
		c := &e.rows[i]
		if !excluded[c.Country] && c.Purchases < p {
			n++
			if out != nil {
				*out = append(*out, uint32(i))
			}
		}
	}
	return n
}

// Count loops over the rows.
func (e *Rows) Count(q *Query) uint64 { return uint64(e.scan(q, nil)) }

// Members loops over the rows and collects the matching IDs.
func (e *Rows) Members(q *Query) Result {
	var out []uint32
	e.scan(q, &out)
	return Slice(out)
}

// Cube loops over the rows once.
func (e *Rows) Cube() []uint64 {
	cube := make([]uint64, CubeCells)
	for i := range e.rows {
		c := &e.rows[i]
		if c.Age == Missing {
			continue
		}
		for _, k := range c.Bought[:c.NBought] {
			cube[CubeCell(c.Country, c.Age, k)]++
		}
	}
	return cube
}

// Bytes returns the size of the rows.
func (e *Rows) Bytes() int64 { return int64(len(e.rows)) * int64(unsafe.Sizeof(Customer{})) }

// Close does nothing.
func (e *Rows) Close() error { return nil }
