package benchmarks

import (
	"math/bits"

	"github.com/bits-and-blooms/bitset"
)

// Bitsets is engine (c): one dense bitset per value
// (github.com/bits-and-blooms/bitset). Age is range-encoded (one bitset of
// "age <= v" per v), so a range is one and-not; income, purchases and last
// day are bit-sliced (one bitset per binary digit) and compared word by word.
type Bitsets struct {
	n         uint
	all       *bitset.BitSet
	country   [NumCountries]*bitset.BitSet
	gender    [NumGenders]*bitset.BitSet
	bought    [NumCategories]*bitset.BitSet
	active    *bitset.BitSet
	ageLE     [MaxAge + 1]*bitset.BitSet // ageLE[v]: known age <= v
	income    denseBSI
	purchases denseBSI
	lastDay   denseBSI
}

// denseBSI is a bit-sliced index over dense bitsets: plane p holds the
// customers whose value has bit p set. Values are non-negative.
type denseBSI struct {
	planes [][]uint64
	n      uint
}

func newDenseBSI(n uint, vals func(i int) uint64) denseBSI {
	var max uint64
	for i := 0; i < int(n); i++ {
		max |= vals(i)
	}
	d := denseBSI{n: n, planes: make([][]uint64, bits.Len64(max))}
	for p := range d.planes {
		d.planes[p] = make([]uint64, (n+63)/64)
	}
	for i := 0; i < int(n); i++ {
		for v := vals(i); v != 0; v &= v - 1 {
			p := bits.TrailingZeros64(v)
			d.planes[p][i/64] |= 1 << (i % 64)
		}
	}
	return d
}

// gt returns the customers whose value is greater than v.
func (d *denseBSI) gt(v int64) *bitset.BitSet {
	words := make([]uint64, (d.n+63)/64)
	out := bitset.FromWithLength(d.n, words)
	if v < 0 {
		out.FlipRange(0, d.n)
		return out
	}
	if bits.Len64(uint64(v)) > len(d.planes) {
		return out
	}
	for w := range words {
		var gt uint64
		eq := ^uint64(0)
		for p := len(d.planes) - 1; p >= 0; p-- {
			b := d.planes[p][w]
			if uint64(v)>>p&1 == 1 {
				eq &= b
			} else {
				gt |= eq & b
				eq &^= b
			}
		}
		words[w] = gt
	}
	if r := d.n % 64; r != 0 {
		words[len(words)-1] &= 1<<r - 1
	}
	return out
}

func (d *denseBSI) bytes() int64 { return int64(len(d.planes)) * int64((d.n+63)/64) * 8 }

// Name returns "bitset".
func (e *Bitsets) Name() string { return "bitset" }

// Build sets one bit per customer in each of its value's bitsets.
func (e *Bitsets) Build(d *Data) error {
	n := uint(len(d.Rows))
	e.n = n
	e.all = bitset.New(n).FlipRange(0, n)
	for i := range e.country {
		e.country[i] = bitset.New(n)
	}
	for i := range e.gender {
		e.gender[i] = bitset.New(n)
	}
	for i := range e.bought {
		e.bought[i] = bitset.New(n)
	}
	for i := range e.ageLE {
		e.ageLE[i] = bitset.New(n)
	}
	e.active = bitset.New(n)
	ageEq := make([]*bitset.BitSet, MaxAge+1)
	for i := range ageEq {
		ageEq[i] = bitset.New(n)
	}
	for i := range d.Rows {
		c := &d.Rows[i]
		u := uint(i)
		e.country[c.Country].Set(u)
		if c.Gender != Missing {
			e.gender[c.Gender].Set(u)
		}
		if c.Age != Missing {
			ageEq[c.Age].Set(u)
		}
		if c.Active {
			e.active.Set(u)
		}
		for _, k := range c.Bought[:c.NBought] {
			e.bought[k].Set(u)
		}
	}
	for v := 1; v <= MaxAge; v++ {
		e.ageLE[v] = e.ageLE[v-1].Union(ageEq[v])
	}
	rows := d.Rows
	e.income = newDenseBSI(n, func(i int) uint64 { return uint64(rows[i].Income) })
	e.purchases = newDenseBSI(n, func(i int) uint64 { return uint64(rows[i].Purchases) })
	e.lastDay = newDenseBSI(n, func(i int) uint64 { return uint64(rows[i].LastDay) })
	return nil
}

