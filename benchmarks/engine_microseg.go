package benchmarks

import (
	"strconv"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/segment"
)

// Microseg is engine (h): this library through its public API. Customers
// are added one by one with segment.Builder (key = decimal ID, so that IDs
// equal row indexes) and queries are segment predicates.
//
// TODO: switch Build to columnar ingest (segment.FromColumns or the like)
// and Cube to the library's cube/group-by (CountCube or the like) once the
// library has them; both are isolated in this file.
type Microseg struct {
	base *segment.Base
}

var (
	msCountry   = segment.NewCat[uint8]("country")
	msGender    = segment.NewCat[uint8]("gender")
	msAge       = segment.NewIntRange("age", MinAge, MaxAge)
	msBought    = segment.NewSet[uint8]("bought")
	msActive    = segment.NewFlag("active")
	msIncome    = segment.NewInt("income")
	msPurchases = segment.NewInt("purchases")
	msLastDay   = segment.NewIntRange("lastday", 0, NumDays-1)
)

// Name returns "microseg".
func (e *Microseg) Name() string { return "microseg" }

// Build adds every row through segment.Builder.
func (e *Microseg) Build(d *Data) error {
	b := segment.NewBuilder()
	vals := make([]segment.Value, 0, 8)
	for i := range d.Rows {
		c := &d.Rows[i]
		vals = append(vals[:0],
			msCountry.Value(c.Country),
			msIncome.Value(c.Income),
			msActive.Value(c.Active),
			msPurchases.Value(int64(c.Purchases)),
			msLastDay.Value(int64(c.LastDay)),
		)
		if c.Gender != Missing {
			vals = append(vals, msGender.Value(uint8(c.Gender)))
		}
		if c.Age != Missing {
			vals = append(vals, msAge.Value(int64(c.Age)))
		}
		if c.NBought > 0 {
			vals = append(vals, msBought.Values(c.Bought[:c.NBought]...))
		}
		if err := b.Add(strconv.Itoa(i), vals...); err != nil {
			return err
		}
	}
	base, err := b.Build()
	e.base = base
	return err
}

func msTerm(t *Term) segment.Pred {
	var p segment.Pred
	switch t.Op {
	case CountryIn:
		p = msCountry.In(t.Vals...)
	case GenderEq:
		p = msGender.Eq(t.Vals[0])
	case AgeBetween:
		p = msAge.Between(t.Lo, t.Hi)
	case Has:
		p = msBought.Has(t.Vals[0])
	case Active:
		p = msActive.True()
	case IncomeGt:
		p = msIncome.Gt(t.Lo)
	case PurchasesGe:
		p = msPurchases.Ge(t.Lo)
	case LastDayBetween:
		p = msLastDay.Between(t.Lo, t.Hi)
	}
	if t.Not {
		return segment.Not(p)
	}
	return p
}

// Pred returns q as a microseg predicate.
func Pred(q *Query) segment.Pred {
	var or []segment.Pred
	for _, cl := range q.Clauses {
		var and []segment.Pred
		for i := range cl {
			and = append(and, msTerm(&cl[i]))
		}
		or = append(or, segment.And(and...))
	}
	return segment.Or(or...)
}

// Count returns base.Count.
func (e *Microseg) Count(q *Query) uint64 { return e.base.Count(Pred(q)) }

// Members returns base.Eval.
func (e *Microseg) Members(q *Query) Result { return roaringResult{e.base.Eval(Pred(q))} }

// Cube evaluates each country and each age band once, intersects them, and
// counts each cell against each category's members.
func (e *Microseg) Cube() []uint64 {
	cube := make([]uint64, CubeCells)
	var bought [NumCategories]*roaring.Bitmap
	for k := range bought {
		bought[k] = e.base.Eval(msBought.Has(uint8(k)))
	}
	var country [NumCountries]*roaring.Bitmap
	for c := range country {
		country[c] = e.base.Eval(msCountry.Eq(uint8(c)))
	}
	for band := 1; band < NumAgeBands; band++ {
		lo, hi := max(band*10, MinAge), min(band*10+9, MaxAge)
		ages := e.base.Eval(msAge.Between(int64(lo), int64(hi)))
		for c := range country {
			cell := roaring.And(country[c], ages)
			for k, b := range bought {
				cube[CubeCell(uint8(c), int8(lo), uint8(k))] = cell.AndCardinality(b)
			}
		}
	}
	return cube
}

// Bytes returns -1: the harness measures the heap growth of Build (the
// base holds its key dictionary too).
func (e *Microseg) Bytes() int64 { return -1 }

// Close does nothing.
func (e *Microseg) Close() error { return nil }
