package benchmarks

import "unsafe"

// Rows is engine (a): a hand-written loop over a slice of row structs, what
// a user writes without a library. It keeps the caller's rows (no copy) and
// tests every customer against the query.
type Rows struct {
	rows []Customer
}

// Name returns "rows".
func (e *Rows) Name() string { return "rows" }

// Build keeps d's rows.
func (e *Rows) Build(d *Data) error { e.rows = d.Rows; return nil }

// Count loops over the rows.
func (e *Rows) Count(q *Query) uint64 {
	var n uint64
	for i := range e.rows {
		if q.Match(&e.rows[i]) {
			n++
		}
	}
	return n
}

// Members loops over the rows and collects the matching IDs.
func (e *Rows) Members(q *Query) Result {
	var out Slice
	for i := range e.rows {
		if q.Match(&e.rows[i]) {
			out = append(out, uint32(i))
		}
	}
	return out
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