// term returns the customers matching t, ignoring t.Not; owned says whether
// the caller may change the result.
func (e *Bitsets) term(t *Term) (bs *bitset.BitSet, owned bool) {
	switch t.Op {
	case CountryIn:
		if len(t.Vals) == 1 {
			return e.country[t.Vals[0]], false
		}
		out := e.country[t.Vals[0]].Clone()
		for _, v := range t.Vals[1:] {
			out.InPlaceUnion(e.country[v])
		}
		return out, true
	case GenderEq:
		return e.gender[t.Vals[0]], false
	case AgeBetween:
		lo, hi := max(t.Lo, MinAge), min(t.Hi, MaxAge)
		if lo > hi {
			return bitset.New(e.n), true
		}
		return e.ageLE[hi].Difference(e.ageLE[lo-1]), true
	case Has:
		return e.bought[t.Vals[0]], false
	case Active:
		return e.active, false
	case IncomeGt:
		return e.income.gt(t.Lo), true
	case PurchasesGe:
		return e.purchases.gt(t.Lo - 1), true
	case LastDayBetween:
		out := e.lastDay.gt(t.Lo - 1)
		out.InPlaceDifference(e.lastDay.gt(t.Hi))
		return out, true
	}
	panic("unknown op")
}

func (e *Bitsets) clause(cl []Term) *bitset.BitSet {
	var acc *bitset.BitSet
	for i := range cl {
		t := &cl[i]
		bs, owned := e.term(t)
		switch {
		case acc == nil && t.Not:
			acc = e.all.Difference(bs)
		case acc == nil && owned:
			acc = bs
		case acc == nil:
			acc = bs.Clone()
		case t.Not:
			acc.InPlaceDifference(bs)
		default:
			acc.InPlaceIntersection(bs)
		}
	}
	return acc
}

func (e *Bitsets) eval(q *Query) *bitset.BitSet {
	acc := e.clause(q.Clauses[0])
	for _, cl := range q.Clauses[1:] {
		acc.InPlaceUnion(e.clause(cl))
	}
	return acc
}

// Count evaluates q and counts the bits.
func (e *Bitsets) Count(q *Query) uint64 { return uint64(e.eval(q).Count()) }

// Members evaluates q to a bitset.
func (e *Bitsets) Members(q *Query) Result { return bitsetResult{e.eval(q)} }

type bitsetResult struct{ *bitset.BitSet }

func (r bitsetResult) IDs() []uint32 {
	out := make([]uint32, 0, r.Count())
	for i, ok := r.NextSet(0); ok; i, ok = r.NextSet(i + 1) {
		out = append(out, uint32(i))
	}
	return out
}

// Cube intersects country × age band once, then counts the intersection
// with each category.
func (e *Bitsets) Cube() []uint64 {
	cube := make([]uint64, CubeCells)
	cell := bitset.New(e.n)
	for c := range e.country {
		for band := 1; band < NumAgeBands; band++ {
			lo, hi := max(band*10, MinAge), min(band*10+9, MaxAge)
			e.country[c].Copy(cell)
			cell.InPlaceIntersection(e.ageLE[hi])
			cell.InPlaceDifference(e.ageLE[lo-1])
			for k, b := range e.bought {
				cube[CubeCell(uint8(c), int8(lo), uint8(k))] = uint64(cell.IntersectionCardinality(b))
			}
		}
	}
	return cube
}

// Bytes returns the size of the bitsets.
func (e *Bitsets) Bytes() int64 {
	one := int64((e.n + 63) / 64 * 8)
	n := int64(1+NumCountries+NumGenders+NumCategories+1+MaxAge+1) * one
	return n + e.income.bytes() + e.purchases.bytes() + e.lastDay.bytes()
}

// Close does nothing.
func (e *Bitsets) Close() error { return nil }
